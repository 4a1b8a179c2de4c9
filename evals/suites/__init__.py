"""The eval suites: each a dataset plus small evaluators, runnable alone or together.

A suite is a module with `NAME`, `TITLE` and `run(ctx: EvalContext) -> SuiteResult`; modules are
imported only when their suite runs, so listing them costs nothing.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from evals.harness.context import EvalContext
    from evals.harness.model import SuiteResult

SUITES: dict[str, str] = {
    "search": "Query understanding and retrieval on the demo store",
    "concierge": "Multi-turn scenario conversations",
    "merch": "Merchandiser tasks and their plans",
    "offers": "Offer policy on the shopper simulator",
    "redteam": "Red team: attacks against the policy gate",
    "latency": "Turn and node latency",
    "recsys": "Recommendation quality",
}
"""Suite name -> title, in the order `eval all` runs them."""


def runner(name: str) -> Callable[[EvalContext], SuiteResult]:
    """The `run` function of a suite (its module imported now)."""
    if name not in SUITES:
        raise KeyError(f"unknown suite {name!r}; known: {', '.join(SUITES)}")
    module = importlib.import_module(f"evals.suites.{name}")
    run: Callable[[EvalContext], SuiteResult] = module.run
    return run
