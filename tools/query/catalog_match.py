"""Finding catalog phrases in a request: longest match first, typo-tolerant, context-aware."""

from __future__ import annotations

from dataclasses import dataclass

from tools.query.index import RANK_HEAD, Key, Term, TermIndex
from tools.query.intent import MatchSource
from tools.query.text import Doc

FUZZY_PENALTY = 0.12
MAX_JOINED = 3
HEAD_NOUN_CONFIDENCE = 0.8


@dataclass
class CatalogHit:
    """A catalog phrase found at tokens [first, last)."""

    first: int
    last: int
    term: Term
    confidence: float
    source: MatchSource
    negated: bool = False
    negation_span: tuple[int, int] | None = None
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Word:
    key: str
    distance: int


def match_catalog(doc: Doc, index: TermIndex) -> list[CatalogHit]:
    """Every catalog phrase in the unclaimed tokens, left to right, claiming what it matches."""
    words = [_corrected(token.key, index) for token in doc.tokens]
    hits: list[CatalogHit] = []
    i = 0
    while i < len(doc.tokens):
        hit = None if doc.consumed[i] else _longest_at(doc, index, words, i)
        if hit is None:
            i += 1
            continue
        doc.consume_tokens(hit.first, hit.last)
        hits.append(hit)
        i = hit.last
    return hits


def _corrected(key: str, index: TermIndex) -> _Word:
    fix = index.correct(key)
    return _Word(fix[0], fix[1]) if fix else _Word(key, 0)


def _longest_at(doc: Doc, index: TermIndex, words: list[_Word], i: int) -> CatalogHit | None:
    starts = max(
        index.longest_from.get(doc.tokens[i].key, 0), index.longest_from.get(words[i].key, 0)
    )
    joins = doc.tokens[i].text in index.word_heads
    longest = min(max(starts, MAX_JOINED if joins else 0), len(doc.tokens) - i)
    for size in range(longest, 0, -1):
        if size > starts and (size == 1 or not joins):
            continue
        if any(doc.consumed[i : i + size]) or _crosses_boundary(doc, i, i + size):
            continue
        for key, distance in _candidate_keys(doc, words, i, size, whole=size <= starts):
            hit = _pick(doc, index.lookup(key), i, i + size, distance)
            if hit is not None and distance:
                hit.words = key
            if hit is not None:
                return hit
    return None


def _candidate_keys(
    doc: Doc, words: list[_Word], i: int, size: int, *, whole: bool
) -> list[tuple[Key, int]]:
    """The exact key, the typo-corrected key, and both joined into one word ("t shirt")."""
    exact = tuple(t.key for t in doc.tokens[i : i + size])
    keys: list[tuple[Key, int]] = []
    if whole:
        keys.append((exact, 0))
        fixed = tuple(w.key for w in words[i : i + size])
        if fixed != exact:
            keys.append((fixed, sum(w.distance for w in words[i : i + size])))
    if 1 < size <= MAX_JOINED and _joinable(doc, i, size):
        keys.append((("".join(exact),), 0))
    return keys


def _joinable(doc: Doc, i: int, size: int) -> bool:
    """Whether words may be read as one ("t-shirt", "skin care"; not "ike a")."""
    return all(
        doc.gap_before(j) == "-"
        or (len(doc.tokens[j - 1].text) >= 3 and len(doc.tokens[j].text) >= 3)
        for j in range(i + 1, i + size)
    )


def _crosses_boundary(doc: Doc, first: int, last: int) -> bool:
    """Whether a sentence or clause break lies inside tokens [first, last)."""
    return any(
        any(ch in ".,;:!?()[]|/" for ch in doc.gap_before(j)) for j in range(first + 1, last)
    )


def _pick(doc: Doc, terms: list[Term], first: int, last: int, distance: int) -> CatalogHit | None:
    for term in terms:
        if distance and (term.needs_context or (term.kind == "brand" and len(term.name) < 7)):
            continue
        if not term.needs_context:
            confidence = HEAD_NOUN_CONFIDENCE if term.rank == RANK_HEAD else 1.0
            confidence = max(0.5, confidence - FUZZY_PENALTY * distance)
            return CatalogHit(first, last, term, confidence, "fuzzy" if distance else "exact")
        span = _with_context(doc, term, first, last)
        if span is not None:
            return CatalogHit(span[0], span[1], term, 0.95, "context")
    return None


def _with_context(doc: Doc, term: Term, first: int, last: int) -> tuple[int, int] | None:
    """The span widened by the context words that make a weak term count, if they are there."""
    start = next(
        (first - len(c) for c in term.before if _free_key(doc, first - len(c), first) == c), None
    )
    end = next(
        (last + len(c) for c in term.after if _free_key(doc, last, last + len(c)) == c), None
    )
    if start is None and end is None:
        return None
    return (first if start is None else start), (last if end is None else end)


def _free_key(doc: Doc, first: int, last: int) -> Key | None:
    if first < 0 or last > len(doc.tokens) or any(doc.consumed[first:last]):
        return None
    return tuple(t.key for t in doc.tokens[first:last])
