"""Telling a merchandiser's text apart: a change to plan, a question to answer, or neither.

A question ("which …", "what's …", "show …", "list …") about stock, promotions or rules is a
report; otherwise a change verb (boost, bury, pin, exclude, "% off", a price change) makes it
a task to plan; a bare topic ("active promotions") is a report; anything else is unknown.
"""

from __future__ import annotations

import re
from typing import Literal

from agents.merchandising.claims import clean
from agents.merchandising.phrases import STOCK_PATTERNS
from agents.merchandising.spec import ReportKind, StockFilter
from agents.merchandising.verbs import detect_kind

TaskClass = Literal["plan", "report", "unknown"]

_I = re.IGNORECASE
_QUESTION = re.compile(
    r"^\s*(?:which|what|whats|what's|where|how\s+many|show|list|report|give\s+me|tell\s+me|"
    r"are\s+there|is\s+there|is\s+anything|do\s+we\s+have|any|find)\b",
    _I,
)
_PROMOTIONS = re.compile(r"\b(?:promotions?|promos?|discounts?|deals?|on\s+sale|sales)\b", _I)
_RULES = re.compile(
    r"\b(?:merch(?:andising)?\s+rules?|rules|boosts|boosted|pins|pinned|buried|"
    r"exclusions|excluded)\b",
    _I,
)
_STOCK_REPORTS: dict[StockFilter, ReportKind] = {
    "out": "out_of_stock",
    "low": "low_stock",
    "overstock": "overstock",
}


def report_kind(text: str) -> ReportKind | None:
    """The report a text asks about, if any."""
    if _PROMOTIONS.search(text):
        return "active_promotions"
    if _RULES.search(text):
        return "active_rules"
    for level, pattern in STOCK_PATTERNS:
        if level in _STOCK_REPORTS and pattern.search(text):
            return _STOCK_REPORTS[level]
    return None


def is_question(text: str) -> bool:
    """Whether the text opens like a question or a request for a list."""
    return bool(_QUESTION.match(text))


def classify(text: str) -> TaskClass:
    """ "plan" for a change, "report" for a read-only question, "unknown" otherwise."""
    cleaned = clean(text)
    if not cleaned:
        return "unknown"
    topic = report_kind(cleaned)
    if topic is not None and is_question(cleaned):
        return "report"
    if detect_kind(cleaned) is not None:
        return "plan"
    return "report" if topic is not None else "unknown"
