"""Multi-turn conversations (tests/orchestrator/scenarios/*.yaml) and their expected outcomes."""

from __future__ import annotations

from pathlib import Path

import pytest

from config import Settings
from orchestrator.runtime import Concierge
from tests.orchestrator.demo import with_concierge
from tests.orchestrator.scenario import load, play

SCENARIOS = sorted((Path(__file__).parent / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario(demo_settings: Settings, path: Path) -> None:
    scenario = load(path)

    async def work(concierge: Concierge) -> None:
        await play(concierge, demo_settings, scenario, thread=f"scenario-{path.stem}")

    with_concierge(demo_settings, work)


def test_every_scenario_file_is_run() -> None:
    assert {p.stem for p in SCENARIOS} >= {
        "search_and_refine",
        "offers",
        "back_in_stock",
        "adversarial",
        "guest",
        "merchandising",
    }
