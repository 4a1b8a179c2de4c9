"""Reading a merchandising question into a `ReportSpec` (which report, over which products)."""

from __future__ import annotations

import re
from datetime import datetime

from agents.merchandising.claims import Claims, clean
from agents.merchandising.classify import report_kind
from agents.merchandising.examples import REPORT_EXAMPLES, not_understood
from agents.merchandising.exceptions import TaskNotUnderstoodError
from agents.merchandising.phrases import STOCK_PATTERNS, extract_flags
from agents.merchandising.scope_text import scope_from_text
from agents.merchandising.spec import ReportSpec
from tools.query import CatalogVocabulary

_I = re.IGNORECASE
_RECOMMENDED = re.compile(r"\b(?:recommended|recommendations?|recs|featured|promoted)\b", _I)
_TOPIC = re.compile(
    r"\b(?:(?:merch(?:andising)?\s+)?rules?|promotions?|promos?|discounts?|deals?|on\s+sale|"
    r"sales|boosts|boosted|pins|pinned|buried|exclusions|excluded|stock|inventory)\b",
    _I,
)
_STATUS = re.compile(
    r"\b(?:active|running|live|current(?:ly)?|in\s+force|right\s+now|now|today|at\s+the\s+moment)\b",
    _I,
)
_OPENER = re.compile(
    r"^\s*(?:which|what(?:'s|\s+is|\s+are)?|whats|where|how\s+many|show(?:\s+me)?|list|report|"
    r"give\s+me|tell\s+me|are\s+there|is\s+there|is\s+anything|do\s+we\s+have|any|find)\b"
    r"(?:\s+(?:of\s+)?(?:the|our|any|all))?",
    _I,
)


def parse_report(text: str, *, vocabulary: CatalogVocabulary, now: datetime) -> ReportSpec:
    """The report a question asks for; refuses text that is not such a question."""
    kind = report_kind(clean(text))
    if kind is None:
        raise TaskNotUnderstoodError(not_understood(text), examples=REPORT_EXAMPLES)
    claims = Claims.of(text)
    claims.claim(_OPENER)
    recommended = claims.claim(_RECOMMENDED) is not None
    for _, pattern in STOCK_PATTERNS:
        claims.claim_all(pattern)
    claims.claim_all(_TOPIC)
    claims.claim_all(_STATUS)
    flags = extract_flags(claims)
    scope, _ = scope_from_text(claims.rest(), vocabulary=vocabulary, now=now, flags=flags)
    return ReportSpec(kind=kind, text=claims.text, scope=scope, recommended_only=recommended)
