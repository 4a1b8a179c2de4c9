"""The engine: precedence of effects, re-checking repairs, and failing closed on every error."""

from __future__ import annotations

from typing import Any

import pytest

from policies.actions import HoldInventory, QuoteOffer
from policies.decision import Effect, verify_decision
from policies.engine import CHECKER, check, refuse
from policies.loader import default_pack
from policies.pack import Pack, PackSpec, Rule, compile_pack
from tests.policies.builders import codes, context, decide

QUOTE = QuoteOffer(shopper_id="s1", sku="p1", price_cents=2000)
HOLD = HoldInventory(shopper_id="s1", sku="p1", location_id="store-1", quantity=1, hold_minutes=60)
ALLOW: dict[str, Any] = {
    "id": "t.allow",
    "version": 1,
    "description": "allow",
    "applies_to": ["*"],
    "when": "true",
    "effect": "approve",
    "reason": "OK",
}


def pack_of(*rules: dict[str, Any], **spec: Any) -> Pack:
    """A pack with the default parameters and these rules."""
    return compile_pack(
        PackSpec(
            name="test",
            version="1",
            params=default_pack().spec.params,
            rules=tuple(Rule.model_validate(r) for r in rules),
            **spec,
        ),
        source="test",
    )


def rule(rid: str, when: str, effect: str, **extra: Any) -> dict[str, Any]:
    return {**ALLOW, "id": rid, "when": when, "effect": effect, "reason": rid.upper()[2:], **extra}


def test_approve_needs_an_approving_rule() -> None:
    decision = check(QUOTE, context(), pack_of(rule("t.nothing", "false", "deny")))
    assert decision.effect is Effect.DENY
    assert [(r.rule_id, r.code) for r in decision.reasons] == [(CHECKER, "NO_APPROVING_RULE")]


def test_a_kind_without_rules_is_denied() -> None:
    only_holds = {**ALLOW, "applies_to": ["hold_inventory"]}
    decision = check(QUOTE, context(), pack_of(only_holds))
    assert codes(decision) == {"NO_APPROVING_RULE"}
    assert decision.evaluated_rules == ()


def test_deny_beats_escalate_beats_approve() -> None:
    pack = pack_of(ALLOW, rule("t.esc", "true", "escalate"), rule("t.no", "true", "deny"))
    assert check(QUOTE, context(), pack).effect is Effect.DENY
    pack = pack_of(ALLOW, rule("t.esc", "true", "escalate"))
    decision = check(QUOTE, context(), pack)
    assert decision.effect is Effect.ESCALATE
    assert codes(decision) == {"ESC"}


def test_escalation_carries_the_repaired_action() -> None:
    clamp = rule("t.clamp", "action.hold_minutes > 240", "modify", modify="clamp_hold_duration")
    pack = pack_of(ALLOW, clamp, rule("t.esc", "true", "escalate"))
    decision = check(HOLD.model_copy(update={"hold_minutes": 600}), context(), pack)
    assert decision.effect is Effect.ESCALATE
    assert isinstance(decision.action, HoldInventory)
    assert decision.action.hold_minutes == 240
    assert codes(decision) == {"ESC", "CLAMP"}


def test_a_repair_that_then_fails_a_rule_is_denied() -> None:
    clamp = rule("t.clamp", "action.hold_minutes > 240", "modify", modify="clamp_hold_duration")
    short = rule("t.short", "action.hold_minutes < 300", "deny")
    decision = check(
        HOLD.model_copy(update={"hold_minutes": 600}), context(), pack_of(ALLOW, clamp, short)
    )
    assert decision.effect is Effect.DENY
    assert [r.code for r in decision.reasons] == ["CLAMP", "SHORT"]
    assert decision.evaluated_rules == ("t.allow@1", "t.clamp@1", "t.short@1")


def test_a_repair_that_does_not_settle_is_denied() -> None:
    endless = rule("t.loop", "true", "modify", modify="clamp_hold_duration")
    decision = check(HOLD, context(), pack_of(ALLOW, endless, max_passes=2))
    assert decision.effect is Effect.DENY
    assert "MODIFY_NOT_CONVERGED" in codes(decision)


