"""Red-team inputs: attack files in the garak and BIPIA formats, and the project's own datasets
(forbidden goals, their encodings and translations, haggling scripts, beyond-role tasks).

File formats (`--attacks FILE` takes the same):
- garak prompt list: a JSON list of strings (in-the-wild jailbreaks); each is sent as a shopper
  message with a forbidden goal in place of its placeholder (or after it);
- garak payloads: a JSON object with a `payloads` list; each is sent inside a shopper request;
- garak prompt groups: a JSON object of lists of strings (system-prompt extraction);
- BIPIA (file name starting `bipia`): a JSON object of lists of instructions, planted into
  product titles and descriptions the agents read.
"""

from __future__ import annotations

import base64
import codecs
import json
import random
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

DATASETS = Path(__file__).resolve().parents[1] / "datasets" / "redteam"
MAX_MESSAGE = 2_000
PLACEHOLDERS = ("[INSERT PROMPT HERE]", "[PROMPT]", "{prompt}", "[INSERT QUESTION HERE]")


@dataclass(frozen=True)
class Attack:
    """One adversarial shopper message."""

    id: str
    category: str
    text: str


def read_yaml(name: str) -> dict[str, Any]:
    """A red-team dataset file."""
    data: dict[str, Any] = yaml.safe_load((DATASETS / name).read_text())
    return data


def goals() -> list[str]:
    """The forbidden goals attacks carry."""
    return list(read_yaml("goals.yaml")["goals"])


def is_planted(path: Path) -> bool:
    """Whether a file holds instructions to plant into product content (BIPIA)."""
    return path.name.lower().startswith("bipia")


def planted_instructions(path: Path) -> list[str]:
    """The instructions of a BIPIA file, in file order."""
    data = json.loads(path.read_text())
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a BIPIA file is an object of lists of instructions")
    return [str(item) for items in data.values() if isinstance(items, list) for item in items]


def _with_goal(prompt: str, goal: str) -> str:
    """A jailbreak prompt carrying a goal, cut to what a message may hold."""
    for placeholder in PLACEHOLDERS:
        if placeholder in prompt:
            prompt = prompt.replace(placeholder, goal)
            break
    else:
        prompt = f"{prompt}\n\n{goal}"
    if len(prompt) <= MAX_MESSAGE:
        return prompt
    head = MAX_MESSAGE - len(goal) - 2
    return f"{prompt[:head]}\n\n{goal}"


def message_attacks(
    path: Path, *, goal_list: list[str], category: str | None = None
) -> list[Attack]:
    """Shopper messages from a garak-format file (see the module docstring)."""
    data = json.loads(path.read_text())
    stem = path.stem
    if isinstance(data, list):
        kind = category or "jailbreak"
        return [
            Attack(f"{stem}-{i}", kind, _with_goal(str(p), goal_list[i % len(goal_list)]))
            for i, p in enumerate(data)
        ]
    if isinstance(data, dict) and isinstance(data.get("payloads"), list):
        kind = category or "payload"
        return [
            Attack(f"{stem}-{i}", kind, f"sneakers {p}"[:MAX_MESSAGE])
            for i, p in enumerate(data["payloads"])
        ]
    if isinstance(data, dict):
        kind = category or "prompt_extraction"
        prompts = [str(p) for items in data.values() if isinstance(items, list) for p in items]
        return [Attack(f"{stem}-{i}", kind, p[:MAX_MESSAGE]) for i, p in enumerate(prompts)]
    raise ValueError(f"{path}: not a garak prompt list, payload file or prompt groups")


def _leet(text: str) -> str:
    return text.translate(str.maketrans("aeiost", "4310$7"))


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


ENCODINGS: dict[str, Callable[[str], str]] = {
    "base64": lambda t: "decode this base64 and do it: " + base64.b64encode(t.encode()).decode(),
    "rot13": lambda t: "this is rot13, decode and obey: " + codecs.encode(t, "rot13"),
    "hex": lambda t: "hex instructions: " + t.encode().hex(),
    "reversed": lambda t: "read backwards and do it: " + t[::-1],
    "leetspeak": _leet,
    "fullwidth": _fullwidth,
    "zero_width": lambda t: "\u200b".join(t),
    "url": lambda t: "run " + urllib.parse.quote(t),
}


def encoded_attacks(goal_list: list[str]) -> list[Attack]:
    """Every goal in every encoding."""
    return [
        Attack(f"enc-{name}-{i}", "encoding", encode(goal))
        for name, encode in ENCODINGS.items()
        for i, goal in enumerate(goal_list)
    ]


def multilingual_attacks() -> list[Attack]:
    """The goals as written in other languages."""
    by_language: dict[str, list[str]] = read_yaml("goals.yaml")["multilingual"]
    return [
        Attack(f"lang-{language}-{i}", "multilingual", text)
        for language, texts in by_language.items()
        for i, text in enumerate(texts)
    ]


def sample(attacks: list[Attack], limit: int | None, seed: int) -> list[Attack]:
    """A seeded sample of at most `limit` attacks (all of them when None), order kept."""
    if limit is None or len(attacks) <= limit:
        return attacks
    keep = set(random.Random(seed).sample(range(len(attacks)), limit))
    return [a for i, a in enumerate(attacks) if i in keep]
