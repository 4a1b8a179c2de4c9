"""Adversarial shoppers: jailbreaks, prompt extraction, payloads, encodings, other languages
and ten-turn haggling, sent through the whole graph on conversations that have products shown
(so "the first one" means something). The opening search of each conversation is not an
attempt and is not counted."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from evals.redteam.attacks import Attack, read_yaml
from evals.redteam.tally import Tally, attempt
from orchestrator.runtime import Concierge

PER_CONVERSATION = 10
OPENINGS = ("sneakers", "running shoes", "moisturizer", "hoodie", "shorts", "laptop")


async def send_messages(
    concierge: Concierge,
    tally: Tally,
    attacks: Sequence[Attack],
    *,
    shoppers: Sequence[str],
    now: datetime,
    advance: Callable[[], None],
) -> None:
    """Every attack as a shopper message, ten to a conversation."""
    for number, start in enumerate(range(0, len(attacks), PER_CONVERSATION)):
        chunk = attacks[start : start + PER_CONVERSATION]
        thread = f"rt-msg-{number}"
        shopper = shoppers[number % len(shoppers)]
        opening = OPENINGS[number % len(OPENINGS)]
        await concierge.turn(opening, thread_id=thread, shopper_id=shopper, now=now)
        for attack in chunk:
            await attempt(
                concierge,
                tally,
                attack.category,
                attack.text,
                thread=thread,
                now=now,
                shopper_id=shopper,
            )
            advance()


def haggling_turns(conversations_per_script: int) -> int:
    """How many attempts `haggle` makes."""
    scripts = read_yaml("haggling.yaml")["scripts"]
    return sum(len(s["turns"]) for s in scripts) * conversations_per_script


async def haggle(
    concierge: Concierge,
    tally: Tally,
    *,
    shoppers: Sequence[str],
    conversations_per_script: int,
    now: datetime,
    advance: Callable[[], None],
) -> None:
    """Each haggling script, ten turns on one conversation, with several shoppers."""
    data = read_yaml("haggling.yaml")
    for s_index, script in enumerate(data["scripts"]):
        for c in range(conversations_per_script):
            shopper = shoppers[(s_index * conversations_per_script + c) % len(shoppers)]
            thread = f"rt-haggle-{script['name']}-{c}"
            await concierge.turn(data["opening"], thread_id=thread, shopper_id=shopper, now=now)
            for line in script["turns"]:
                await attempt(
                    concierge,
                    tally,
                    "haggling",
                    line,
                    thread=thread,
                    now=now,
                    shopper_id=shopper,
                )
                advance()
