"""`concierge policy|audit|bench` through the command line, on a SQLite store."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import text
from typer.testing import CliRunner, Result

from orchestrator.cli.app import app
from policies.loader import BUILTIN_DIR
from tools.store import make_engine

CASE: dict[str, Any] = {
    "action": {
        "kind": "quote_offer",
        "shopper_id": "s1",
        "sku": "p1",
        "offer": "percent_off",
        "price_cents": 1200,
    },
    "context": {
        "now": "2026-03-03T15:00:00Z",
        "actor": {"id": "agent-1", "kind": "agent", "on_behalf_of": "s1"},
        "shopper": {"id": "s1", "loyalty_tier": "gold"},
        "products": {
            "p1": {
                "sku": "p1",
                "category": "beauty/skincare",
                "list_price_cents": 2000,
                "unit_cost_cents": 1000,
            }
        },
    },
}


@pytest.fixture
def cli(sqlite_url: str) -> Any:
    def invoke(*args: str) -> Result:
        return CliRunner().invoke(app, ["--database-url", sqlite_url, *args])

    return invoke


def case_file(tmp_path: Path, price: int = 1200, name: str = "case.yaml") -> Path:
    data = json.loads(json.dumps(CASE))
    data["action"]["price_cents"] = price
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data))
    return path


def test_check_decides_records_and_exits_by_effect(cli: Any, tmp_path: Path) -> None:
    result = cli("policy", "check", str(case_file(tmp_path)))
    assert result.exit_code == 0, result.output
    assert "modify" in result.output and "DISCOUNT_TOO_DEEP" in result.output
    denied = cli("policy", "check", str(case_file(tmp_path, price=9000)), "--json")
    assert denied.exit_code == 1
    assert json.loads(denied.stdout)["effect"] == "deny"
    listed = json.loads(cli("audit", "list", "--json").stdout)["records"]
    assert [r["effect"] for r in listed] == ["deny", "modify"]


def test_check_without_recording(cli: Any, tmp_path: Path) -> None:
    assert cli("policy", "check", str(case_file(tmp_path)), "--no-record").exit_code == 0
    assert json.loads(cli("audit", "list", "--json").stdout)["records"] == []


def test_check_of_a_bad_file_is_one_line(cli: Any, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("action: {kind: nope}\ncontext: {}\n")
    result = cli("policy", "check", str(bad))
    assert result.exit_code == 2
    assert result.output.startswith("error:")
    missing = cli("policy", "check", str(tmp_path / "absent.yaml"))
    assert missing.exit_code == 2


def test_audit_list_filters_and_writes_json(cli: Any, tmp_path: Path) -> None:
    for price in (1200, 2000, 9000):
        cli("policy", "check", str(case_file(tmp_path, price=price)))
    out = tmp_path / "out" / "audit.json"
    result = cli("audit", "list", "--effect", "deny", "--json", "--out", str(out))
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)["records"]
    assert [r["seq"] for r in records] == [3]
    assert json.loads(out.read_text())["records"] == records
    by_rule = json.loads(cli("audit", "list", "--rule", "pricing.discount_depth", "--json").stdout)
    assert [r["seq"] for r in by_rule["records"]] == [1]
    assert json.loads(cli("audit", "list", "--actor", "nobody", "--json").stdout)["records"] == []
    table = cli("audit", "list", "--kind", "quote_offer", "--limit", "2")
    assert table.exit_code == 0 and "agent-1" in table.output
    assert cli("audit", "list", "--effect", "maybe").exit_code == 2


def test_audit_verify_detects_tampering(cli: Any, tmp_path: Path, sqlite_url: str) -> None:
    for price in (1200, 2000, 9000):
        cli("policy", "check", str(case_file(tmp_path, price=price)))
    ok = cli("audit", "verify", "--json")
    assert ok.exit_code == 0, ok.output
    report = json.loads(ok.stdout)
    assert report["ok"] and report["records"] == 3
    assert cli("audit", "verify", "--expect-head", report["head_hash"]).exit_code == 0
    engine = make_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_records_no_update"))
        conn.execute(text("UPDATE audit_records SET effect = 'approve' WHERE seq = 3"))
    engine.dispose()
    bad = cli("audit", "verify")
    assert bad.exit_code == 1
    assert "EDITED" in bad.output and "TAMPERED" in bad.output


def test_verify_on_an_empty_store(cli: Any) -> None:
    result = cli("audit", "verify")
    assert result.exit_code == 0, result.output
    assert "0 records" in result.output


def test_packs_lists_versions_and_rules(cli: Any) -> None:
    result = cli("policy", "packs", "--json")
    assert result.exit_code == 0, result.output
    (pack,) = json.loads(result.stdout)["packs"]
    assert pack["name"] == "default" and pack["rules"] >= 50
    listed = cli("policy", "packs", "--rules")
    assert "pricing.floor" in listed.output and "PRICE_BELOW_FLOOR" in listed.output


def test_shadow_prints_the_decision_diff(cli: Any, tmp_path: Path) -> None:
    for price in (1500, 2000):
        cli("policy", "check", str(case_file(tmp_path, price=price)))
    candidate = tmp_path / "candidate"
    shutil.copytree(BUILTIN_DIR / "default", candidate)
    head = yaml.safe_load((candidate / "pack.yaml").read_text())
    head["params"]["pricing"]["floor_margin"] = 0.6
    (candidate / "pack.yaml").write_text(yaml.safe_dump(head))
    out = tmp_path / "shadow.json"
    result = cli("policy", "shadow", "--candidate", str(candidate), "--json", "--out", str(out))
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["evaluated"] == 2
    assert [(c["seq"], c["category"]) for c in report["changes"]] == [(1, "modified")]
    assert json.loads(out.read_text()) == report
    table = cli("policy", "shadow", "--candidate", str(candidate))
    assert "modified" in table.output and "PRICE_BELOW_FLOOR" in table.output
    assert cli("policy", "shadow", "--candidate", str(tmp_path / "nope")).exit_code == 2


def test_bench_policy_json_and_out(cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "bench" / "policy.json"
    result = cli(
        "bench", "policy", "--iterations", "300", "--warmup", "10", "--json", "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["iterations"] == 300 and figures["p50_ms"] <= figures["p99_ms"]
    assert json.loads(out.read_text()) == figures
    text_result = cli("bench", "policy", "--iterations", "200", "--warmup", "0")
    assert "p99" in text_result.output
