"""Multi-turn scenarios written as YAML: what is said (or done) each turn and what must follow.

A turn says something (`say`), resumes an escalated one (`approve: {by, approve}`) or restocks the
products a back-in-stock message waits for (`restock: true`). `expect` names checks (see
`evals.scenarios.checks`); an unknown check fails the scenario rather than passing silently.
After every turn the invariants run too (unless turned off): grounded replies, nothing out of
stock shown, quotes within the price floor and discount depth.

A dataset file holds one scenario (with `turns`) or several under `scenarios:`.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine, text

from evals.scenarios.checks import CHECKS, INVARIANTS
from evals.scenarios.turn import Turn, query
from orchestrator.runtime import Concierge, TurnOutcome
from policies.context import ActorFacts


@dataclass
class ScenarioResult:
    """How one scenario went: every failed check, and what was checked."""

    name: str
    failures: list[str] = field(default_factory=list)
    checks: int = 0
    turns: int = 0
    invariant_failures: Counter[str] = field(default_factory=Counter)
    turn_ms: list[float] = field(default_factory=list)
    node_ms: dict[str, list[float]] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        """Whether every check of every turn held."""
        return not self.failures


def load(path: Path) -> dict[str, Any]:
    """A scenario file."""
    data: dict[str, Any] = yaml.safe_load(path.read_text())
    return data


def load_dataset(path: Path) -> list[dict[str, Any]]:
    """The scenarios of a dataset file (one scenario, or a list under `scenarios:`)."""
    data = load(path)
    scenarios: list[dict[str, Any]] = data.get("scenarios", [data])
    for number, scenario in enumerate(scenarios, 1):
        scenario.setdefault("name", f"{path.stem}-{number}")
        unknown = {
            check
            for step in scenario["turns"]
            for check in (step.get("expect") or {})
            if check not in CHECKS
        }
        if unknown:
            raise ValueError(f"{path}: scenario {scenario['name']!r}: unknown checks {unknown}")
    return scenarios


async def play(
    concierge: Concierge,
    engine: Engine,
    scenario: dict[str, Any],
    *,
    thread: str,
    now: datetime,
    invariants: bool = True,
) -> ScenarioResult:
    """Run every turn of a scenario; collect every check that failed."""
    result = ScenarioResult(name=str(scenario.get("name", thread)))
    actor = ActorFacts.model_validate(scenario["actor"]) if "actor" in scenario else None
    pending: list[dict[str, Any]] = []
    settings = concierge.deps.settings
    for number, step in enumerate(scenario["turns"], 1):
        before = list((await concierge.thread(thread)).get("shown", [])) if number > 1 else []
        started = time.perf_counter()
        outcome = await _step(concierge, engine, scenario, step, thread, actor, pending, now)
        result.turn_ms.append((time.perf_counter() - started) * 1000)
        _node_times(outcome, result.node_ms)
        pending = outcome.approvals
        state = await concierge.thread(thread)
        turn = Turn(settings, engine, thread, outcome, state, now, before)
        result.turns += 1
        for check, expected in (step.get("expect") or {}).items():
            _run_check(result, number, check, expected, turn)
        if invariants and "say" in step:
            for name, invariant in INVARIANTS.items():
                if not _run_check(result, number, name, True, turn, fn=invariant):
                    result.invariant_failures[name] += 1
    return result


def _run_check(
    result: ScenarioResult,
    number: int,
    check: str,
    expected: Any,
    turn: Turn,
    fn: Any = None,
) -> bool:
    result.checks += 1
    function = fn or CHECKS.get(check)
    try:
        if function is None:
            raise AssertionError(f"unknown check {check!r}")
        function(turn, expected)
    except (AssertionError, LookupError, IndexError, ValueError) as exc:
        result.failures.append(f"turn {number} ({check}): {exc}")
        return False
    return True


async def _step(
    concierge: Concierge,
    engine: Engine,
    scenario: dict[str, Any],
    step: dict[str, Any],
    thread: str,
    actor: ActorFacts | None,
    pending: list[dict[str, Any]],
    now: datetime,
) -> TurnOutcome:
    if "say" in step:
        return await concierge.turn(
            step["say"],
            thread_id=thread,
            shopper_id=scenario.get("shopper"),
            actor=actor,
            mode=scenario.get("mode", "shopper"),
            now=now,
        )
    if "approve" in step:
        verdict = {"approve": step["approve"]["approve"], "by": step["approve"]["by"]}
        return await concierge.approve(thread, {a["decision_id"]: verdict for a in pending})
    restock(engine, thread)
    concierge.deps.executor.release_restocked(now=now)
    return TurnOutcome(thread_id=thread, reply=None, interrupted=False, approvals=[], events=[])


def restock(engine: Engine, thread: str) -> None:
    """Put units back on hand for the products this thread's back-in-stock messages wait for."""
    waiting = query(
        engine,
        "SELECT result FROM executions WHERE status = 'waiting' AND idempotency_key LIKE :t",
        t=f"{thread}:%",
    )
    with engine.begin() as conn:
        for (result,) in waiting:
            skus = yaml.safe_load(result)["skus"] if isinstance(result, str) else result["skus"]
            for sku in skus:
                conn.execute(
                    text("UPDATE inventory SET on_hand = reserved + 5 WHERE sku = :s"), {"s": sku}
                )


def _node_times(outcome: TurnOutcome, into: dict[str, list[float]]) -> None:
    for event in outcome.events:
        if event.type == "node_finished":
            into.setdefault(event.node, []).append(event.ms)
