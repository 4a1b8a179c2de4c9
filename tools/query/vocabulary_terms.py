"""The phrases of a vocabulary, each with the meaning it takes in a request.

Short or numeric attribute values ("m", "10") and brand or place names that are ordinary words
only count next to a word that says what they are ("size 10", "the brand of X", "at Downtown").
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from tools.query import lexicon
from tools.query.index import (
    RANK_BRAND,
    RANK_CATEGORY,
    RANK_FLAG,
    RANK_HEAD,
    RANK_LEAF,
    RANK_PLACE,
    RANK_TAG,
    RANK_VALUE,
    Key,
    Term,
)
from tools.query.text import key_of

if TYPE_CHECKING:
    from tools.query.vocabulary import AttributeStats, CatalogVocabulary

BRAND_BEFORE: tuple[Key, ...] = (("brand",), ("brand", "of"), ("by",), ("from",), ("made", "by"))
BRAND_AFTER: tuple[Key, ...] = (("brand",),)
PLACE_BEFORE: tuple[Key, ...] = (("at",), ("from",), ("near",))
PLACE_AFTER: tuple[Key, ...] = (("store",), ("location",), ("branch",), ("shop",))
_FLAG_PREFIXES = frozenset({"is", "has", "with"})
_ORDINARY = (
    lexicon.STOPWORDS
    | lexicon.FILLER
    | lexicon.UNITS
    | frozenset(lexicon.NUMBER_WORDS)
    | frozenset(lexicon.RELATIONS)
    | frozenset(lexicon.WEEKDAYS)
    | frozenset(lexicon.MONTHS)
)


def terms_of(vocabulary: CatalogVocabulary) -> Iterator[tuple[Key, Term]]:
    """Every (stemmed key, meaning) pair of a vocabulary."""
    yield from category_terms(vocabulary)
    for key, stats in vocabulary.attributes.items():
        yield from attribute_terms(key, stats)
    yield from simple_terms(vocabulary)


def _weak(key: Key) -> bool:
    """A one-word phrase too short or too ordinary to stand alone."""
    return len(key) == 1 and (len(key[0]) < 3 or not key[0].isalpha() or key[0] in _ORDINARY)


def category_terms(vocabulary: CatalogVocabulary) -> Iterator[tuple[Key, Term]]:
    """Each category's last path word: the whole name, its 'and' parts, a leaf's head noun."""
    parents = {path.rsplit("/", 1)[0] for path in vocabulary.categories if "/" in path}
    for path, stats in vocabulary.categories.items():
        label = path.rsplit("/", 1)[-1]
        key = key_of(label)
        rank = RANK_CATEGORY if path in parents else RANK_LEAF
        term = Term("category", label, paths=(path,), count=stats.count, rank=rank)
        yield key, term
        if "and" in key:
            for part in " ".join(key).split(" and "):
                if part.strip():
                    yield tuple(part.split()), term
        if rank == RANK_LEAF and len(key) > 1 and not _weak(key[-1:]) and len(key[-1]) >= 4:
            yield (
                key[-1:],
                Term("category", label, paths=(path,), count=stats.count, rank=RANK_HEAD),
            )


def attribute_terms(name: str, stats: AttributeStats) -> Iterator[tuple[Key, Term]]:
    """A flag's own name ("vegan"), and each value with its key as the context word."""
    key = key_of(name)
    context = (key, key[-1:]) if len(key) > 1 else (key,)
    if stats.true_count:
        flag_key = key[1:] if len(key) > 1 and key[0] in _FLAG_PREFIXES else key
        yield flag_key, Term("flag", name, True, count=stats.true_count, rank=RANK_FLAG)
    for text, count in stats.text.items():
        value_key = key_of(text)
        weak = _weak(value_key)
        yield (
            value_key,
            Term(
                "attribute",
                name,
                text,
                count=count,
                rank=RANK_VALUE,
                needs_context=weak,
                before=context,
                after=context,
            ),
        )
    for text, count in stats.numbers.items():
        yield (
            key_of(text),
            Term(
                "attribute",
                name,
                _number(text),
                count=count,
                rank=RANK_VALUE,
                needs_context=True,
                before=context,
                after=context,
            ),
        )


def _number(text: str) -> int | float:
    try:
        return int(text)
    except ValueError:
        return float(text)


def simple_terms(vocabulary: CatalogVocabulary) -> Iterator[tuple[Key, Term]]:
    """Tags, brands and pickup locations."""
    for tag, count in vocabulary.tags.items():
        key = key_of(tag)
        if not _weak(key):
            yield key, Term("tag", tag, count=count, rank=RANK_TAG)
    ordinary = set(vocabulary.ordinary_brands)
    for brand, count in vocabulary.brands.items():
        key = key_of(brand)
        yield (
            key,
            Term(
                "brand",
                brand,
                count=count,
                rank=RANK_BRAND,
                needs_context=_weak(key) or brand in ordinary,
                before=BRAND_BEFORE,
                after=BRAND_AFTER,
            ),
        )
    for location_id, name in vocabulary.locations.items():
        yield (
            key_of(name),
            Term(
                "location",
                location_id,
                rank=RANK_PLACE,
                needs_context=True,
                before=PLACE_BEFORE,
                after=PLACE_AFTER,
            ),
        )
