"""`concierge merch` runs a task through the graph; escalations are approved, rejected or left."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner

from config import Settings
from orchestrator.cli.app import app
from tests.orchestrator.demo import rows

BOOST = "boost vegan skincare 20% until Sunday"
JACKETS = "15% off overstocked jackets for gold members, keep margin above 30%"


def _merch(settings: Settings, *args: str, code: int = 0) -> Any:
    result = CliRunner().invoke(
        app,
        [
            "--data-dir",
            str(settings.data_dir),
            "--database-url",
            settings.resolved_database_url,
            "merch",
            *args,
        ],
    )
    assert result.exit_code == code, result.output
    if code == 0 and "--json" in args:
        return json.loads(result.stdout)
    return " ".join(result.output.replace("│", " ").split())  # unwrap the error box


def test_an_approved_task_executes_at_once(demo_settings: Settings) -> None:
    out = _merch(demo_settings, BOOST, "--as", "mia", "--json")
    assert out["pending"] == [] and "merch_rule" in out["proposals"]
    assert {"kind": "merch_rule", "status": "applied"} in out["executions"]
    assert out["reply"]


def test_an_escalated_task_waits_then_executes_once_approved(demo_settings: Settings) -> None:
    out = _merch(demo_settings, JACKETS, "--as", "mia", "--thread", "jackets-1", "--json")
    assert [a["kind"] for a in out["pending"]] == ["create_promotion"]
    assert not any(e["kind"] == "create_promotion" for e in out["executions"])

    decided = _merch(
        demo_settings, "--thread", "jackets-1", "--approve", "--approver", "lead-1", "--json"
    )
    assert decided["pending"] == []
    assert {"kind": "create_promotion", "status": "applied"} in decided["executions"]
    sql = "SELECT kind FROM executions WHERE thread_id = 'jackets-1'"
    assert [k for (k,) in rows(demo_settings, sql)].count("create_promotion") == 1
    # Nothing is left to decide on that thread.
    again = _merch(demo_settings, "--thread", "jackets-1", "--approve", "--approver", "x", code=2)
    assert "no task waiting for approval" in again


def test_a_rejected_or_self_approved_task_changes_nothing(demo_settings: Settings) -> None:
    out = _merch(
        demo_settings, JACKETS, "--as", "mia", "--reject", "--approver", "lead-1", "--json"
    )
    assert not any(e["kind"] == "create_promotion" for e in out["executions"])
    assert "Rejected by lead-1" in out["reply"]

    out = _merch(demo_settings, JACKETS, "--as", "mia", "--approve", "--approver", "mia", "--json")
    assert not any(e["kind"] == "create_promotion" for e in out["executions"])
    assert "self-approval refused" in out["reply"]


def test_bad_invocations_name_what_is_missing(demo_settings: Settings) -> None:
    assert "give a task" in _merch(demo_settings, code=2)
    assert "--approve" in _merch(demo_settings, "--thread", "nope", code=2)
    assert "no task waiting" in _merch(
        demo_settings, "--thread", "nope", "--reject", "--approver", "lead-1", code=2
    )
