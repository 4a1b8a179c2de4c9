"""`concierge eval all` through the command line, on the self-contained merch suite."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner, Result

from orchestrator.cli.app import app


def _run(tmp_path: Path, *args: str) -> Result:
    return CliRunner().invoke(app, ["--data-dir", str(tmp_path / "data"), "eval", "all", *args])


def test_one_suite_writes_json_and_a_report(tmp_path: Path) -> None:
    report = tmp_path / "report"
    result = _run(tmp_path, "--quick", "--suite", "merch", "--json", "--report", str(report))
    assert result.exit_code == 0, result.output
    run = json.loads(result.stdout)
    assert run["passed"] is True and run["quick"] is True
    (merch,) = [s for s in run["suites"] if s["name"] == "merch"]
    assert merch["status"] == "passed"
    assert (
        merch["metrics"][0]["name"] == "task_success_rate" and merch["metrics"][0]["value"] == 1.0
    )
    assert json.loads((report / "report.json").read_text())["suites"][0]["name"] == "merch"
    page = (report / "report.html").read_text()
    assert "task_success_rate" in page and "<svg" in page

    previous = tmp_path / "previous.json"
    merch["metrics"][0]["value"] = 2.0  # a previous run that did better
    previous.write_text(json.dumps(run))
    again = _run(
        tmp_path,
        "--quick",
        "--suite",
        "merch",
        "--compare",
        str(previous),
        "--out",
        str(tmp_path / "now.json"),
    )
    assert again.exit_code == 1, again.output
    assert "regressions against" in again.output and "merch.task_success_rate" in again.output
    compared = json.loads((tmp_path / "now.json").read_text())["comparison"]
    assert compared["regressions"] == 1


def test_user_errors_exit_with_status_2(tmp_path: Path) -> None:
    assert _run(tmp_path, "--suite", "nonsense").exit_code == 2
    bogus = tmp_path / "bogus.json"
    bogus.write_text('{"format": "other"}')
    assert _run(tmp_path, "--suite", "merch", "--compare", str(bogus)).exit_code == 2
    assert (
        _run(tmp_path, "--suite", "merch", "--attacks", str(tmp_path / "none.json")).exit_code == 2
    )
