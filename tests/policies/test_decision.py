"""`verify_decision`: an executor runs exactly the approved action, or nothing."""

from __future__ import annotations

import pytest

from policies.actions import QuoteOffer, SendMessage
from policies.decision import Effect, PolicyDecision, verify_decision
from policies.exceptions import ExecutionRefused
from tests.policies.builders import context, decide

QUOTE = QuoteOffer(shopper_id="s1", sku="p1", price_cents=2000)


def refused(action: object, decision: PolicyDecision) -> str:
    with pytest.raises(ExecutionRefused) as info:
        verify_decision(action, decision)  # type: ignore[arg-type]
    return info.value.code


def test_approved_action_passes() -> None:
    verify_decision(QUOTE, decide(QUOTE, context()))


def test_modified_action_passes_only_as_modified() -> None:
    proposed = QUOTE.model_copy(update={"price_cents": 900})
    decision = decide(proposed, context())
    assert decision.effect is Effect.MODIFY
    assert decision.action is not None
    verify_decision(decision.action, decision)
    assert refused(proposed, decision) == "ACTION_MISMATCH"


def test_tampered_action_is_refused() -> None:
    decision = decide(QUOTE, context())
    cheaper = QUOTE.model_copy(update={"price_cents": 1})
    assert refused(cheaper, decision) == "ACTION_MISMATCH"


def test_denied_and_escalated_actions_are_refused() -> None:
    denied = decide(QUOTE.model_copy(update={"price_cents": 5000}), context())
    assert refused(QUOTE.model_copy(update={"price_cents": 5000}), denied) == "NOT_APPROVED"


def test_a_decision_edited_to_approve_is_refused() -> None:
    denied = decide(QUOTE.model_copy(update={"price_cents": 5000}), context())
    forged = denied.model_copy(update={"effect": Effect.APPROVE})
    assert refused(QUOTE.model_copy(update={"price_cents": 5000}), forged) == "DECISION_TAMPERED"


def test_a_decision_carrying_another_action_is_refused() -> None:
    decision = decide(QUOTE, context())
    swapped = decision.model_copy(update={"action": QUOTE.model_copy(update={"price_cents": 1})})
    assert refused(QUOTE, swapped) == "DECISION_TAMPERED"


def test_a_decision_of_another_policy_version_is_refused() -> None:
    decision = decide(QUOTE, context())
    other = decision.model_copy(update={"policy_version": "lenient@9"})
    assert refused(QUOTE, other) == "DECISION_TAMPERED"


def test_a_decision_for_no_action_is_refused() -> None:
    decision = decide("junk", context())  # type: ignore[arg-type]
    assert refused(SendMessage(shopper_id="s1", channel="sms", body="x"), decision) == (
        "DECISION_TAMPERED"
    )


def test_rule_ids_and_executable() -> None:
    decision = decide(QUOTE, context())
    assert decision.executable
    assert decision.rule_ids() == ("pricing.quote.baseline",)
