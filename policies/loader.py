"""Loading rule packs from YAML: a directory (pack.yaml + rule files) or a single file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from policies.exceptions import PackError
from policies.pack import Pack, PackSpec, compile_pack

BUILTIN_DIR = Path(__file__).with_name("packs")
DEFAULT_PACK = "default"
PACK_FILE = "pack.yaml"


def builtin_packs() -> list[str]:
    """Names of the packs that ship with the checker."""
    return sorted(p.name for p in BUILTIN_DIR.iterdir() if (p / PACK_FILE).is_file())


def resolve(ref: str | Path) -> Path:
    """A pack reference as a path: a built-in pack name, a directory or a YAML file."""
    path = Path(ref)
    if path.exists():
        return path
    builtin = BUILTIN_DIR / str(ref)
    if (builtin / PACK_FILE).is_file():
        return builtin
    raise PackError(str(ref), f"no such pack (built-in packs: {', '.join(builtin_packs())})")


def load_pack(ref: str | Path) -> Pack:
    """Load, validate and compile a pack; a `PackError` says what is wrong and where."""
    path = resolve(ref)
    data = _read_dir(path) if path.is_dir() else _read_yaml(path)
    try:
        spec = PackSpec.model_validate(data)
        return compile_pack(spec, source=str(path))
    except (ValidationError, ValueError) as exc:
        raise PackError(str(path), str(exc)) from exc


@lru_cache(maxsize=1)
def default_pack() -> Pack:
    """The default pack, loaded once per process."""
    return load_pack(DEFAULT_PACK)


def _read_dir(path: Path) -> dict[str, Any]:
    head = _read_yaml(path / PACK_FILE)
    rules: list[Any] = list(head.pop("rules", []) or [])
    for file in sorted(path.glob("*.yaml")):
        if file.name != PACK_FILE:
            body = _read_yaml(file)
            if set(body) - {"rules"}:
                raise PackError(str(file), "a rule file holds only `rules:`")
            rules.extend(body.get("rules") or [])
    head["rules"] = rules
    return head


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as exc:
        raise PackError(str(path), f"cannot read: {exc}") from exc
    if not isinstance(data, dict):
        raise PackError(str(path), "expected a mapping at the top level")
    return data
