"""Negations: "fragrance-free", "no leather", "without parabens or sulfates", "not Nike".

A negation cue covers what follows it up to the first catalog phrase, or up to three plain words,
and carries over "or"/"nor"/comma lists ("no sugar, artificial colors or flavors"). "X-free"
covers X and any "A and B free" list before it. Catalog phrases under a negation become
exclusions of that brand, attribute or tag; other words become free-text `Exclusion`s. Phrases
that name a feature rather than something to avoid ("non-slip", "hands-free") stay positive.
"""

from __future__ import annotations

from dataclasses import dataclass

from tools.query.catalog_match import CatalogHit
from tools.query.intent import Exclusion, SlotMatch
from tools.query.lexicon import (
    COORDINATORS,
    FILLER,
    FREE_FEATURES,
    NEGATION_BREAKERS,
    NEGATION_CUES,
    NON_FEATURES,
    STOPWORDS,
    UNITS,
)
from tools.query.text import Doc

MAX_PHRASE_WORDS = 3
MAX_CONJUNCTS = 5
_SKIPPABLE = frozenset({"a", "an", "any", "the", "added", "more"})
_BOUNDARY = frozenset(".;:!?()[]|")
_PHRASE_BREAK = _BOUNDARY | {","}
_CUES_BY_FIRST_WORD: dict[str, list[tuple[str, ...]]] = {}
for _cue in sorted(NEGATION_CUES, key=len, reverse=True):
    _CUES_BY_FIRST_WORD.setdefault(_cue[0], []).append(_cue)


@dataclass
class _Scan:
    doc: Doc
    starts: dict[int, CatalogHit]
    ends: dict[int, CatalogHit]
    exclusions: list[Exclusion]
    matches: list[SlotMatch]


def apply_negations(doc: Doc, hits: list[CatalogHit]) -> tuple[list[Exclusion], list[SlotMatch]]:
    """Mark negated catalog hits and collect the other negated phrases as exclusions."""
    scan = _Scan(doc, {h.first: h for h in hits}, {h.last: h for h in hits}, [], [])
    for i, token in enumerate(doc.tokens):
        if token.text == "free" and not doc.consumed[i]:
            _free_suffix(scan, i)
    i = 0
    while i < len(doc.tokens):
        cue = _cue_at(doc, i)
        i = _cue_scope(scan, i, cue) if cue else i + 1
    return scan.exclusions, scan.matches


def _cue_at(doc: Doc, i: int) -> tuple[str, ...] | None:
    for cue in _CUES_BY_FIRST_WORD.get(doc.tokens[i].text, ()):
        end = i + len(cue)
        if end > len(doc.tokens) or any(doc.consumed[i:end]):
            continue
        if all(doc.tokens[i + k].text == word for k, word in enumerate(cue)):
            return cue
    return None


def _free_suffix(scan: _Scan, free: int) -> None:
    """Avoid what comes right before "free" ("gluten free", "sulfate and paraben free")."""
    doc = scan.doc
    if free == 0 or doc.gap_before(free).strip(" -"):
        return
    previous = doc.tokens[free - 1]
    if previous.key in FREE_FEATURES or previous.text in STOPWORDS or previous.is_number:
        return
    start = free
    for conjunct in range(MAX_CONJUNCTS):
        taken = _take_before(scan, start, free, plain_only=conjunct > 0)
        if taken is None:
            break
        doc.consume_tokens(free, free + 1)
        start = taken
        if start == 0 or doc.tokens[start - 1].text not in ("and", "or"):
            break
        start -= 1


def _take_before(scan: _Scan, end: int, free: int, *, plain_only: bool) -> int | None:
    """Negate the catalog phrase or word that ends right before token `end`; its first index.

    Only the phrase right before "free" may be a catalog phrase: in "vanilla and oil free" the
    vanilla is wanted, while "sulfate and paraben free" avoids both."""
    doc = scan.doc
    phrase_end = doc.tokens[free].end
    hit = scan.ends.get(end)
    if hit is not None and plain_only:
        return None
    if hit is not None:
        _negate(hit, doc.tokens[hit.first].start, phrase_end)
        return hit.first
    j = end - 1
    if j < 0 or not _plain(doc, j):
        return None
    _exclude(scan, j, end, cue="free", span=(doc.tokens[j].start, phrase_end))
    return j


