"""Budgets: "under $30", "between 20 and 40", "$20-$40", "around $50", "cheap", "luxury".

A number without a currency counts as money only after a clear price word ("under 30") and
never when a unit follows it ("under 30 inches"). "Around X" is the band X ± 20%. The relative
bands are price quantiles of the matched category (or of the whole catalog), resolved once the
category is known (`resolve_band`):

    cheap       at most the 25th percentile       premium   at least the 75th percentile
    affordable  at most the median                luxury    at least the 90th percentile
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.query.intent import Budget, BudgetSource, PriceBand, SlotMatch
from tools.query.numbers import NUMBER, number_value, to_cents, unit_follows
from tools.query.text import Doc
from tools.query.vocabulary import PriceQuantiles

AROUND_SPREAD = 0.2
_CURRENCY = re.compile(r"[$£€]|\b(?:dollars?|bucks?|usd|euros?|eur|gbp)\b")
_AMOUNT = (
    rf"(?:(?:[$£€]|usd)\s?)?{NUMBER}"
    r"(?:\s?(?:[$£€]|dollars?\b|bucks?\b|usd\b|euros?\b|eur\b|gbp\b))?"
)
_MAX_CUES = (
    r"under|below|less than|lower than|cheaper than|no more than|not more than|no higher than|"
    r"not over|not exceeding|at most|up to|max|maximum|within|budget of|budget is|budget|"
    r"for less than|spend|spending|tops"
)
_MIN_CUES = r"over|above|more than|at least|min|minimum|starting at|from|higher than|greater than"
_AROUND_CUES = r"around|about|approximately|approx|roughly|close to|near|something like"
_PRICE_CONTEXT = re.compile(r"\b(?:price|priced|prices|budget|spend|cost|costs|pay|paying)\b")

# (pattern, kind); earlier patterns claim their words first.
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(rf"\b(?:between|from)\s+(?P<a>{_AMOUNT})\s*(?:and|to|-)\s*(?P<b>{_AMOUNT})"),
        "range",
    ),
    (re.compile(rf"(?P<a>{_AMOUNT})\s*(?:-|to)\s*(?P<b>{_AMOUNT})"), "dash"),
    (re.compile(rf"(?:\b(?:{_MAX_CUES})|<=?)\s*(?:of\s+)?(?P<a>{_AMOUNT})"), "max"),
    (re.compile(rf"(?:\b(?:{_MIN_CUES})|>=?)\s*(?P<a>{_AMOUNT})"), "min"),
    (re.compile(rf"(?:\b(?:{_AROUND_CUES})|~)\s*(?P<a>{_AMOUNT})"), "around"),
    (re.compile(rf"(?P<a>{_AMOUNT})"), "bare"),
)
_BANDS: tuple[tuple[re.Pattern[str], PriceBand], ...] = (
    (
        re.compile(
            r"\bnot\s+(?:too\s+|so\s+|very\s+|that\s+|overly\s+)?"
            r"(?:expensive|pricey|pricy|costly)\b"
        ),
        "affordable",
    ),
    (
        re.compile(
            r"\b(?:cheap|cheaply|inexpensive|low[\s-]cost|low[\s-]priced|bargain|"
            r"budget[\s-]friendly|on\s+a\s+budget|cheaper|less\s+expensive)\b"
        ),
        "cheap",
    ),
    (
        re.compile(
            r"\b(?:affordable|reasonably\s+priced|reasonable\s+price|economical|good\s+value)\b"
        ),
        "affordable",
    ),
    (
        re.compile(
            r"\b(?:premium|high[\s-]end|upscale|top[\s-]of[\s-]the[\s-]line|top[\s-]shelf|"
            r"expensive|pricey|splurge)\b"
        ),
        "premium",
    ),
    (re.compile(r"\b(?:luxury|luxurious|luxe)\b"), "luxury"),
)


@dataclass(frozen=True)
class _Amount:
    cents: int
    currency: bool


@dataclass(frozen=True)
class _Limit:
    min_cents: int | None
    max_cents: int | None
    source: BudgetSource


def extract_budget(doc: Doc) -> tuple[Budget | None, list[SlotMatch]]:
    """The budget of a request, claiming the words that state it."""
    limits: list[_Limit] = []
    matches: list[SlotMatch] = []
    for pattern, kind in _PATTERNS:
        for m in pattern.finditer(doc.text):
            if not doc.is_free(m.start(), m.end()):
                continue
            limit = _limit(doc.text, m, kind)
            if limit is None:
                continue
            doc.consume(m.start(), m.end())
            limits.append(limit)
            value = _describe(limit.min_cents, limit.max_cents)
            confidence = 0.6 if kind == "bare" else 0.9
            matches.append(_match(doc, m, value, confidence))
    band = _band(doc, matches)
    if not limits and band is None:
        return None, matches
    return _combine(limits, band), matches


def _band(doc: Doc, matches: list[SlotMatch]) -> PriceBand | None:
    found: PriceBand | None = None
    for pattern, band in _BANDS:
        for m in pattern.finditer(doc.text):
            if doc.is_free(m.start(), m.end()):
                doc.consume(m.start(), m.end())
                matches.append(_match(doc, m, band, 0.8))
                found = found or band
    return found


def _limit(text: str, m: re.Match[str], kind: str) -> _Limit | None:
    a = _amount(m.group("a"))
    b = _amount(m.group("b")) if "b" in m.groupdict() else None
    if a is None or ("b" in m.groupdict() and b is None):
        return None
    currency = a.currency or (b is not None and b.currency)
    bare_ok = not unit_follows(text, m.end())
    if kind in ("range", "dash"):
        assert b is not None
        if not (currency or (kind == "range" and bare_ok)):
            return None
        low, high = sorted((a.cents, b.cents))
        return _Limit(low, high, "explicit")
    if kind == "max":
        return _Limit(None, a.cents, "explicit") if currency or bare_ok else None
    if kind == "around" and (currency or (bare_ok and _PRICE_CONTEXT.search(text))):
        spread = round(a.cents * AROUND_SPREAD)
        return _Limit(a.cents - spread, a.cents + spread, "around")
    if not currency:
        return None
    if kind == "min":
        return _Limit(a.cents, None, "explicit")
    return _Limit(None, a.cents, "bare_amount") if kind == "bare" else None


def _amount(text: str) -> _Amount | None:
    currency = bool(_CURRENCY.search(text))
    number = _CURRENCY.sub(" ", text).strip()
    if not number[:1].isdigit() and not currency:
        return None
    value = number_value(number)
    cents = to_cents(value) if value is not None else None
    return _Amount(cents, currency) if cents is not None else None


def _combine(limits: list[_Limit], band: PriceBand | None) -> Budget:
    mins = [x.min_cents for x in limits if x.min_cents is not None]
    maxs = [x.max_cents for x in limits if x.max_cents is not None]
    low = max(mins) if mins else None
    high = min(maxs) if maxs else None
    if low is not None and high is not None and low > high:
        low = None
    sources = {x.source for x in limits}
    source: BudgetSource = "explicit"
    if not limits:
        source = "band"
    elif sources <= {"around"} or sources <= {"bare_amount"}:
        source = limits[0].source
    return Budget(min_cents=low, max_cents=high, band=band, source=source)


def resolve_band(budget: Budget, quantiles: PriceQuantiles | None) -> Budget:
    """Turn a relative band into cents where the request named no amount itself."""
    if budget.band is None or quantiles is None or budget.source != "band":
        return budget
    low, high = {
        "cheap": (None, quantiles.p25),
        "affordable": (None, quantiles.p50),
        "premium": (quantiles.p75, None),
        "luxury": (quantiles.p90, None),
    }[budget.band]
    return budget.model_copy(update={"min_cents": low, "max_cents": high})


def _describe(low: int | None, high: int | None) -> str:
    def money(cents: int) -> str:
        return f"${cents / 100:,.2f}"

    if low is not None and high is not None:
        return f"{money(low)}-{money(high)}"
    return f"at least {money(low)}" if low is not None else f"at most {money(high or 0)}"


def _match(doc: Doc, m: re.Match[str], value: str, confidence: float) -> SlotMatch:
    return SlotMatch(
        slot="budget",
        value=value,
        start=m.start(),
        end=m.end(),
        text=m.group(),
        confidence=confidence,
        source="pattern",
    )
