"""The check on a phrased reply: a rewording of the draft, grounded in the approved facts.

Beyond the grounding check, the rewording may not bring in a number the draft and the facts do
not have, may not read like an injected instruction or carry a link the draft lacks, and may not
grow far past the draft.
"""

from __future__ import annotations

from orchestrator.llm import scan
from orchestrator.llm.exceptions import UngroundedOutputError
from orchestrator.llm.facts import GroundingFacts
from orchestrator.llm.grounding import check_grounding
from orchestrator.llm.safety import suspicious

MAX_GROWTH = 2.0
MIN_ROOM_CHARS = 200


def validate_phrasing(reply: str, *, draft: str, facts: GroundingFacts) -> str:
    """`reply` when it is a grounded rewording of `draft`; else `UngroundedOutputError`."""
    text = reply.strip()
    if not text:
        raise UngroundedOutputError("the rewording is empty")
    if len(text) > max(MAX_GROWTH * len(draft), len(draft) + MIN_ROOM_CHARS):
        raise UngroundedOutputError("the rewording is far longer than the draft")
    found = suspicious(text, allowed=draft)
    if found:
        raise UngroundedOutputError(f"the rewording reads like an injection: {found!r}")
    verdict = check_grounding(text, facts, reference=draft)
    if not verdict.ok:
        codes = sorted({p.code for p in verdict.problems})
        raise UngroundedOutputError(f"the rewording is not grounded: {', '.join(codes)}")
    novel = scan.numbers_in(text) - scan.numbers_in(draft) - _fact_numbers(facts)
    if novel:
        raise UngroundedOutputError(f"the rewording brings in numbers: {sorted(novel)}")
    return text


def _fact_numbers(facts: GroundingFacts) -> set[str]:
    """The facts' amounts and percentages as they may be written in digits."""
    written: set[str] = set()
    for cents in facts.money_cents():
        written.update(
            {f"{cents / 100:.2f}", str(cents // 100)}
            if cents % 100 == 0
            else {f"{cents / 100:.2f}"}
        )
    for percent in facts.percent_values():
        written.update({f"{percent:g}", f"{percent:.1f}", str(round(percent))})
    return written
