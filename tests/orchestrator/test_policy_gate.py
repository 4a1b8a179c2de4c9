"""Nothing executes without an approving, recorded decision: the policy node fails closed, and
escalated actions wait (interrupt) for a person whose verdict is itself a logged decision."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from config import Settings
from orchestrator.runtime import Concierge, TurnOutcome
from orchestrator.state import TurnState
from policies.audit import DecisionLog
from policies.loader import BUILTIN_DIR, load_pack
from policies.pack import Pack
from tests.orchestrator.demo import NOW, SHOPPER, converse, count, engine_of, rows, with_concierge

ESCALATE_QUOTES = """\
rules:
  - id: test.quotes_need_a_person
    version: 1
    description: Every quote waits for a person.
    applies_to: [quote_offer]
    when: "true"
    effect: escalate
    reason: QUOTE_NEEDS_A_PERSON
    message: a person approves every quote under this pack
"""


@pytest.fixture(scope="module")
def escalating_pack(tmp_path_factory: pytest.TempPathFactory) -> Pack:
    root = tmp_path_factory.mktemp("pack") / "escalating"
    shutil.copytree(BUILTIN_DIR / "default", root)
    (root / "zz_escalate.yaml").write_text(ESCALATE_QUOTES)
    return load_pack(root)


def test_every_executed_action_has_a_recorded_approving_decision(demo_settings: Settings) -> None:
    converse(
        demo_settings,
        [
            "shorts",
            "tell me when it's back",
            "any deal on the first one?",
            "sneakers",
            "hold the first one for me",
        ],
        thread_id="audit",
    )
    executed = rows(demo_settings, "SELECT decision_id, kind, status FROM executions")
    assert {kind for _, kind, _ in executed} >= {
        "show_recommendations",
        "send_message",
        "quote_offer",
        "hold_inventory",
    }
    with engine_of(demo_settings) as engine:
        log = DecisionLog(engine, create=False)
        for decision_id, kind, _ in executed:
            record = log.get(decision_id)
            assert record is not None and record.action_kind == kind
            assert record.effect in {"approve", "modify"}


class BrokenFacts:
    """Policy facts that cannot be read (the store is down)."""

    engine: Any = None

    def context(self, *args: Any, **kwargs: Any) -> Any:
        raise OSError("store unavailable")


def test_the_policy_node_fails_closed_when_its_facts_cannot_be_read(
    demo_settings: Settings,
) -> None:
    before = count(demo_settings, "executions")

    async def work(concierge: Concierge) -> tuple[TurnOutcome, TurnState]:
        concierge.deps.facts = BrokenFacts()  # type: ignore[assignment]
        outcome = await concierge.turn("sneakers", thread_id="closed", shopper_id=SHOPPER, now=NOW)
        return outcome, await concierge.thread("closed")

    outcome, state = with_concierge(demo_settings, work)
    assert state["judgements"]
    for judgement in state["judgements"]:
        assert judgement.decision.effect.value == "deny"
        assert [r.code for r in judgement.decision.reasons] == ["FACTS_UNAVAILABLE"]
    assert count(demo_settings, "executions") == before
    assert outcome.reply is not None and "$" not in outcome.reply.text


def _pause(concierge: Concierge, thread: str) -> Any:
    async def run() -> TurnOutcome:
        await concierge.turn("sneakers", thread_id=thread, shopper_id=SHOPPER, now=NOW)
        return await concierge.turn(
            "any deal on the first one?", thread_id=thread, shopper_id=SHOPPER, now=NOW
        )

    return run()


@pytest.mark.parametrize("approve", [True, False], ids=["approved", "rejected"])
def test_an_escalated_offer_waits_for_a_person(
    demo_settings: Settings, escalating_pack: Pack, approve: bool
) -> None:
    thread = f"escalated-{approve}"
    offers = count(demo_settings, "offers")

    async def work(concierge: Concierge) -> tuple[TurnOutcome, list[Any], TurnOutcome]:
        paused = await _pause(concierge, thread)
        pending = rows(demo_settings, "SELECT status FROM approvals WHERE thread_id = :t", t=thread)
        verdicts = {
            a["decision_id"]: {"approve": approve, "by": "lead-7"} for a in paused.approvals
        }
        return paused, pending, await concierge.approve(thread, verdicts)

    paused, pending, resumed = with_concierge(demo_settings, work, pack=escalating_pack)
    assert paused.interrupted and paused.reply is None
    assert [a["kind"] for a in paused.approvals] == ["quote_offer"]
    assert pending == [("pending",)]
    assert count(demo_settings, "offers") == offers + (1 if approve else 0)
    status = "approved" if approve else "rejected"
    assert rows(demo_settings, "SELECT status FROM approvals WHERE thread_id = :t", t=thread) == [
        (status,)
    ]
    code = "HUMAN_APPROVED" if approve else "HUMAN_REJECTED"
    logged = rows(
        demo_settings, "SELECT actor FROM audit_records WHERE reasons LIKE :c", c=f"%{code}%"
    )
    assert ("lead-7",) in logged
    assert resumed.reply is not None and not resumed.interrupted
    assert (resumed.reply.kind == "offer") is approve


def test_a_pack_path_is_accepted(escalating_pack: Pack) -> None:
    assert Path(escalating_pack.source).name == "escalating"
