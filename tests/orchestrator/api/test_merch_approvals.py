"""Merchandising tasks, escalations approved or rejected through the API, and the audit log."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from config import Settings
from orchestrator.runtime import Concierge, TurnOutcome
from policies.context import ActorFacts
from tests.orchestrator.api.conftest import ADMIN, MERCHANDISER, SHOPPER_1
from tests.orchestrator.demo import NOW, count, rows, with_concierge

ESCALATED = "15% off overstocked jackets for gold members, keep margin above 30%"


def _task(client: TestClient, text: str, headers: dict[str, str] = MERCHANDISER) -> Any:
    response = client.post("/v1/merch/tasks", json={"task": text}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_an_allowed_plan_is_previewed_and_applied(client: TestClient) -> None:
    task = _task(client, "boost vegan skincare 20% until Sunday")
    assert (task["status"], task["outcome"]) == ("finished", "plan")
    assert any("products affected" in line for line in task["preview"])
    [action] = task["actions"]
    assert action["kind"] == "merch_rule" and action["decision"]["effect"] in {"approve", "modify"}
    assert action["execution"]["status"] == "applied"
    assert client.get(f"/v1/merch/tasks/{task['task_id']}", headers=ADMIN).json() == task


def test_a_read_only_question_gets_a_report_and_changes_nothing(client: TestClient) -> None:
    task = _task(client, "which recommended products are about to run out?")
    assert (task["outcome"], task["actions"], task["approvals"]) == ("report", [], [])
    assert task["reply"]["kind"] == "merch" and task["summary"]


def test_an_escalated_plan_waits_and_runs_once_when_approved(
    client: TestClient, demo_settings: Settings
) -> None:
    promotions = count(demo_settings, "promotions")
    task = _task(client, ESCALATED)
    assert task["status"] == "awaiting_approval"
    [ask] = task["approvals"]
    assert ask["kind"] == "create_promotion" and task["actions"][0]["execution"] is None
    pending = client.get("/v1/approvals", headers=ADMIN).json()["approvals"]
    assert ask["decision_id"] in [a["decision_id"] for a in pending]
    listed = next(a for a in pending if a["decision_id"] == ask["decision_id"])
    assert listed["requested_by"] == "dev-merchandiser" and listed["reasons"]
    url = f"/v1/approvals/{ask['decision_id']}"
    own = client.post(url, json={"approve": True}, headers=MERCHANDISER)
    assert own.status_code == 403 and own.json()["error"]["reason"] == "self_approval"
    assert count(demo_settings, "promotions") == promotions
    approved = client.post(url, json={"approve": True, "note": "fine for a week"}, headers=ADMIN)
    assert approved.status_code == 200, approved.text
    result = approved.json()
    assert result["status"] == "resumed" and result["turn"]["status"] == "finished"
    again = client.post(url, json={"approve": True}, headers=ADMIN)
    assert again.status_code == 409 and again.json()["error"]["reason"] == "already_decided"
    assert count(demo_settings, "promotions") == promotions + 1
    executed = rows(
        demo_settings,
        "SELECT status FROM executions WHERE thread_id = :t AND kind = 'create_promotion'",
        t=task["task_id"],
    )
    assert executed == [("applied",)]
    after = client.get(f"/v1/merch/tasks/{task['task_id']}", headers=MERCHANDISER).json()
    assert after["status"] == "finished"
    assert after["actions"][0]["execution"]["status"] == "applied"
    assert after["actions"][0]["decision"]["effect"] == "approve"
    decided = client.get("/v1/approvals", params={"status": "approved"}, headers=ADMIN).json()
    mine = [a for a in decided["approvals"] if a["decision_id"] == ask["decision_id"]]
    assert mine[0]["resolved_by"] == "dev-admin" and mine[0]["note"] == "fine for a week"


def test_a_rejected_escalation_never_executes(client: TestClient, demo_settings: Settings) -> None:
    promotions = count(demo_settings, "promotions")
    task = _task(client, ESCALATED)
    decision_id = task["approvals"][0]["decision_id"]
    rejected = client.post(f"/v1/approvals/{decision_id}", json={"approve": False}, headers=ADMIN)
    assert rejected.status_code == 200
    assert "Rejected by dev-admin" in rejected.json()["turn"]["reply"]["text"]
    assert count(demo_settings, "promotions") == promotions
    assert (
        client.post("/v1/approvals/0123abcd", json={"approve": True}, headers=ADMIN).status_code
        == 404
    )


def test_the_audit_log_is_filtered_and_paged(client: TestClient) -> None:
    _task(client, "boost vegan skincare 20% until Sunday")
    everything = client.get("/v1/audit", params={"limit": 500}, headers=ADMIN).json()["records"]
    assert everything and [r["seq"] for r in everything] == sorted(
        (r["seq"] for r in everything), reverse=True
    )
    first = client.get("/v1/audit", params={"limit": 2}, headers=MERCHANDISER).json()
    assert len(first["records"]) == 2 and first["next_before_seq"] == first["records"][-1]["seq"]
    second = client.get(
        "/v1/audit", params={"limit": 2, "before_seq": first["next_before_seq"]}, headers=ADMIN
    ).json()
    assert [r["seq"] for r in second["records"]] == [r["seq"] for r in everything[2:4]]
    by_actor = client.get("/v1/audit", params={"actor": "dev-merchandiser"}, headers=ADMIN).json()
    assert by_actor["records"] and {r["actor"] for r in by_actor["records"]} == {"dev-merchandiser"}
    rule = client.get("/v1/audit", params={"rule": "merch.role", "limit": 500}, headers=ADMIN)
    assert all("merch.role" in {x["rule_id"] for x in r["reasons"]} for r in rule.json()["records"])
    effect = client.get("/v1/audit", params={"effect": "escalate"}, headers=ADMIN).json()
    assert {r["effect"] for r in effect["records"]} <= {"escalate"}
    code = everything[0]["reasons"][0]["code"]
    by_reason = client.get("/v1/audit", params={"reason": code, "limit": 500}, headers=ADMIN)
    assert by_reason.json()["records"] and all(
        code in {x["code"] for x in r["reasons"]} for r in by_reason.json()["records"]
    )
    newest = everything[0]["created_at"]
    window = {"since": "2020-01-01T00:00:00Z", "until": newest}
    older = client.get("/v1/audit", params={**window, "limit": 500}, headers=ADMIN).json()
    assert all(r["created_at"] < newest for r in older["records"])
    bad = client.get("/v1/audit", params={"since": newest, "until": newest}, headers=ADMIN)
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "query.since"
    naive = client.get("/v1/audit", params={"since": "2026-01-01T00:00:00"}, headers=ADMIN)
    assert naive.status_code == 422 and naive.json()["error"]["field"] == "query.since"
    assert client.get("/v1/audit", headers=SHOPPER_1).status_code == 403


def test_a_task_paused_outside_the_api_is_resumed_through_it(
    client: TestClient, demo_settings: Settings
) -> None:
    actor = ActorFacts(id="mia", kind="staff", role="merchandiser", category_scopes=("*",))

    async def pause(concierge: Concierge) -> TurnOutcome:
        return await concierge.turn(
            ESCALATED, thread_id="merch-cli-1", actor=actor, mode="merch", now=NOW
        )

    outcome = with_concierge(demo_settings, pause)
    assert outcome.interrupted
    decision_id = outcome.approvals[0]["decision_id"]
    approved = client.post(f"/v1/approvals/{decision_id}", json={"approve": True}, headers=ADMIN)
    assert approved.status_code == 200 and approved.json()["status"] == "resumed"
    executed = rows(
        demo_settings,
        "SELECT status FROM executions WHERE thread_id = :t AND kind = 'create_promotion'",
        t="merch-cli-1",
    )
    assert executed == [("applied",)]
