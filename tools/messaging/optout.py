"""Opt-out detection in inbound text: carrier keywords (STOP, UNSUBSCRIBE...) and plain phrases.

A single keyword counts only when it is the whole message ("STOP", "cancel."), so "can't stop
buying these" or "cancel my order" are not opt-outs; phrases count anywhere in the text.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

KEYWORDS = frozenset(
    {"stop", "stopall", "stop all", "unsubscribe", "cancel", "end", "quit", "optout", "opt out"}
    | {"revoke", "remove", "remove me", "stop please", "please stop"}
)
PHRASES = (
    "unsubscribe",
    "opt out",
    "opt me out",
    "stop texting",
    "stop messaging",
    "stop emailing",
    "stop sending",
    "stop contacting",
    "dont contact me",
    "do not contact me",
    "dont message me",
    "do not message me",
    "remove me from",
    "take me off",
)
_NOT_WORD = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")


class OptOutMatch(BaseModel):
    """Whether a message asks to stop receiving messages, and the words that said so."""

    opted_out: bool
    keyword: str | None = None


def normalise(text: str) -> str:
    """Lower case, apostrophes dropped, other punctuation as spaces, single spaces."""
    lowered = text.lower().replace("'", "").replace("\u2019", "").replace("-", "")
    return _SPACES.sub(" ", _NOT_WORD.sub(" ", lowered)).strip()


def detect_opt_out(text: str) -> OptOutMatch:
    """Whether inbound text is an opt-out request."""
    words = normalise(text)
    if words in KEYWORDS:
        return OptOutMatch(opted_out=True, keyword=words)
    padded = f" {words} "
    for phrase in PHRASES:
        if f" {phrase} " in padded:
            return OptOutMatch(opted_out=True, keyword=phrase)
    return OptOutMatch(opted_out=False)
