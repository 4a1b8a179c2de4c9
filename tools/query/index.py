"""The term index: every catalog phrase by its stemmed key, and typo correction against its words.

Ranks decide which meaning a phrase takes when the catalog uses it in several places: a leaf
category (a product type) first, then a yes/no attribute, an attribute value, an inner category,
the head noun of a category name, a tag, a brand, a pickup location.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import process
from rapidfuzz.distance import OSA

from tools.query import lexicon

TermKind = Literal["category", "flag", "attribute", "tag", "brand", "location"]
Key = tuple[str, ...]
AttributeValue = str | bool | int | float

RANK_LEAF, RANK_FLAG, RANK_VALUE, RANK_CATEGORY, RANK_HEAD, RANK_TAG, RANK_BRAND, RANK_PLACE = (
    range(8)
)
MIN_FUZZY_LENGTH = 6
MAX_TERM_TOKENS = 6
MAX_JOINED_CHARS = 20
_PROTECTED = frozenset(
    set(lexicon.STOPWORDS)
    | set(lexicon.FILLER)
    | set(lexicon.UNITS)
    | set(lexicon.NUMBER_WORDS)
    | set(lexicon.RELATIONS)
    | set(lexicon.WEEKDAYS)
    | set(lexicon.MONTHS)
    | {w for phrase in lexicon.OCCASIONS for w in phrase.split()}
    | {"free", "cheap", "cheaper", "cheapest", "premium", "luxury", "gift", "pickup", "delivery"}
)


@dataclass(frozen=True)
class Term:
    """One meaning of a catalog phrase."""

    kind: TermKind
    name: str
    value: AttributeValue | None = None
    paths: tuple[str, ...] = ()
    count: int = 0
    rank: int = 0
    needs_context: bool = False
    before: tuple[Key, ...] = ()
    after: tuple[Key, ...] = ()

    def sort_key(self) -> tuple[int, int, str, str]:
        """Better meanings first; ties broken so the order never depends on insertion."""
        return (self.rank, -self.count, self.name, str(self.value))


@dataclass
class TermIndex:
    """Catalog phrases by stemmed key, and the words typo correction may correct towards.

    `longest_from` bounds the phrase length worth trying from a first word; `word_heads` holds
    the beginnings of one-word phrases, so "skin care" can still find "skincare".
    """

    terms: dict[Key, list[Term]] = field(default_factory=dict)
    known_words: frozenset[str] = frozenset()
    fuzzy_words: dict[str, list[str]] = field(default_factory=dict)
    word_counts: dict[str, int] = field(default_factory=dict)
    max_tokens: int = 1
    longest_from: dict[str, int] = field(default_factory=dict)
    word_heads: frozenset[str] = frozenset()
    _corrections: dict[str, tuple[str, int] | None] = field(default_factory=dict)

    @classmethod
    def from_terms(cls, pairs: Iterable[tuple[Key, Term]]) -> TermIndex:
        """Index catalog phrases given as (stemmed key, meaning) pairs."""
        collected: defaultdict[Key, list[Term]] = defaultdict(list)
        for key, term in pairs:
            too_plain = _is_function_word(key) and not term.needs_context
            if key and len(key) <= MAX_TERM_TOKENS and not too_plain:
                collected[key].append(term)
                if len(key) > 1:
                    collected[("".join(key),)].append(term)
        terms = {key: _merge(found) for key, found in sorted(collected.items())}
        return cls._with_words(terms)

    @classmethod
    def _with_words(cls, terms: dict[Key, list[Term]]) -> TermIndex:
        counts: defaultdict[str, int] = defaultdict(int)
        known: set[str] = set()
        for key, found in terms.items():
            for term in found:
                known.update(w for ctx in term.before + term.after for w in ctx)
            known.update(key)
            if any(not t.needs_context for t in found):
                for word in key:
                    counts[word] += max(t.count for t in found)
        by_letter: defaultdict[str, list[str]] = defaultdict(list)
        for word in sorted(counts):
            if len(word) >= MIN_FUZZY_LENGTH - 1 and word.isalpha():
                by_letter[word[0]].append(word)
        longest: dict[str, int] = {}
        for key in terms:
            longest[key[0]] = max(longest.get(key[0], 0), len(key))
        return cls(
            terms=terms,
            longest_from=longest,
            word_heads=frozenset(
                key[0][:cut]
                for key in terms
                if len(key) == 1 and len(key[0]) <= MAX_JOINED_CHARS
                for cut in range(1, len(key[0]))
            ),
            known_words=frozenset(known),
            fuzzy_words=dict(by_letter),
            word_counts=dict(counts),
            max_tokens=max((len(k) for k in terms), default=1),
        )

    def lookup(self, key: Key) -> list[Term]:
        """The meanings of a stemmed phrase, best first."""
        return self.terms.get(key, [])

    def correct(self, word: str) -> tuple[str, int] | None:
        """The catalog word a typo most likely meant, with its edit distance; None if no typo."""
        if word in self._corrections:
            return self._corrections[word]
        result = self._closest(word)
        if len(self._corrections) < 100_000:
            self._corrections[word] = result
        return result

    def _closest(self, word: str) -> tuple[str, int] | None:
        if (
            len(word) < MIN_FUZZY_LENGTH
            or word in self.known_words
            or word in _PROTECTED
            or word.endswith("ly")
            or not word.isalpha()
        ):
            return None
        limit = 1 if len(word) < 9 else 2
        choices = self.fuzzy_words.get(word[0], [])
        found = process.extract(word, choices, scorer=OSA.distance, score_cutoff=limit, limit=None)
        if not found:
            return None
        best = min(found, key=lambda m: (m[1], -self.word_counts.get(m[0], 0), m[0]))
        return best[0], int(best[1])


def _is_function_word(key: Key) -> bool:
    return len(key) == 1 and (key[0] in lexicon.STOPWORDS or key[0] in lexicon.FILLER)


def _merge(found: list[Term]) -> list[Term]:
    """One term per (kind, name, value, rank), category paths pooled; best meaning first."""
    merged: dict[tuple[str, str, str, int], Term] = {}
    for term in found:
        slot = (term.kind, term.name, repr(term.value), term.rank)
        if slot in merged:
            old = merged[slot]
            paths = tuple(sorted(set(old.paths) | set(term.paths)))
            term = Term(**{**old.__dict__, "paths": paths, "count": max(old.count, term.count)})
        merged[slot] = term
    return sorted(merged.values(), key=Term.sort_key)
