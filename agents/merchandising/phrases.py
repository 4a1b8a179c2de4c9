"""The fixed phrasings of a task: queries, loyalty tiers, margin limits, stock, flags, skus."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

from agents.merchandising.claims import Claims
from agents.merchandising.spec import ProductFlag, StockFilter
from policies.actions.pricing import LoyaltyTier

KnownSkus = Callable[[Collection[str]], set[str]]
"""Given candidate skus, the ones the store has."""

NUMBER = r"\d+(?:\.\d+)?"


def percent(name: str) -> str:
    """A percentage ("20%", "20 percent") whose number is the named group."""
    return rf"(?P<{name}>{NUMBER})\s*(?:%|percent\b|pct\b)"


_I = re.IGNORECASE

_QUOTED = re.compile(
    r"(?:\b(?:for|on|in|under)\s+)?(?:the\s+)?(?:(?:search(?:es)?|quer(?:y|ies))\s+(?:for\s+)?)?"
    r"(?:\"(?P<q>[^\"]{1,300})\"|(?<![\w])'(?P<q2>[^']{1,300})'(?![\w]))",
    _I,
)
_UNQUOTED = re.compile(
    r"\b(?:(?:for|on)\s+(?:the\s+)?(?:search(?:es)?|quer(?:y|ies))\s+(?:for\s+|of\s+)?|"
    r"when\s+(?:people|shoppers|customers|someone)\s+search(?:es)?\s+for\s+)(?P<q>[^,;.!?]+)",
    _I,
)
_MARGIN = re.compile(
    r"(?:\b(?:keep|keeping|maintain|maintaining|hold|holding|protect|protecting|preserve|"
    r"preserving|with|and|but|while|at\s+least|a|the|our|gross|min|minimum|don'?t\s+let|"
    r"do\s+not\s+let|never\s+let|without\s+letting)\s+)*"
    rf"\bmargins?\b[^,;%$]{{0,40}}?{percent('n')}"
    rf"|{percent('m')}\s+(?:min(?:imum)?\s+)?(?:gross\s+)?margins?\b(?:\s+(?:min(?:imum)?|floor))?",
    _I,
)
_TIER = r"(?:silver|gold|platinum)"
_TIERS = re.compile(
    rf"\b(?:(?:for|to)\s+)?(?:our\s+|all\s+)?(?P<t>{_TIER}(?:\s*(?:,|/|&|and|or)\s*{_TIER})*)"
    r"(?:\s+(?:tier|level|loyalty))?"
    r"(?P<who>\s+(?:members?|customers?|shoppers?|cardholders?|card\s+holders?|tier))?"
    r"(?P<up>\s*\+|\s+(?:and|or)\s+(?:above|up|higher|better))?(?:\s+only)?(?![\w+])",
    _I,
)
_ALL_MEMBERS = re.compile(
    r"\b(?:for\s+)?(?:our\s+|all\s+)?(?:loyalty|rewards?|club)\s+(?:program\s+)?members?\b"
    r"(?:\s+only)?",
    _I,
)
TIER_ORDER: tuple[LoyaltyTier, ...] = ("silver", "gold", "platinum")
STOCK_PATTERNS: tuple[tuple[StockFilter, re.Pattern[str]], ...] = (
    (
        "overstock",
        re.compile(
            r"\b(?:over[\s-]?stock(?:ed)?|excess\s+(?:stock|inventory)|surplus(?:\s+stock)?|"
            r"too\s+much\s+(?:stock|inventory)|slow[\s-]moving)\b",
            _I,
        ),
    ),
    ("out", re.compile(r"\b(?:out[\s-]of[\s-]stock|sold[\s-]out|stocked[\s-]out)\b", _I)),
    (
        "low",
        re.compile(
            r"\b(?:low[\s-](?:stock|inventory)|low\s+on\s+(?:stock|inventory)|running\s+(?:low|out)|"
            r"about\s+to\s+(?:run|sell)\s+out|almost\s+(?:out|sold\s+out|gone)|selling\s+out|"
            r"nearly\s+(?:out|sold\s+out|gone)|short\s+on\s+stock|(?:stock|inventory)\s+is\s+low)\b",
            _I,
        ),
    ),
    ("in_stock", re.compile(r"\b(?:in[\s-]stock|available\s+now)\b", _I)),
)
_FLAGS: tuple[tuple[ProductFlag, re.Pattern[str]], ...] = (
    (
        "age_restricted",
        re.compile(
            r"\b(?:age[\s-]?restricted|age[\s-]?gated|adults?[\s-]only)\b|\b(?:18|21)\+", _I
        ),
    ),
    ("regulated", re.compile(r"\bregulated\b", _I)),
)
_EVERYTHING = re.compile(
    r"\b(?:everything|all\s+(?:products|items|skus)|(?:site|store)[\s-]?wide|"
    r"the\s+(?:whole|entire)\s+(?:catalog(?:ue)?|store|site|range))\b",
    _I,
)
_SKU_TOKEN = re.compile(r"(?<![\w$.\-])(?P<s>[A-Za-z0-9][\w\-.]*\d[\w\-.]*)(?<![.\-])(?![\w%])")
_SKU_WORD = re.compile(r"\bskus?\s*[:#]?\s*$", _I)


def extract_query(claims: Claims) -> str | None:
    """A search query named for the change ("for 'running shoes'"), lower-cased."""
    match = claims.claim(_QUOTED)
    if match is not None:
        return _clean_query(match.group("q") or match.group("q2") or "")
    match = claims.find(_UNQUOTED)
    if match is None:
        return None
    end = _free_end(claims, match.start("q"), match.end("q"))
    claims.take(match.start(), end)
    return _clean_query(claims.text[match.start("q") : end])


def _free_end(claims: Claims, start: int, end: int) -> int:
    """Where a span stops being free (or its end)."""
    return next((i for i in range(start, end) if claims.taken[i]), end)


def _clean_query(text: str) -> str | None:
    words = text.strip().strip("'\"").lower().split()
    return " ".join(words) or None


def extract_margin(claims: Claims) -> float | None:
    """The margin to keep ("keep margin above 30%"), in percent."""
    match = claims.claim(_MARGIN)
    if match is None:
        return None
    return float(match.group("n") or match.group("m"))


def extract_tiers(claims: Claims) -> tuple[LoyaltyTier, ...]:
    """Loyalty tiers a promotion is for ("for gold members", "gold and above")."""
    if claims.claim(_ALL_MEMBERS):
        return TIER_ORDER
    match = next((m for m in _TIERS.finditer(claims.text) if m.group("who") or m.group("up")), None)
    if match is None or not claims.is_free(match.start(), match.end()):
        return ()
    claims.take(match.start(), match.end())
    named = {t.lower() for t in re.findall(_TIER, match.group("t"), _I)}
    if match.group("up"):
        lowest = min(TIER_ORDER.index(t) for t in named if t in TIER_ORDER)
        return TIER_ORDER[lowest:]
    return tuple(t for t in TIER_ORDER if t in named)


def extract_stock(claims: Claims) -> StockFilter | None:
    """A stock level the products must have ("overstocked", "about to run out")."""
    for level, pattern in STOCK_PATTERNS:
        if claims.claim(pattern):
            return level
    return None


def extract_flags(claims: Claims) -> tuple[ProductFlag, ...]:
    """Product flags named ("age-restricted items")."""
    return tuple(flag for flag, pattern in _FLAGS if claims.claim(pattern))


def extract_everything(claims: Claims) -> bool:
    """Whether the whole catalog is named ("everything", "sitewide")."""
    return claims.claim(_EVERYTHING) is not None


def extract_skus(
    claims: Claims, known: KnownSkus | None
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(skus named, skus named explicitly that the store lacks); with `known`, only tokens the
    store has count as skus, except those written as skus ("SKU-123", "sku 123")."""
    candidates = [m for m in _SKU_TOKEN.finditer(claims.text) if claims.is_free(*m.span())]
    tokens = {m.group("s") for m in candidates}
    found = known(tokens | {t.upper() for t in tokens}) if known else set()
    named: list[str] = []
    missing: list[str] = []
    for match in candidates:
        token = match.group("s")
        explicit = _explicit_sku(claims.text, match)
        if known is None:
            if not (explicit or _mixed(token)):
                continue
            named.append(token)
        elif token in found or token.upper() in found:
            named.append(token if token in found else token.upper())
        elif explicit:
            missing.append(token)
        else:
            continue
        claims.take(*match.span())
        _take_sku_word(claims, match.start())
    return tuple(dict.fromkeys(named)), tuple(dict.fromkeys(missing))


def _mixed(token: str) -> bool:
    return any(c.isalpha() for c in token) and any(c.isdigit() for c in token)


def _explicit_sku(text: str, match: re.Match[str]) -> bool:
    """Whether a token is written as a sku: after the word "sku", or starting with it."""
    return match.group("s").lower().startswith("sku") or bool(
        _SKU_WORD.search(text[: match.start()])
    )


def _take_sku_word(claims: Claims, start: int) -> None:
    """Claim the word "sku" just before a sku."""
    word = _SKU_WORD.search(claims.text[:start])
    if word is not None and claims.is_free(word.start(), word.end()):
        claims.take(word.start(), word.end())
