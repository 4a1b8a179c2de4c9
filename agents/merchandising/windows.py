"""Time windows as merchandisers write them, read into local calendar dates.

"until Sunday", "through Nov 30", "this weekend", "for 3 days", "for 48 hours",
"from Friday to Sunday", "starting tomorrow for a week", "today only", "end of month".
Dates are relative to the local `today` of the store: a weekday is its next occurrence on or
after today ("until Sunday" on a Sunday is today), "next Sunday" the first one after today,
"the weekend" ends on the coming Sunday, "end of the week" is the coming Sunday, a month and
day already past this year means next year's; "before X" ends the day before X.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from agents.merchandising.claims import Claims
from agents.merchandising.spec import WindowSpec
from tools.query.lexicon import MONTHS, WEEKDAYS, alternation
from tools.query.numbers import WORD_NUMBER, small_int

_I = re.IGNORECASE
_DAYS = {**WEEKDAYS, "mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4}
_WEEKDAY = alternation(_DAYS)
_MONTH = alternation(MONTHS)
_ORD = r"(?:st|nd|rd|th)?"
_DATE = (
    rf"(?:(?:this|next|coming)\s+)?(?:{_WEEKDAY})\b|(?:{_MONTH})\.?\s+\d{{1,2}}{_ORD}(?:,?\s+\d{{4}})?\b"
    rf"|\d{{1,2}}{_ORD}\s+(?:of\s+)?(?:{_MONTH})\b(?:,?\s+\d{{4}})?|\d{{4}}-\d{{2}}-\d{{2}}\b"
    r"|\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|today\b|tonight\b|tomorrow\b"
    r"|(?:this\s+|the\s+|next\s+)?weekend\b"
    r"|(?:the\s+)?end\s+of\s+(?:the\s+|this\s+|next\s+)?(?:week|month)\b"
)
_END_WORDS = (
    r"until|till|til|through|thru|to|ending(?:\s+on)?|ends?(?:\s+on)?|up\s+to(?:\s+and\s+including)?"
    r"|by|before|into"
)
_START_WORDS = r"from|starting(?:\s+on)?|beginning(?:\s+on)?|effective|as\s+of"
_RANGE = re.compile(
    rf"\b(?:(?:{_START_WORDS}|between)\s+)?(?P<a>{_DATE})\s*(?:-|to|through|thru|until|till|and)"
    rf"\s*(?P<b>{_DATE})",
    _I,
)
_END = re.compile(rf"\b(?P<w>{_END_WORDS})\s+(?:the\s+)?(?:end\s+of\s+)?(?P<d>{_DATE})", _I)
_START = re.compile(rf"\b(?:{_START_WORDS})\s+(?P<d>{_DATE})", _I)
_DURATION = re.compile(
    rf"\bfor\s+(?:the\s+)?(?:next\s+)?(?P<n>\d{{1,4}}|a|an|{WORD_NUMBER})\s+"
    r"(?P<u>hours?|days?|weeks?)\b",
    _I,
)
_SINGLE = re.compile(
    rf"\b(?:(?:for|on|only)\s+(?:the\s+)?(?P<d>{_DATE})(?:\s+only)?"
    r"|(?P<e>(?:this|next)\s+weekend|today|tonight|tomorrow)(?:\s+only)?"
    rf"|(?P<f>{_DATE})\s+only)",
    _I,
)


def extract_window(claims: Claims, *, today: date) -> WindowSpec:
    """The window a task names (claiming its words); an empty spec when it names none."""
    found = _range(claims, today)
    if found is not None:
        return found
    starts = _dated(claims, _START, today, end=False)
    ends = _dated(claims, _END, today, end=True)
    duration = _duration(claims)
    if starts is None and ends is None and duration == (None, None):
        single = _single(claims, today)
        if single is not None:
            return single
    return WindowSpec(
        starts_on=starts, ends_on=ends, duration_days=duration[0], duration_hours=duration[1]
    )


def _range(claims: Claims, today: date) -> WindowSpec | None:
    match = claims.find(_RANGE)
    if match is None:
        return None
    first = resolve_date(match.group("a"), today, end=False)
    last = resolve_date(match.group("b"), today, end=True)
    if first is None or last is None:
        return None
    while last < first:
        last += timedelta(days=7)
    claims.take(match.start(), match.end())
    return WindowSpec(starts_on=first, ends_on=last)


def _dated(claims: Claims, pattern: re.Pattern[str], today: date, *, end: bool) -> date | None:
    match = claims.find(pattern)
    if match is None:
        return None
    day = resolve_date(match.group("d"), today, end=end)
    if day is None:
        return None
    claims.take(match.start(), match.end())
    if end and match.group("w").lower() == "before":
        return max(today, day - timedelta(days=1))
    return day


def _duration(claims: Claims) -> tuple[int | None, int | None]:
    """(days, hours) of "for 3 days", "for a week", "for 48 hours"."""
    match = claims.find(_DURATION)
    if match is None:
        return None, None
    word = match.group("n").lower()
    count = 1 if word in ("a", "an") else small_int(word, upper=9999)
    if count is None:
        return None, None
    claims.take(match.start(), match.end())
    unit = match.group("u").lower()
    if unit.startswith("hour"):
        return None, count
    return (count * 7 if unit.startswith("week") else count), None


def _single(claims: Claims, today: date) -> WindowSpec | None:
    """A window of one named day or weekend ("today only", "this weekend", "on Sunday")."""
    match = claims.find(_SINGLE)
    if match is None:
        return None
    text = (match.group("d") or match.group("e") or match.group("f")).lower()
    last = resolve_date(text, today, end=True)
    if last is None:
        return None
    first = last - timedelta(days=1) if "weekend" in text else last
    claims.take(match.start(), match.end())
    return WindowSpec(starts_on=max(first, today), ends_on=last)


def resolve_date(text: str, today: date, *, end: bool) -> date | None:
    """The local date a phrase names; for a weekend, its Sunday (end) or Saturday (start)."""
    body = re.sub(r"\s+", " ", text.lower().replace("-", " ")).strip()
    body = re.sub(r"^(?:the|this|coming) ", "", body)
    if body in ("today", "tonight"):
        return today
    if body == "tomorrow":
        return today + timedelta(days=1)
    if "weekend" in body:
        sunday = today + timedelta(days=(6 - today.weekday()) % 7)
        sunday += timedelta(days=7 if body.startswith("next") else 0)
        return sunday if end else max(today, sunday - timedelta(days=1))
    if body.startswith("end of"):
        return _end_of(body, today)
    return _weekday(body, today) or _calendar(body, today)


def _end_of(body: str, today: date) -> date:
    later = " next " in f" {body} "
    if body.endswith("month"):
        year, month = (today.year, today.month)
        if later:
            year, month = (year + month // 12, month % 12 + 1)
        return date(year, month, calendar.monthrange(year, month)[1])
    return today + timedelta(days=(6 - today.weekday()) % 7 + (7 if later else 0))


def _weekday(body: str, today: date) -> date | None:
    words = body.split()
    if not words or words[-1] not in _DAYS:
        return None
    ahead = (_DAYS[words[-1]] - today.weekday()) % 7
    if words[0] == "next" and ahead == 0:
        ahead = 7
    return today + timedelta(days=ahead)


def _calendar(body: str, today: date) -> date | None:
    iso = re.fullmatch(r"(\d{4}) (\d{2}) (\d{2})", body)
    if iso:
        return _date(int(iso[1]), int(iso[2]), int(iso[3]))
    slash = re.fullmatch(r"(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?", body)
    if slash:
        year = int(slash[3]) if slash[3] else None
        return _dated_or_next(today, int(slash[1]), int(slash[2]), year)
    words = re.sub(r"(?<=\d)(?:st|nd|rd|th)\b|\bof\b|[.,]", " ", body).split()
    month = next((MONTHS[w] for w in words if w in MONTHS), None)
    numbers = [int(w) for w in words if w.isdigit()]
    day = next((n for n in numbers if n <= 31), None)
    year = next((n for n in numbers if n >= 1000), None)
    if month is None or day is None:
        return None
    return _dated_or_next(today, month, day, year)


def _dated_or_next(today: date, month: int, day: int, year: int | None) -> date | None:
    if year is not None:
        return _date(year + 2000 if year < 100 else year, month, day)
    candidate = _date(today.year, month, day)
    if candidate is not None and candidate < today:
        candidate = _date(today.year + 1, month, day)
    return candidate


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
