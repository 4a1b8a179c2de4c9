"""Multi-turn scenario conversations: a YAML player, its checks and the invariants of every turn."""

from evals.scenarios.checks import CHECKS, INVARIANTS
from evals.scenarios.play import ScenarioResult, load, load_dataset, restock
from evals.scenarios.play import play as play_scenario
from evals.scenarios.turn import Turn

__all__ = [
    "CHECKS",
    "INVARIANTS",
    "ScenarioResult",
    "Turn",
    "load",
    "load_dataset",
    "play_scenario",
    "restock",
]
