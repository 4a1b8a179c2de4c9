"""Tokenization shared by the lexical index, term exclusions and queries."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[a-z0-9]+")

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "has",
        "have",
        "i",
        "in",
        "into",
        "is",
        "it",
        "its",
        "me",
        "my",
        "of",
        "on",
        "or",
        "our",
        "so",
        "that",
        "the",
        "their",
        "them",
        "these",
        "this",
        "those",
        "to",
        "was",
        "we",
        "what",
        "which",
        "with",
        "you",
        "your",
    ]
)


def stem(word: str) -> str:
    """A light English plural stemmer: 'boots' -> 'boot', 'berries' -> 'berry'."""
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokenize(text: str) -> list[str]:
    """Lower-cased, accent-free, stemmed word tokens of `text`, stopwords removed, in order."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = folded.encode("ascii", "ignore").decode()
    return [stem(word) for word in _WORD.findall(plain) if word not in STOPWORDS]


def unique_tokens(text: str) -> list[str]:
    """The tokens of `text` without repeats, in first-seen order."""
    return list(dict.fromkeys(tokenize(text)))
