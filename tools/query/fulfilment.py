"""Fulfilment: "pickup today", "same-day delivery", "ship by Friday", "delivered tomorrow".

Dates are resolved against the `now` the caller gives. A weekday means its next occurrence on or
after today ("by Friday" on a Friday is today); "next Friday" is the first one after today;
"before X" is the day before X; "this weekend" is the coming Saturday; a month and day already
past this year means next year's.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from tools.query.intent import Fulfilment, SlotMatch
from tools.query.lexicon import MONTHS, WEEKDAYS, alternation
from tools.query.numbers import WORD_NUMBER, small_int
from tools.query.text import Doc

_WEEKDAY = alternation(WEEKDAYS)
_MONTH = alternation(MONTHS)
_N = rf"(?:\d{{1,3}}|{WORD_NUMBER})"
_ORD = r"(?:st|nd|rd|th)?"
_DATE = (
    rf"(?:(?:this|next|coming)\s+)?(?:{_WEEKDAY})\b|(?:{_MONTH})\.?\s+\d{{1,2}}{_ORD}\b|"
    rf"\d{{1,2}}{_ORD}\s+(?:of\s+)?(?:{_MONTH})\b|\d{{1,2}}/\d{{1,2}}\b|the\s+\d{{1,2}}{_ORD}\b|"
    r"(?:the\s+|this\s+)?weekend\b|(?:the\s+)?end\s+of\s+(?:the\s+)?week\b|today\b|tonight\b|"
    r"tomorrow\b"
)
_DEADLINE = (
    rf"(?:by|before|until|till|no\s+later\s+than|on)\s+(?:{_DATE})|"
    rf"(?:within|in)\s+{_N}\s+(?:business\s+)?days?\b"
)
_WHEN = (
    r"(?P<when>same[\s-]?day\b|next[\s-]?day\b|overnight\b|today\b|tonight\b|tomorrow\b|"
    rf"this\s+weekend\b|{_DEADLINE}|{_N}[\s-]days?(?=\s+(?:shipping|delivery)))"
)
_WHEN_ALONE = (
    rf"(?P<when>same[\s-]?day\b|today\b|tonight\b|tomorrow\b|this\s+weekend\b|{_DEADLINE})"
)
_PICKUP = (
    r"(?:in[\s-]store\s+|curbside\s+)?pick[\s-]?up|pick\s+(?:it|them)\s+up|curbside|"
    r"click\s+and\s+collect|in[\s-]store"
)
_METHOD = (
    rf"(?P<method>{_PICKUP}|deliver(?:ed|y)?|ship(?:ped|ping)?|arrive|get\s+it|have\s+it|"
    r"receive\s+it|need\s+it)"
)
_PATTERNS: tuple[tuple[re.Pattern[str], float], ...] = (
    (
        re.compile(
            rf"\b{_METHOD}(?:\s+(?:it|them|up|in[\s-]store|at\s+(?:the|a)\s+store))?\s+{_WHEN}"
        ),
        0.95,
    ),
    (re.compile(rf"\b{_WHEN}\s+(?P<method>pick[\s-]?up|delivery|shipping)\b"), 0.95),
    (
        re.compile(
            r"\b(?P<method>(?:free|fast|express|expedited|home|quick|standard)\s+"
            r"(?:delivery|shipping))\b"
        ),
        0.8,
    ),
    (re.compile(rf"\b(?P<method>{_PICKUP})\b"), 0.85),
    (re.compile(rf"\b{_WHEN_ALONE}"), 0.7),
)


def extract_fulfilment(doc: Doc, *, today: date) -> tuple[Fulfilment | None, list[SlotMatch]]:
    """How and by when the shopper wants the goods, claiming the words that say so."""
    found = Fulfilment()
    matches: list[SlotMatch] = []
    for pattern, confidence in _PATTERNS:
        for m in pattern.finditer(doc.text):
            if not doc.is_free(m.start(), m.end()):
                continue
            update = _read(m, today)
            if not update:
                continue
            found = found.model_copy(update={k: v for k, v in update.items() if v is not None})
            doc.consume(m.start(), m.end())
            matches.append(_match(m, found, confidence))
    if found == Fulfilment():
        return None, matches
    return found, matches


def _read(m: re.Match[str], today: date) -> dict[str, object]:
    groups = m.groupdict()
    update: dict[str, object] = {}
    method = groups.get("method")
    if method:
        update["method"] = _method(method)
    when = groups.get("when")
    if when:
        need_by = resolve_when(when, today)
        if need_by is None:
            return {}
        update["need_by"] = need_by
        update["same_day"] = need_by == today
    return update


def _method(text: str) -> str | None:
    if "pick" in text or "curbside" in text or "store" in text or "collect" in text:
        return "pickup"
    if text.startswith(("deliver", "ship", "arriv", "free", "fast", "express", "home")):
        return "delivery"
    if text.startswith(("expedited", "quick", "standard")):
        return "delivery"
    return None


def resolve_when(text: str, today: date) -> date | None:
    """The latest acceptable date a time phrase names, relative to today; None if unreadable."""
    text = re.sub(r"\s+", " ", text.replace("-", " ")).strip()
    before = text.startswith("before ")
    body = re.sub(r"^(?:by|before|until|till|no later than|on|within|in) ", "", text)
    target = _relative_day(body, today) or _weekday(body, today) or _calendar(body, today)
    if target is None:
        return None
    return target - timedelta(days=1) if before and target > today else target


def _relative_day(body: str, today: date) -> date | None:
    if body in ("same day", "sameday", "today", "tonight"):
        return today
    if body in ("next day", "nextday", "overnight", "tomorrow"):
        return today + timedelta(days=1)
    if "weekend" in body:
        return today + timedelta(days=(5 - today.weekday()) % 7 if today.weekday() != 6 else 0)
    if "end of" in body:
        return today + timedelta(days=(4 - today.weekday()) % 7)
    days = re.fullmatch(r"(.+?) (?:business )?days?", body)
    if days:
        n = small_int(days.group(1), upper=365)
        return today + timedelta(days=n) if n is not None else None
    return None


def _weekday(body: str, today: date) -> date | None:
    words = body.split()
    if not words or words[-1] not in WEEKDAYS:
        return None
    ahead = (WEEKDAYS[words[-1]] - today.weekday()) % 7
    if words[0] == "next" and ahead == 0:
        ahead = 7
    return today + timedelta(days=ahead)


def _calendar(body: str, today: date) -> date | None:
    parts = re.sub(r"(?<=\d)(?:st|nd|rd|th)\b|\bof\b|\bthe\b|\.", " ", body).split()
    month: int | None = None
    day: int | None = None
    for word in parts:
        if word in MONTHS:
            month = MONTHS[word]
        elif "/" in word:
            m, _, d = word.partition("/")
            month, day = small_int(m, upper=12), small_int(d, upper=31)
        elif word.isdigit():
            day = small_int(word, upper=31)
    if day is None:
        return None
    return _next_date(today, month, day)


def _next_date(today: date, month: int | None, day: int) -> date | None:
    """The first date on or after today with this day (and month, when given)."""
    if month is not None:
        for year in range(today.year, today.year + 5):
            try:
                candidate = date(year, month, day)
            except ValueError:
                continue
            if candidate >= today:
                return candidate
        return None
    for step in range(13):
        index = today.month - 1 + step
        try:
            candidate = date(today.year + index // 12, index % 12 + 1, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    return None


def _match(m: re.Match[str], found: Fulfilment, confidence: float) -> SlotMatch:
    parts = [found.method or "", found.need_by.isoformat() if found.need_by else ""]
    return SlotMatch(
        slot="fulfilment",
        value=" by ".join(p for p in parts if p) or m.group(),
        start=m.start(),
        end=m.end(),
        text=m.group(),
        confidence=confidence,
        source="pattern",
    )
