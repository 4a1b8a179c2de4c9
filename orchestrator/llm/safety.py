"""Output that reads like an injected instruction, markup or a link is refused, whatever it says.

The LLM reads shopper text (and a draft built from catalog text); if either carried an instruction
that took hold, its output shows it: talk of instructions or prompts, role markers, markup, links.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

_SUSPICIOUS = re.compile(
    r"ignore\s+(?:all\s+|any\s+|the\s+|your\s+)?(?:previous|prior|above|earlier|system)"
    r"|disregard\s+(?:all\s+|any\s+|the\s+|your\s+)?(?:previous|prior|above|instructions|rules)"
    r"|(?:system|developer)\s+(?:prompt|message|instructions?)"
    r"|\bjailbreak|\bprompt\s+injection|as an ai(?: language)? model"
    r"|<\|?(?:im_start|im_end|system|assistant)\|?>|^\s*(?:system|assistant|user)\s*:"
    r"|<\s*/?\s*(?:script|iframe|img|a|object|embed|style)\b|javascript:|data:text/"
    r"|```|\bhttps?://[^\s)>\]\"']+|\bwww\.[^\s)>\]\"']+",
    re.IGNORECASE | re.MULTILINE,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def suspicious(text: str, *, allowed: str = "") -> str | None:
    """The first injection-like part of `text` that `allowed` does not also contain, else None."""
    control = _CONTROL.search(text)
    if control:
        return repr(control.group(0))
    for match in _SUSPICIOUS.finditer(text):
        found = match.group(0).rstrip(".,;:!?")
        if found.lower() not in allowed.lower():
            return found
    return None


def suspicious_value(value: BaseModel) -> str | None:
    """The first injection-like string anywhere in a parsed model, else None."""
    for text in _strings(value.model_dump(mode="json")):
        found = suspicious(text)
        if found:
            return found
    return None


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)
