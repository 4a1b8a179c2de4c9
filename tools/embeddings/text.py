"""The short text a product is embedded from: what it is, in as few tokens as say so.

Title, then brand, category words (leaf first), attribute phrases and tags where they add a
word the text does not have yet, then the description's sentences that add a word, trimmed to
`DESCRIPTION_WORDS` words. Marketing copy that repeats the title costs tokens (the encoder's
time grows with them) and blurs the vector, so it is left out. A boolean attribute contributes
its name only when true ("fragrance free"); a number its name and value ("spf 30"); strings
and lists their values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

DESCRIPTION_WORDS = 16

_WORD = re.compile(r"[^\W_]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_FUNCTION_WORDS = frozenset(
    {"a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "its"}
    | {"of", "on", "or", "the", "this", "that", "to", "with"}
)


def key_words(key: str) -> str:
    """An attribute name as words: 'fragrance_free' -> 'fragrance free'."""
    return key.replace("_", " ").replace("-", " ").strip()


def number_text(value: float) -> str:
    """A number as a shopper writes it: 30.0 -> '30', 2.5 -> '2.5'."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def attribute_phrases(attributes: Mapping[str, Any]) -> Iterator[str]:
    """Attribute values as words, in attribute-name order (true flags by their name only)."""
    for key in sorted(attributes):
        value = attributes[key]
        if isinstance(value, bool):
            if value:
                yield key_words(key)
        elif isinstance(value, int | float):
            yield f"{key_words(key)} {number_text(value)}"
        elif isinstance(value, str):
            if value:
                yield value
        elif isinstance(value, list | tuple):
            yield from (str(item) for item in value if str(item))


def category_words(category: str) -> str:
    """A category path as words, most specific first: 'beauty/skin care' -> 'skin care beauty'."""
    return " ".join(part.strip() for part in reversed(category.split("/")) if part.strip())


def _words(text: str) -> set[str]:
    return {word for word in _WORD.findall(text.lower()) if word not in _FUNCTION_WORDS}


def _description_part(description: str, seen: set[str], budget: int) -> str:
    """The description's sentences that add words, up to `budget` words in all."""
    taken: list[str] = []
    room = budget
    for sentence in _SENTENCE_END.split(description.strip()):
        words = _words(sentence)
        if not words or words <= seen:
            continue
        tokens = sentence.split()
        if len(tokens) > room and taken:
            break
        taken.append(" ".join(tokens[:room]).rstrip(".!? "))
        seen |= words
        room -= len(tokens)
        if room <= 0:
            break
    return ". ".join(taken)


def _novel(parts: Iterable[str], seen: set[str]) -> Iterator[str]:
    for part in parts:
        words = _words(part)
        if words - seen:
            seen |= words
            yield part


def item_summary(
    *,
    title: str,
    brand: str = "",
    category: str = "",
    attributes: Mapping[str, Any] | None = None,
    tags: Iterable[str] = (),
    description: str = "",
    description_words: int = DESCRIPTION_WORDS,
) -> str:
    """The text a product is embedded from (see the module docstring)."""
    seen = _words(title)
    parts = [title]
    parts += _novel([brand, category_words(category)], seen)
    parts.append(", ".join(_novel(attribute_phrases(attributes or {}), seen)))
    parts.append(", ".join(_novel(tags, seen)))
    parts.append(_description_part(description, seen, description_words))
    return ". ".join(part.rstrip(". ") for part in parts if part.strip())
