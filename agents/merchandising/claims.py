"""A task's text with the spans already read marked, so each phrase is read once."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_TASK_CHARS = 1000
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})
_DASHES = re.compile("[\u2010-\u2015\u2212]")
_SPACES = re.compile(r"\s+")


def clean(text: str) -> str:
    """Straight quotes, plain dashes, single spaces, at most `MAX_TASK_CHARS` characters."""
    text = _DASHES.sub("-", text.translate(_QUOTES))
    return _SPACES.sub(" ", text).strip()[:MAX_TASK_CHARS]


@dataclass
class Claims:
    """The cleaned text and which characters a phrase has already claimed."""

    text: str
    taken: list[bool] = field(default_factory=list)

    @classmethod
    def of(cls, text: str) -> Claims:
        """A fresh claim sheet over a cleaned text."""
        cleaned = clean(text)
        return cls(cleaned, [False] * len(cleaned))

    def is_free(self, start: int, end: int) -> bool:
        """Whether no character of the span has been claimed."""
        return not any(self.taken[start:end])

    def find(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        """The first match lying wholly in unclaimed text."""
        return next(
            (m for m in pattern.finditer(self.text) if m.end() > m.start() and self._free(m)),
            None,
        )

    def claim(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        """The first free match, now claimed."""
        match = self.find(pattern)
        if match is not None:
            self.take(match.start(), match.end())
        return match

    def claim_all(self, pattern: re.Pattern[str]) -> list[re.Match[str]]:
        """Every free match, each claimed."""
        found = []
        while (match := self.claim(pattern)) is not None:
            found.append(match)
        return found

    def take(self, start: int, end: int) -> None:
        """Mark a span as read."""
        for i in range(start, end):
            self.taken[i] = True

    def rest(self) -> str:
        """The unclaimed text; each claimed span becomes a clause break."""
        parts: list[str] = []
        for char, used in zip(self.text, self.taken, strict=True):
            if not used:
                parts.append(char)
            elif not parts or parts[-1] != " , ":
                parts.append(" , ")
        return clean("".join(parts))

    def _free(self, match: re.Match[str]) -> bool:
        return self.is_free(match.start(), match.end())
