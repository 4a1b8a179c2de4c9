"""What every CLI command shares: the settings, the console and the store engine."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from sqlalchemy import Engine

from config import ConfigError, Settings
from tools.exceptions import InputError, ToolsError

P = ParamSpec("P")
R = TypeVar("R")

AsJson = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]
Out = Annotated[Path | None, typer.Option(help="Also write the JSON to this file.")]

console = Console(stderr=True)
stdout = Console()


class CliState:
    """Settings resolved once per invocation from options, env and YAML."""

    def __init__(self) -> None:
        self.overrides: dict[str, Any] = {}
        self._settings: Settings | None = None

    def reset(self) -> None:
        """Forget overrides and loaded settings."""
        self.overrides = {}
        self._settings = None

    @property
    def settings(self) -> Settings:
        """The settings with the command-line overrides applied."""
        if self._settings is None:
            self._settings = Settings(**self.overrides)
        return self._settings

    def engine(self) -> Engine:
        """An engine for the configured store."""
        from tools.store import make_engine

        s = self.settings
        return make_engine(s.resolved_database_url, busy_timeout_ms=s.sqlite.busy_timeout_ms)


state = CliState()


def set_overrides(data_dir: Path | None, database_url: str | None) -> None:
    """Apply the global --data-dir / --database-url options (a fresh start for each invocation)."""
    state.reset()
    if data_dir is not None:
        state.overrides["data_dir"] = data_dir
    if database_url is not None:
        state.overrides["database_url"] = database_url


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn errors the user can fix into a one-line message and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except (InputError, ConfigError, ToolsError) as exc:
            console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(code=2) from exc

    return wrapper


def emit_json(result: dict[str, Any], *, as_json: bool, out: Path | None) -> None:
    """Write a result as one JSON object to stdout (--json) and/or a file (--out)."""
    text = json.dumps(result, indent=None if as_json else 2, sort_keys=True, default=str)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n")
    if as_json:
        sys.stdout.write(text + "\n")
