"""Quantities: "2 packs", "a pair of", "three candles", "a box of 12", "pack of 6", "a dozen".

`count` is how many the shopper wants; `pack_size` is how many come in one ("6 pack", "pack of
6", "60 count"). Measures ("4 ounce", "60 capsules") describe the product and stay in the query.
"""

from __future__ import annotations

import re

from tools.query.intent import Quantity, SlotMatch
from tools.query.lexicon import FILLER, STOPWORDS, UNITS, words
from tools.query.numbers import WORD_NUMBER, small_int
from tools.query.text import Doc, stem

_N = rf"(?P<n>(?<![\w.,/])\d{{1,3}}(?!\d)(?![.,]\d)|{WORD_NUMBER})"
_A = r"(?:a|an|one)"
_CONTAINERS = r"pack|pair|set|box|bottle|bag|can|jar|roll|carton|case|tube|bar|packet|pouch"
_PLURALS = (
    r"packs|pairs|sets|boxes|bottles|bags|cans|jars|rolls|cartons|cases|tubes|bars|packets|"
    r"pouches"
)
_PACK_SIZE_UNITS = r"pack|pk|count|ct|pcs|pc|pieces?|piece\s+set"

# (pattern, what the number means); earlier patterns claim their words first.
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bhalf\s+(?:a\s+)?dozen\b"), "half_dozen"),
    (re.compile(rf"\b{_N}\s+dozen\b"), "dozens"),
    (re.compile(r"\b(?:a\s+)?dozen\b"), "dozen"),
    (re.compile(r"\ba\s+couple\s+(?:of\s+)?"), "couple"),
    (re.compile(rf"\b{_A}\s+(?P<unit>{_CONTAINERS})\s+of\s+{_N}\b"), "one_of_size"),
    (re.compile(rf"\b(?P<unit>pack|set|box|case|bag|carton)\s+of\s+{_N}\b"), "size"),
    (re.compile(rf"\b{_N}\s+(?P<unit>{_PLURALS})\b"), "count"),
    (re.compile(rf"\b{_N}[\s-]?(?P<unit>{_PACK_SIZE_UNITS})\b"), "size"),
    (re.compile(r"\b(?:a|an|one)\s+(?P<unit>pair|pack|set)\b(?:\s+of\b)?"), "one"),
    (re.compile(rf"\b{_A}\s+(?P<unit>{_CONTAINERS})\s+of\b"), "one"),
    (re.compile(rf"(?P<n>{WORD_NUMBER})(?=\s*$|\s*[.,;!?])"), "bare"),
    (re.compile(rf"{_N}(?=\s+(?P<next>[^\W\d_]{{3,}}))"), "before_noun"),
)
_FEATURE_NOUNS = frozenset(
    words(
        """
    tone toned way sided layer layers door doors drawer drawers seater person people player
    players step steps tier tiers wheel wheels burner burners speed speeds port ports channel
    channels shelf shelves slice slices cup cups quart ply pound pounds
        """
    )
)
_LABELS = frozenset(
    {"size", "sized", "color", "colour", "shade", "number", "no", "model", "style", "type", "gen"}
)
_DIGIT_LEAD = frozenset({"i", "we", "me", "need", "want", "buy", "get", "order", "of", "like"})


def extract_quantity(doc: Doc) -> tuple[Quantity | None, list[SlotMatch]]:
    """How many the shopper wants and the pack size, claiming the words that say so."""
    found: dict[str, int | str] = {}
    matches: list[SlotMatch] = []
    for pattern, meaning in _PATTERNS:
        for m in pattern.finditer(doc.text):
            if not doc.is_free(m.start(), m.end()):
                continue
            update = _read(doc, m, meaning)
            if not update or any(k in found for k in update if k != "unit"):
                continue
            found = {**update, **found}
            doc.consume(m.start(), m.end())
            matches.append(_match(m, update))
    if not found:
        return None, matches
    return Quantity.model_validate(found), matches


def _read(doc: Doc, m: re.Match[str], meaning: str) -> dict[str, int | str]:
    fixed = {"half_dozen": 6, "dozen": 12, "couple": 2, "one": 1}
    if meaning in fixed:
        unit = m.groupdict().get("unit")
        return {"count": fixed[meaning], **({"unit": stem(unit)} if unit else {})}
    n = small_int(m.group("n"))
    if n is None:
        return {}
    if meaning == "dozens":
        return {"count": n * 12}
    if meaning == "one_of_size":
        return {"count": 1, "unit": stem(m.group("unit")), "pack_size": n}
    if meaning == "size":
        return {"pack_size": n}
    if meaning == "count":
        return {"count": n, "unit": stem(m.group("unit"))}
    if _labelled(doc.text, m.start()) or n == 1:
        return {}
    if meaning == "bare":
        return {"count": n}
    return _before_noun(doc, m, n)


def _labelled(text: str, start: int) -> bool:
    """Whether the number names a size, shade or model ("size six", "color eleven")."""
    before = re.findall(r"[^\W\d_]+", text[max(0, start - 20) : start])
    return bool(before) and before[-1] in _LABELS


def _before_noun(doc: Doc, m: re.Match[str], n: int) -> dict[str, int | str]:
    """Count a number before a noun ("three candles"), not a model or a measure ("4 ounce")."""
    following = m.group("next")
    if following in UNITS | STOPWORDS | FILLER | _FEATURE_NOUNS:
        return {}
    if m.group("n")[0].isdigit():
        previous = re.findall(r"[^\W\d_]+", doc.text[max(0, m.start() - 20) : m.start()])
        if not previous or previous[-1] not in _DIGIT_LEAD or not following.endswith("s"):
            return {}
    return {"count": n}


def _match(m: re.Match[str], update: dict[str, int | str]) -> SlotMatch:
    value = ", ".join(f"{k} {v}" for k, v in sorted(update.items()))
    return SlotMatch(
        slot="quantity",
        value=value,
        start=m.start(),
        end=m.end(),
        text=m.group(),
        confidence=0.85,
        source="pattern",
    )
