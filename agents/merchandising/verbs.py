"""What a task asks to do: the verb and its amount ("boost … 20%", "15% off", "raise … to $45").

Read in this order, the first that fits wins: a list-price change (a verb on "price"), a
promotion ("% off", discount, promotion, sale), pin, exclude, bury, boost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agents.merchandising.claims import Claims
from agents.merchandising.exceptions import InvalidTaskError
from agents.merchandising.phrases import NUMBER, percent
from agents.merchandising.spec import TaskKind

_I = re.IGNORECASE
_UP = ("raise", "increase", "bump", "hike", "up")
_DOWN = ("lower", "reduce", "cut", "drop", "decrease", "slash")
_PRICE = re.compile(
    r"\b(?P<v>raise|increase|bump(?:\s+up)?|hike|lower|reduce|cut|drop|decrease|slash|set|change|"
    r"update|adjust|make|move)\s+(?:the\s+)?(?:list\s+|regular\s+|base\s+|retail\s+)?prices?\b"
    r"(?:\s+(?:of|for|on))?|\bre-?price\b",
    _I,
)
_AMOUNT = r"\d{1,7}(?:,\d{3})*(?:\.\d{1,2})?"
_PRICE_TO = re.compile(rf"\b(?:to|at)\s+(?:\$\s*(?P<m>{_AMOUNT})\b|(?P<n>{_AMOUNT})\b(?!\s*%))", _I)
_PRICE_BY_PCT = re.compile(rf"\bby\s+{percent('p')}", _I)
_PRICE_BY_MONEY = re.compile(r"\bby\s+\$\s*(?P<c>\d{1,7}(?:\.\d{1,2})?)\b", _I)
_OFF = re.compile(
    r"(?:\b(?:take|give|offer|run|apply|put|do|create|launch|start|set\s+up)\s+(?:a\s+)?)?"
    rf"(?:{percent('d')}\s*off\b|{percent('e')}\s+(?:discount|promotion|promo|sale|markdown)\b"
    r"(?:\s+(?:on|for))?)",
    _I,
)
_PROMO_WORD = re.compile(
    r"\b(?:(?:run|create|start|launch|set\s+up|put)\s+(?:a\s+|an?\s+)?)?(?:discount(?:ed)?|"
    r"promotion|promo|on\s+sale|sale)\b(?:\s+(?:on|for|of|by))?",
    _I,
)
_ANY_PERCENT = re.compile(rf"(?:\bby\s+)?{percent('x')}", _I)
_PIN = re.compile(r"\bpin(?:ned)?\b(?:\s+(?:it|them))?", _I)
_TOP = re.compile(
    r"\b(?:to|at)\s+(?:the\s+)?(?:very\s+)?(?:top|first\s+(?:place|position|spot)|"
    r"position\s+(?:one|1))\b(?:\s+(?:of|for|in))?",
    _I,
)
_EXCLUDE = re.compile(
    r"\b(?:exclude|hide|remove|suppress|block|filter\s+out|keep\s+out|take\s+out|"
    r"stop\s+(?:recommending|showing|promoting)|do\s*n[o']?t\s+(?:recommend|show)|"
    r"never\s+(?:recommend|show))\b",
    _I,
)
_FROM_RECS = re.compile(
    r"\b(?:from|in|out\s+of)\s+(?:all\s+)?(?:the\s+|our\s+)?(?:recommendations?|recs|"
    r"search\s+results|results|rankings?|listings?|the\s+site)\b",
    _I,
)
_BURY = re.compile(
    r"\b(?:bury|demote|down[\s-]?rank|de-?prioriti[sz]e|push\s+down|sink|down[\s-]?weight|"
    r"lower\s+(?:the\s+)?rank(?:ing)?s?\s+(?:of|for))\b",
    _I,
)
_BOOST = re.compile(
    r"\b(?:boost|promote|feature|push\s+up|push|up[\s-]?rank|up[\s-]?weight|highlight|"
    r"favou?r|raise\s+(?:the\s+)?rank(?:ing)?s?\s+(?:of|for)|rank\s+higher)\b",
    _I,
)
_WEIGHT = re.compile(
    rf"\b(?:by|weight(?:\s+of)?|with\s+(?:a\s+)?weight(?:\s+of)?)\s+(?P<x>{NUMBER})\b(?!\s*%)", _I
)
_SOFT = re.compile(r"\b(?:slightly|a\s+(?:little|bit)|gently|a\s+touch)\b", _I)
_HARD = re.compile(r"\b(?:strongly|heavily|a\s+lot|significantly|aggressively)\b", _I)
SOFT_WEIGHT, HARD_WEIGHT = 0.1, 0.5


@dataclass(frozen=True)
class Verb:
    """What to do, with the amount when one was given."""

    kind: TaskKind
    weight: float | None = None
    discount_pct: float | None = None
    new_price_cents: int | None = None
    price_change_pct: float | None = None
    price_change_cents: int | None = None


def detect_kind(text: str) -> TaskKind | None:
    """The kind of change a text asks for, without reading the rest of it."""
    if _PRICE.search(text):
        return "list_price"
    if _OFF.search(text) or _PROMO_WORD.search(text):
        return "promotion"
    ordered: tuple[tuple[TaskKind, re.Pattern[str]], ...] = (
        ("pin", _PIN),
        ("exclude", _EXCLUDE),
        ("bury", _BURY),
    )
    for kind, pattern in ordered:
        if pattern.search(text):
            return kind
    return "boost" if _BOOST.search(text) else None


def extract_verb(claims: Claims) -> Verb | None:
    """The verb of a task and its amount, claiming their words."""
    kind = detect_kind(claims.text)
    if kind == "list_price":
        return _price(claims)
    if kind == "promotion":
        return _promotion(claims)
    if kind == "pin":
        claims.claim(_PIN)
        claims.claim(_TOP)
        return Verb("pin")
    if kind == "exclude":
        claims.claim(_EXCLUDE)
        claims.claim(_FROM_RECS)
        return Verb("exclude")
    if kind in ("bury", "boost"):
        claims.claim(_BURY if kind == "bury" else _BOOST)
        return Verb(kind, weight=_weight(claims))
    return None


def _price(claims: Claims) -> Verb:
    verb = claims.claim(_PRICE)
    word = (verb.group("v") or "set").lower() if verb else "set"
    sign = 1 if word.startswith(_UP) else -1 if word.startswith(_DOWN) else 0
    target = claims.claim(_PRICE_TO)
    if target is not None:
        amount = (target.group("m") or target.group("n")).replace(",", "")
        return Verb("list_price", new_price_cents=round(float(amount) * 100))
    by_pct = claims.claim(_PRICE_BY_PCT)
    by_money = None if by_pct else claims.claim(_PRICE_BY_MONEY)
    if (by_pct or by_money) and sign == 0:
        raise InvalidTaskError(
            "say whether to raise or lower the price", field="price_change", hint=_PRICE_HINT
        )
    if by_pct is not None:
        return Verb("list_price", price_change_pct=sign * float(by_pct.group("p")))
    if by_money is not None:
        return Verb("list_price", price_change_cents=sign * round(float(by_money.group("c")) * 100))
    raise InvalidTaskError("the new price is missing", field="price", hint=_PRICE_HINT)


_PRICE_HINT = 'For example: "raise the price of SKU-123 to $45" or "lower the price of … by 10%".'


def _promotion(claims: Claims) -> Verb:
    match = claims.claim(_OFF)
    if match is not None:
        return Verb("promotion", discount_pct=float(match.group("d") or match.group("e")))
    claims.claim(_PROMO_WORD)
    amount = claims.claim(_ANY_PERCENT)
    if amount is None:
        raise InvalidTaskError(
            "the promotion needs a discount", field="discount_pct", hint='For example: "15% off …".'
        )
    return Verb("promotion", discount_pct=float(amount.group("x")))


def _weight(claims: Claims) -> float | None:
    """A boost/bury strength: "20%" is 0.2, "by 0.3" is 0.3, "slightly" 0.1, "strongly" 0.5."""
    amount = claims.claim(_ANY_PERCENT)
    if amount is not None:
        value = float(amount.group("x")) / 100
    elif (plain := claims.claim(_WEIGHT)) is not None:
        value = float(plain.group("x"))
        value = value / 100 if value > 1 else value
    elif claims.claim(_SOFT):
        value = SOFT_WEIGHT
    elif claims.claim(_HARD):
        value = HARD_WEIGHT
    else:
        return None
    if not 0 < value <= 1:
        raise InvalidTaskError("a boost or bury strength is between 1% and 100%", field="weight")
    return value
