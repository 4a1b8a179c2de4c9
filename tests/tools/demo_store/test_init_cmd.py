from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from orchestrator.cli.app import app

SMALL_ARGS = ["--seed", "5", "--skus", "120", "--shoppers", "12", "--as-of", "2026-06-01"]


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_init_builds_and_summarises(tmp_path: Path) -> None:
    out = tmp_path / "summary.json"
    code, output = _run(
        "--data-dir", str(tmp_path), "init", *SMALL_ARGS, "--json", "--out", str(out)
    )
    assert code == 0, output
    summary = json.loads(output.strip().splitlines()[-1])
    assert summary == json.loads(out.read_text())
    assert summary["tables"]["products"] == 120
    assert summary["tables"]["shoppers"] == 12
    assert summary["reference_time"] == "2026-06-01T00:00:00+00:00"
    assert len(summary["digest"]) == 64
    assert (tmp_path / "concierge.db").is_file()
    assert Path(summary["truth_file"]) == tmp_path / "demo_truth.jsonl"


def test_init_refuses_an_existing_store_without_force(tmp_path: Path) -> None:
    first_code, first = _run("--data-dir", str(tmp_path), "init", *SMALL_ARGS, "--json")
    assert first_code == 0, first
    code, output = _run("--data-dir", str(tmp_path), "init", *SMALL_ARGS)
    assert code == 2
    assert "--force" in output
    code, again = _run("--data-dir", str(tmp_path), "init", *SMALL_ARGS, "--force", "--json")
    assert code == 0, again
    digest = json.loads(first.strip().splitlines()[-1])["digest"]
    assert json.loads(again.strip().splitlines()[-1])["digest"] == digest


def test_init_prints_a_table_without_json(tmp_path: Path) -> None:
    code, output = _run("--data-dir", str(tmp_path), "init", *SMALL_ARGS, "--no-digest")
    assert code == 0, output
    assert "products" in output and "120" in output
    assert "digest:" not in output


def test_init_validates_sizes_with_clear_errors(tmp_path: Path) -> None:
    code, output = _run("--data-dir", str(tmp_path), "init", "--skus", "50")
    assert code == 2
    assert "skus" in output and "100" in output
    code, output = _run("--data-dir", str(tmp_path), "init", "--shoppers", "3")
    assert code == 2
    assert "shoppers" in output and "10" in output
    assert not (tmp_path / "concierge.db").exists()
