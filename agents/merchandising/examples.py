"""What the planner understands, as examples shown when a task is not understood."""

from __future__ import annotations

PLAN_EXAMPLES: tuple[str, ...] = (
    "boost vegan skincare 20% until Sunday",
    "bury brand Camp Basics in outdoor",
    "15% off overstocked outdoor jackets for gold members, keep margin above 30%",
    "pin SKU-0000123 for 'running shoes'",
    "exclude age-restricted items from recommendations",
    "raise the price of SKU-0000123 to $45",
)
REPORT_EXAMPLES: tuple[str, ...] = (
    "which recommended products are about to run out?",
    "what's overstocked in outdoor?",
    "which promotions are active?",
    "which merchandising rules are active?",
)
EXAMPLES: tuple[str, ...] = PLAN_EXAMPLES + REPORT_EXAMPLES


def not_understood(text: str) -> str:
    """Why a text was not understood, with what the planner can do."""
    shown = " ".join(text.split())[:120]
    start = f"I did not understand {shown!r}." if shown else "The task is empty."
    return (
        f"{start} I can boost, bury, pin or exclude products in rankings, create percentage "
        "promotions (optionally for loyalty tiers, with a margin limit), change list prices, "
        "and answer questions about low, out-of-stock or overstocked products, active "
        "promotions and active merchandising rules."
    )


def help_message(text: str = "") -> str:
    """The message for a text that is neither a task nor a question, with examples."""
    lines = [not_understood(text), "Tasks:"]
    lines += [f"  - {example}" for example in PLAN_EXAMPLES]
    lines.append("Questions:")
    lines += [f"  - {example}" for example in REPORT_EXAMPLES]
    return "\n".join(lines)
