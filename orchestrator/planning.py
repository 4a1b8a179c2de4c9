"""What the supervisor plans for a request: which agents, in which order, about which product.

A search needs intent → preference → inventory; "any deal on this?" adds pricing; "tell me when
it's back" adds messaging; "hold one for me" plans a hold. A follow-up that names no product acts
on the product it points at ("the second one") or, failing that, the first one shown.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from agents.candidates import Candidate
from orchestrator.state import AgentName, Plan

SEARCH: tuple[AgentName, ...] = ("intent", "preference", "inventory")
DEAL = re.compile(
    r"\b(?:deals?|discounts?|offers?|coupons?|promo(?:tion)?s?|on sale|sale|cheaper price|"
    r"better price|price match|percent off|\d+\s*%\s*off|money off)\b",
    re.IGNORECASE,
)
NOTIFY = re.compile(
    r"\b(?:tell|let|notify|text|email|ping|alert|message)\s+me\b.*\b(?:back|restock(?:ed)?|"
    r"in stock|available)\b|\bwhen\s+(?:it'?s|it is|they'?re|they are)\s+back\b|\bback in stock\b",
    re.IGNORECASE,
)
HOLD = re.compile(
    r"\b(?:hold|reserve|put aside|set aside)\b(?:\s+(?:it|one|them|that|this|a|the|some))?",
    re.IGNORECASE,
)
_ORDINAL = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3}
_ORDINAL.update({"4th": 3, "fifth": 4, "5th": 4})
_REFERENCE = re.compile(
    r"\b(?P<ord>first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th|last)\b|#(?P<num>\d{1,2})\b",
    re.IGNORECASE,
)


def has_side_effects(text: str, *, merch: bool = False) -> bool:
    """Whether a request may lead to more than showing products (an offer, a message, a hold)."""
    return merch or bool(DEAL.search(text) or NOTIFY.search(text) or HOLD.search(text))


def referenced(text: str, shown: Sequence[Candidate]) -> Candidate | None:
    """The shown product a follow-up points at ("the second one", "#3", "the last")."""
    m = _REFERENCE.search(text)
    if m is None or not shown:
        return None
    word = (m.group("ord") or "").lower()
    index = len(shown) - 1 if word == "last" else _ORDINAL.get(word, int(m.group("num") or 0) - 1)
    return shown[index] if 0 <= index < len(shown) else None


def plan_turn(
    text: str,
    *,
    shopper_id: str | None,
    shown: Sequence[Candidate],
    out_of_stock: Sequence[Candidate],
    names_products: bool,
) -> Plan:
    """The agents a shopper's request needs, in order."""
    deal, notify, hold = DEAL.search(text), NOTIFY.search(text), HOLD.search(text)
    notes: list[str] = []
    if (deal or notify) and shopper_id is None:
        notes.append("sign_in_needed")
        deal = notify = None
    ref = referenced(text, shown)
    follow_up = bool(shown or out_of_stock) and not names_products
    if follow_up and notify:
        focus = ref or (out_of_stock[0] if out_of_stock else shown[0])
        return Plan(steps=("messaging",), focus_sku=focus.sku, notes=tuple(notes))
    if follow_up and shown and (deal or (hold and shopper_id)):
        focus = ref or shown[0]
        step: AgentName = "pricing" if deal else "inventory"
        return Plan(
            steps=(step,), focus_sku=focus.sku, hold=step == "inventory", notes=tuple(notes)
        )
    steps: list[AgentName] = list(SEARCH)
    if deal:
        steps.append("pricing")
    if notify:
        steps.append("messaging")
    return Plan(steps=tuple(steps), hold=bool(hold and shopper_id), notes=tuple(notes))


def next_step(plan: Plan, done: AgentName | None) -> AgentName | None:
    """The agent after `done` in the plan (the first one for None), or None when all ran."""
    steps = plan.steps
    if done is None:
        return steps[0] if steps else None
    index = steps.index(done) + 1 if done in steps else len(steps)
    return steps[index] if index < len(steps) else None
