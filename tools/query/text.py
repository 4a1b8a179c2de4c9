"""Text normalisation, tokens with character spans, and the light stemmer shared by every slot.

Spans everywhere in this package are offsets into the *normalised* text (lower case, NFKC,
combining marks and control/emoji characters removed, apostrophes dropped inside words, dashes
unified, whitespace collapsed), which the intent carries as `normalized_text`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

MAX_CHARS = 1000
MAX_TOKENS = 200

_DROP_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "So", "Sk", "Zl", "Zp"})
_APOSTROPHES = "'\u2018\u2019\u02bc`\u00b4"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_INNER_APOSTROPHE = re.compile(rf"(?<=\w)[{_APOSTROPHES}](?=\w)")
_OTHER_APOSTROPHE = re.compile(rf"[{_APOSTROPHES}]")
_SPACES = re.compile(r"\s+")
_SURROGATES = re.compile("[\ud800-\udfff]")
_ASCII_CONTROLS = {code: " " for code in [*range(32), 127]}
# Words, numbers ("8.5", "1,200") and model-like mixes ("i5", "1080p", "2xl") are one token each.
TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*(?:[^\W\d_][^\W_]*)?|[^\W\d_][^\W_]*")

# Words that end in "s" but are not plurals of a shorter catalog word.
_INVARIANT = frozenset(
    {
        "clothes",
        "glasses",
        "goggles",
        "jeans",
        "leggings",
        "lens",
        "news",
        "overalls",
        "pajamas",
        "pants",
        "scissors",
        "series",
        "shorts",
        "species",
        "sunglasses",
        "tights",
        "trousers",
    }
)


def _clean_char(char: str) -> str:
    if char in _DASHES:
        return "-"
    if unicodedata.category(char) in _DROP_CATEGORIES:
        return " "
    return char


def normalize(raw: str) -> tuple[str, list[str]]:
    """The normalised text and notes on what was changed that a caller may want to explain."""
    notes: list[str] = []
    text = raw[: MAX_CHARS * 4]
    if text.isascii():
        cleaned = text.translate(_ASCII_CONTROLS)
        invisible = any((ch < " " and not ch.isspace()) or ch == "\x7f" for ch in text)
    else:
        text = unicodedata.normalize("NFKC", text)
        text = "".join(
            ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
        )
        cleaned = "".join(_clean_char(ch) for ch in text)
        invisible = any(
            unicodedata.category(ch) in ("Cc", "Cf", "Cs") and not ch.isspace() for ch in text
        )
    if invisible:
        notes.append("control or invisible characters were ignored")
    text = _INNER_APOSTROPHE.sub("", cleaned.lower())
    text = _OTHER_APOSTROPHE.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS].rstrip()
        notes.append(f"input truncated to its first {MAX_CHARS} characters")
    return text, notes


def as_given(raw: str) -> str:
    """The request as given, capped at MAX_CHARS, with lone surrogates (not encodable) replaced."""
    return _SURROGATES.sub("\ufffd", raw[:MAX_CHARS])


def stem(word: str) -> str:
    """A light plural stemmer: both a word and its plural map to the same key."""
    if len(word) <= 3 or word in _INVARIANT or not word.isalpha():
        return word
    if word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "zzes")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """The tokens of an already normalised phrase, as surface words."""
    return TOKEN_RE.findall(text)


def key_of(text: str) -> tuple[str, ...]:
    """The matching key of a phrase: normalised, tokenised and stemmed."""
    normalized, _ = normalize(text)
    return tuple(stem(w) for w in words(normalized))


@dataclass(frozen=True)
class Token:
    """One word or number of the normalised text."""

    start: int
    end: int
    text: str
    key: str

    @property
    def is_number(self) -> bool:
        """Whether the token is a number."""
        return self.text[0].isdigit()


@dataclass
class Doc:
    """The normalised text, its tokens, and which tokens a slot has already claimed."""

    text: str
    tokens: list[Token]
    consumed: list[bool] = field(default_factory=list)

    @classmethod
    def of(cls, text: str) -> Doc:
        """Tokenise a normalised text (at most MAX_TOKENS tokens)."""
        tokens = [
            Token(m.start(), m.end(), m.group(), stem(m.group())) for m in TOKEN_RE.finditer(text)
        ][:MAX_TOKENS]
        return cls(text=text, tokens=tokens, consumed=[False] * len(tokens))

    def overlapping(self, start: int, end: int) -> range:
        """Indexes of the tokens that overlap a character span."""
        first = next((i for i, t in enumerate(self.tokens) if t.end > start), len(self.tokens))
        last = first
        while last < len(self.tokens) and self.tokens[last].start < end:
            last += 1
        return range(first, last)

    def is_free(self, start: int, end: int) -> bool:
        """Whether no token in a character span is claimed yet."""
        return not any(self.consumed[i] for i in self.overlapping(start, end))

    def consume(self, start: int, end: int) -> None:
        """Claim every token in a character span."""
        for i in self.overlapping(start, end):
            self.consumed[i] = True

    def consume_tokens(self, first: int, last: int) -> None:
        """Claim tokens first..last-1."""
        for i in range(first, last):
            self.consumed[i] = True

    def gap_before(self, index: int) -> str:
        """The characters between token index-1 and token index."""
        start = self.tokens[index - 1].end if index > 0 else 0
        return self.text[start : self.tokens[index].start]

    def span_text(self, first: int, last: int) -> str:
        """The normalised text covered by tokens first..last-1."""
        return self.text[self.tokens[first].start : self.tokens[last - 1].end]