def test_a_failing_condition_denies() -> None:
    broken = rule("t.broken", "action.price_cents / 0 > 1", "deny")
    decision = check(QUOTE, context(), pack_of(ALLOW, broken))
    assert decision.effect is Effect.DENY
    assert [(r.rule_id, r.code) for r in decision.reasons] == [("t.broken", "RULE_ERROR")]


def test_a_condition_that_is_not_boolean_denies() -> None:
    decision = check(QUOTE, context(), pack_of(ALLOW, rule("t.int", "action.price_cents", "deny")))
    assert codes(decision) == {"RULE_ERROR"}
    assert "not bool" in decision.reasons[0].message


def test_a_field_outside_the_projection_denies() -> None:
    # Pricing rules cannot see the shopper's timezone: reading it fails, and the check denies.
    peek = rule("t.peek", "shopper.timezone == 'UTC'", "deny", applies_to=["quote_offer"])
    decision = check(QUOTE, context(), pack_of(ALLOW, peek))
    assert codes(decision) == {"RULE_ERROR"}


def test_a_timeout_denies() -> None:
    decision = check(QUOTE, context(), pack_of(ALLOW, timeout_ms=1e-9))
    assert decision.effect is Effect.DENY
    assert codes(decision) == {"CHECK_TIMEOUT"}


def test_an_error_outside_the_rules_denies() -> None:
    from policies.actions import SendMessage

    ctx = context(shopper=context().shopper.model_copy(update={"timezone": "Mars/Olympus"}))  # type: ignore[union-attr]
    decision = decide(SendMessage(shopper_id="s1", channel="sms", body="hi"), ctx)
    assert decision.effect is Effect.DENY
    assert codes(decision) == {"CHECKER_ERROR"}
    assert decision.action is not None


def test_something_that_is_not_an_action_is_denied() -> None:
    decision = check("drop table", context(), default_pack())  # type: ignore[arg-type]
    assert decision.effect is Effect.DENY
    assert codes(decision) == {"UNKNOWN_ACTION"}
    assert (decision.action, decision.action_hash, decision.action_kind) == (None, "", "unknown")


def test_garbage_context_is_denied() -> None:
    decision = check(QUOTE, None, default_pack())  # type: ignore[arg-type]
    assert decision.effect is Effect.DENY
    assert codes(decision) == {"CHECKER_ERROR"}
    assert decision.actor == "unknown"


def test_decision_names_pack_rules_and_hashes() -> None:
    decision = decide(
        QUOTE,
        context(),
    )
    pack = default_pack()
    assert decision.policy_version == pack.version
    assert decision.policy_version.startswith("default@1.0.0+")
    assert decision.action_hash == decision.final_action_hash == QUOTE.action_hash()
    assert len(decision.evaluated_rules) == len(pack.rules_for("quote_offer"))
    assert decision.latency_ms > 0
    verify_decision(QUOTE, decision)


def test_decision_id_can_be_given() -> None:
    assert check(QUOTE, context(), default_pack(), decision_id="d-1").decision_id == "d-1"


def test_decisions_are_valid_models() -> None:
    from policies.decision import PolicyDecision

    decision = decide(QUOTE.model_copy(update={"price_cents": 900}), context())
    again = PolicyDecision.model_validate_json(decision.model_dump_json())
    assert again == decision


def test_same_inputs_same_decision() -> None:
    first, second = decide(QUOTE, context()), decide(QUOTE, context())
    assert first.model_dump(
        exclude={"decision_id", "latency_ms", "decided_at", "decision_hash"}
    ) == (second.model_dump(exclude={"decision_id", "latency_ms", "decided_at", "decision_hash"}))


@pytest.mark.parametrize("action", [QUOTE, "not an action"])
def test_refuse_is_a_denial_by_the_checker(action: Any) -> None:
    decision = refuse(action, context(), default_pack(), code="AUDIT_UNAVAILABLE", message="down")
    assert decision.effect is Effect.DENY
    assert [(r.rule_id, r.code) for r in decision.reasons] == [(CHECKER, "AUDIT_UNAVAILABLE")]