def _cue_scope(scan: _Scan, i: int, cue: tuple[str, ...]) -> int:
    """Apply a negation cue at token i; the index to continue scanning from."""
    doc = scan.doc
    j = i + len(cue)
    if j >= len(doc.tokens) or not _opens_scope(doc, cue, j):
        return i + 1
    negated_any = False
    for _ in range(MAX_CONJUNCTS):
        while j < len(doc.tokens) and doc.tokens[j].text in _SKIPPABLE and not doc.consumed[j]:
            j += 1
        end = _take_after(scan, j, cue=" ".join(cue), cue_start=i)
        if end is None:
            break
        negated_any, j = True, end
        if not _continues_list(doc, j):
            break
        if doc.tokens[j].text in COORDINATORS:
            j += 1
    if negated_any:
        doc.consume_tokens(i, i + len(cue))
    return max(j, i + 1)


def _opens_scope(doc: Doc, cue: tuple[str, ...], j: int) -> bool:
    after = doc.tokens[j]
    if after.text in NEGATION_BREAKERS or any(ch in _BOUNDARY for ch in doc.gap_before(j)):
        return False
    if cue == ("no",) and (after.is_number or "." in doc.gap_before(j)):
        return False
    return not (cue == ("non",) and after.key in NON_FEATURES)


def _take_after(scan: _Scan, j: int, *, cue: str, cue_start: int) -> int | None:
    """Negate the catalog phrase or up to three words from token j; the index after them."""
    doc = scan.doc
    if j >= len(doc.tokens):
        return None
    if _cue_at(doc, j):
        return None
    cue_char = doc.tokens[cue_start].start
    hit = scan.starts.get(j)
    if hit is not None:
        _negate(hit, cue_char, doc.tokens[hit.last - 1].end)
        return hit.last
    end = j
    most = 1 if cue == "non" else MAX_PHRASE_WORDS
    while (
        end < len(doc.tokens)
        and end - j < most
        and _plain(doc, end)
        and end not in scan.starts
        and (end == j or not any(ch in _PHRASE_BREAK for ch in doc.gap_before(end)))
    ):
        end += 1
    if end == j:
        return None
    _exclude(scan, j, end, cue=cue, span=(cue_char, doc.tokens[end - 1].end))
    return end


def _continues_list(doc: Doc, j: int) -> bool:
    if j >= len(doc.tokens) or any(ch in _BOUNDARY for ch in doc.gap_before(j)):
        return False
    return "," in doc.gap_before(j) or doc.tokens[j].text in COORDINATORS


def _plain(doc: Doc, j: int) -> bool:
    """An unclaimed content word: not a function word, filler or number."""
    token = doc.tokens[j]
    return not (
        doc.consumed[j]
        or token.is_number
        or token.text in STOPWORDS
        or token.text in FILLER
        or token.text in UNITS
    )


def _negate(hit: CatalogHit, start: int, end: int) -> None:
    hit.negated = True
    hit.negation_span = (start, end)


def _exclude(scan: _Scan, first: int, last: int, *, cue: str, span: tuple[int, int]) -> None:
    doc = scan.doc
    term = " ".join(t.key for t in doc.tokens[first:last])
    phrase = doc.text[span[0] : span[1]]
    scan.exclusions.append(Exclusion(term=term, phrase=phrase, cue=cue))
    scan.matches.append(
        SlotMatch(
            slot="exclusions",
            value=term,
            start=span[0],
            end=span[1],
            text=phrase,
            confidence=0.85,
            source="pattern",
        )
    )
    doc.consume_tokens(first, last)
