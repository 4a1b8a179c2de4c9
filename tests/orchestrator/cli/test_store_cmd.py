from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine
from typer.testing import CliRunner

from orchestrator.cli.app import app


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_stats_on_a_missing_store_says_what_to_do(tmp_path: Path) -> None:
    code, output = _run("--data-dir", str(tmp_path), "stats")
    assert code == 1
    assert "concierge init" in output


def test_stats_json_and_out(tmp_path: Path, sqlite_url: str, sqlite_engine: Engine) -> None:
    out = tmp_path / "stats.json"
    code, output = _run("--database-url", sqlite_url, "stats", "--json", "--out", str(out))
    assert code == 0, output
    result = json.loads(output.strip().splitlines()[-1])
    assert result["tables"]["products"] == 0
    assert json.loads(out.read_text()) == result


def test_config_masks_secrets(tmp_path: Path) -> None:
    code, output = _run("--data-dir", str(tmp_path), "config")
    assert code == 0
    shown = json.loads(output)
    assert shown["secret_key"] == "**********"
    assert shown["resolved_database_url"].endswith("concierge.db")
