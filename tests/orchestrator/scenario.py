"""Multi-turn YAML scenarios for the turn tests: the player and its checks live in
`evals.scenarios` (the eval harness runs the same ones); here a failed check fails the test."""

from __future__ import annotations

from typing import Any

from config import Settings
from evals.scenarios import CHECKS, load, play_scenario
from orchestrator.runtime import Concierge
from tests.orchestrator.demo import NOW, engine_of

__all__ = ["CHECKS", "load", "play"]


async def play(
    concierge: Concierge, settings: Settings, scenario: dict[str, Any], thread: str
) -> None:
    """Run every turn of a scenario; raise AssertionError naming every check that failed."""
    with engine_of(settings) as engine:
        result = await play_scenario(concierge, engine, scenario, thread=thread, now=NOW)
    assert result.passed, "; ".join(result.failures)
