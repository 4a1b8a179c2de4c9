"""The grounding check: a reply may state only what the approved facts hold.

Usable on any reply (templated or phrased by an LLM): every amount of money and percentage must be
a fact's; every sku-like code, capitalised product name and catalog brand must belong to a fact's
product; every offer it claims (a discount, free shipping, a bundle) must be an approved offer;
and texts the facts require (disclosures) must be there verbatim. `reference` (the draft an LLM
rephrased) may add names, never amounts, percentages or offers.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from orchestrator.llm import scan
from orchestrator.llm.facts import GroundingFacts

ProblemCode = Literal[
    "unknown_price",
    "unknown_percent",
    "unknown_sku",
    "unknown_brand",
    "unknown_name",
    "unknown_offer",
    "missing_required",
]
PERCENT_TOLERANCE = 0.01


class GroundingProblem(BaseModel):
    """One statement of a reply that the facts do not back."""

    model_config = ConfigDict(frozen=True)

    code: ProblemCode
    text: str


class GroundingVerdict(BaseModel):
    """Whether a reply is grounded, and what is not."""

    model_config = ConfigDict(frozen=True)

    problems: tuple[GroundingProblem, ...] = ()

    @property
    def ok(self) -> bool:
        """True when every statement is backed by the facts."""
        return not self.problems


def check_grounding(text: str, facts: GroundingFacts, *, reference: str = "") -> GroundingVerdict:
    """The problems of `text` against `facts` (none: the reply is grounded).

    An amount, percentage or offer that follows a product's name (or sku) in a sentence must be
    that product's own, so a price or a discount cannot move from one product to another.
    """
    problems: list[GroundingProblem] = []
    for sentence in scan.sentences(text):
        problems += _sentence_problems(sentence, facts)
    problems += _unknown_skus(text, facts, reference)
    problems += _unknown_brands(text, facts, reference)
    problems += _unknown_names(text, facts, reference)
    problems += [
        GroundingProblem(code="missing_required", text=required)
        for required in facts.required
        if required not in text
    ]
    return GroundingVerdict(problems=tuple(problems))


def _sentence_problems(sentence: str, facts: GroundingFacts) -> list[GroundingProblem]:
    scope = _Scopes(sentence, facts)
    names = " ".join(facts.names())
    problems = [
        GroundingProblem(code="unknown_price", text=words)
        for at, words, cents in scan.money_mentions(sentence)
        if cents not in scope.at(at).money_cents() and words not in names
    ]
    problems += [
        GroundingProblem(code="unknown_percent", text=words)
        for at, words, value in scan.percent_mentions(sentence)
        if not any(abs(value - a) <= PERCENT_TOLERANCE for a in scope.at(at).percent_values())
    ]
    problems += [
        GroundingProblem(code="unknown_offer", text=words)
        for at, words, kind in scan.offer_mentions(sentence)
        if kind not in scope.at(at).offer_kinds()
    ]
    return problems


class _Scopes:
    """Which facts apply at an offset of a sentence: those of the product named last before it;
    before any name, those of every product the sentence names; in a sentence naming none, all."""

    def __init__(self, sentence: str, facts: GroundingFacts) -> None:
        lowered = sentence.lower()
        self.facts = facts
        self.mentions = sorted(
            (at, p.sku)
            for p in facts.products
            for key, within in ((p.name.lower(), lowered), (p.sku, sentence))
            for at in _offsets(key, within)
        )
        named = frozenset(sku for _, sku in self.mentions)
        self.whole = facts.only(named) if named else facts

    def at(self, offset: int) -> GroundingFacts:
        before = [sku for at, sku in self.mentions if at < offset]
        return self.facts.only(frozenset(before[-1:])) if before else self.whole


def _offsets(needle: str, text: str) -> list[int]:
    found: list[int] = []
    at = text.find(needle) if needle else -1
    while at >= 0:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


def _unknown_skus(text: str, facts: GroundingFacts, reference: str) -> list[GroundingProblem]:
    skus = facts.skus()
    names = (*facts.names(), reference)
    return [
        GroundingProblem(code="unknown_sku", text=code)
        for code in scan.sku_like(text)
        if code not in skus and not any(code in name for name in names)
    ]


def _unknown_brands(text: str, facts: GroundingFacts, reference: str) -> list[GroundingProblem]:
    pattern = scan.name_pattern(facts.known_brands)
    if pattern is None:
        return []
    allowed = " \n ".join((*facts.names(), reference)).lower()
    return [
        GroundingProblem(code="unknown_brand", text=match.group(0))
        for match in pattern.finditer(text)
        if match.group(0).lower() not in allowed
    ]


def _unknown_names(text: str, facts: GroundingFacts, reference: str) -> list[GroundingProblem]:
    """Capitalised runs whose words are not all the words of one known name."""
    products = (f"{p.brand} {p.name}" for p in facts.products)
    known = [scan.words_of(name) for name in (*products, *facts.phrases, reference)]
    return [
        GroundingProblem(code="unknown_name", text=run)
        for run in scan.capitalised_names(text)
        if not any(scan.words_of(run) <= words for words in known)
    ]
