"""Cases, evaluators and a runner in the style of pydantic-evals, small enough to read at once.

A `Case` is an input with what is expected of it; a task turns the input into an output; each
`Evaluator` looks at (case, output) and returns a score (float), an assertion (bool) or several
named ones (dict). `evaluate` runs the task on every case and collects a `DatasetReport`.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

I = TypeVar("I")  # noqa: E741
O = TypeVar("O")  # noqa: E741
E = TypeVar("E")

Verdict = bool | float | dict[str, bool | float]


@dataclass(frozen=True)
class Case(Generic[I, E]):
    """One input of a dataset, what it should give, and anything else worth reporting."""

    name: str
    inputs: I
    expected: E
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class EvaluatorContext(Generic[I, O, E]):
    """What an evaluator sees: the case, the task's output and how long it took."""

    case: Case[I, E]
    output: O
    duration_ms: float


class Evaluator(ABC, Generic[I, O, E]):
    """Scores or asserts something about one output."""

    name: str = "evaluator"

    @abstractmethod
    def evaluate(self, ctx: EvaluatorContext[I, O, E]) -> Verdict:
        """A score, an assertion, or several of them by name."""


@dataclass
class CaseReport:
    """One case's scores and assertions."""

    name: str
    scores: dict[str, float] = field(default_factory=dict)
    assertions: dict[str, bool] = field(default_factory=dict)
    duration_ms: float = 0.0
    error: str | None = None

    @property
    def passed(self) -> bool:
        """No assertion failed and the task did not raise."""
        return self.error is None and all(self.assertions.values())

    def failures(self) -> list[str]:
        """Names of the failed assertions (or the task's error)."""
        if self.error is not None:
            return [f"error: {self.error}"]
        return [name for name, ok in self.assertions.items() if not ok]


@dataclass
class DatasetReport:
    """Every case's report, and means over them."""

    cases: list[CaseReport]

    def mean(self, name: str) -> float | None:
        """Mean of a score (or share of an assertion holding) over the cases that have it."""
        values = [c.scores[name] for c in self.cases if name in c.scores]
        values += [float(c.assertions[name]) for c in self.cases if name in c.assertions]
        return sum(values) / len(values) if values else None

    def pass_rate(self) -> float:
        """Share of cases whose every assertion held."""
        return sum(c.passed for c in self.cases) / len(self.cases) if self.cases else 0.0


def _record(report: CaseReport, name: str, verdict: Verdict) -> None:
    if isinstance(verdict, dict):
        for key, value in verdict.items():
            _record(report, f"{name}.{key}" if name else key, value)
    elif isinstance(verdict, bool):
        report.assertions[name] = verdict
    else:
        report.scores[name] = float(verdict)


def evaluate(
    cases: Sequence[Case[I, E]],
    task: Callable[[I], O],
    evaluators: Sequence[Evaluator[I, O, E]],
    *,
    on_case: Callable[[], None] | None = None,
) -> DatasetReport:
    """Run the task on every case and apply every evaluator to its output."""
    reports: list[CaseReport] = []
    for case in cases:
        report = CaseReport(name=case.name)
        started = time.perf_counter()
        try:
            output = task(case.inputs)
        except Exception as exc:  # a case that raises fails; the others still run
            report.error = f"{type(exc).__name__}: {exc}"
            reports.append(report)
            if on_case is not None:
                on_case()
            continue
        report.duration_ms = (time.perf_counter() - started) * 1000
        ctx = EvaluatorContext(case=case, output=output, duration_ms=report.duration_ms)
        for evaluator in evaluators:
            _record(report, evaluator.name, evaluator.evaluate(ctx))
        reports.append(report)
        if on_case is not None:
            on_case()
    return DatasetReport(cases=reports)
