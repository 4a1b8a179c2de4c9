"""What an eval run reports: metrics with baselines and thresholds, cases, charts, per suite.

Every figure is a `Metric`. A metric with a `threshold` passes when its value is on the right
side of it (`better` says which side is good); a suite fails when any of its metrics fails.
The JSON form of `EvalRun` is what `--out` writes and what `--compare` reads back.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Better = Literal["higher", "lower", "none"]
MetricKind = Literal["quality", "business", "safety", "latency", "volume"]
Status = Literal["passed", "failed", "skipped", "error"]
FORMAT = "concierge-eval-run"
FORMAT_VERSION = 1


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Metric(_Model):
    """One figure of a suite, with its interval, baselines and pass threshold."""

    name: str = Field(description="Stable key, e.g. 'success_rate'")
    value: float | None = Field(description="None when it could not be measured")
    unit: str = Field(default="", description="'', 'ms', '$', 'count', 'share'")
    better: Better = "higher"
    kind: MetricKind = "quality"
    description: str = ""
    ci: tuple[float, float] | None = Field(default=None, description="95% interval")
    baselines: dict[str, float] = Field(default_factory=dict, description="Name -> value")
    threshold: float | None = Field(default=None, description="Must be at least/most this")

    @property
    def passed(self) -> bool | None:
        """Whether the value meets the threshold; None when there is no threshold."""
        if self.threshold is None:
            return None
        if self.value is None:
            return False
        if self.better == "lower":
            return self.value <= self.threshold
        return self.value >= self.threshold

    def as_row(self) -> dict[str, Any]:
        """The metric with its verdict, as JSON-ready data."""
        return {**self.model_dump(mode="json"), "passed": self.passed}


class CaseResult(_Model):
    """One case of a suite's dataset: whether it passed, and why not."""

    id: str
    passed: bool
    trials: int = Field(default=1, ge=1, description="Times the case was run")
    passes: int = Field(default=1, ge=0, description="Trials that passed")
    failures: list[str] = Field(default_factory=list)
    details: dict[str, Any] = Field(default_factory=dict)


class Chart(_Model):
    """Data for one plot of the report: bars (labels, values) or distributions (samples)."""

    kind: Literal["bars", "distributions"]
    title: str
    unit: str = ""
    stacked: bool = Field(default=False, description="bars: series stacked in one bar per label")
    labels: list[str] = Field(default_factory=list)
    series: dict[str, list[float]] = Field(
        default_factory=dict,
        description="bars: name -> one value per label; distributions: samples",
    )


class SuiteResult(_Model):
    """A suite's figures, cases and plots, and whether it met its thresholds."""

    name: str
    title: str
    status: Status
    reason: str = Field(default="", description="Why it was skipped, failed or errored")
    seconds: float = 0.0
    metrics: list[Metric] = Field(default_factory=list)
    cases: list[CaseResult] = Field(default_factory=list)
    charts: list[Chart] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    data: dict[str, Any] = Field(default_factory=dict, description="Suite-specific detail")

    def metric(self, name: str) -> Metric | None:
        """The metric of this name, if the suite reported it."""
        return next((m for m in self.metrics if m.name == name), None)

    @classmethod
    def finished(cls, name: str, title: str, **fields: Any) -> SuiteResult:
        """A result whose status follows from its metrics' thresholds."""
        result = cls(name=name, title=title, status="passed", **fields)
        failing = [m.name for m in result.metrics if m.passed is False]
        if failing:
            result.status = "failed"
            result.reason = "below threshold: " + ", ".join(failing)
        return result


class Regression(_Model):
    """A metric that moved the wrong way against the previous run."""

    suite: str
    metric: str
    previous: float
    current: float
    change: float = Field(description="current - previous")
    tolerance: float
    flagged: bool = Field(description="Worse by more than the tolerance")


class Comparison(_Model):
    """The run against a previous one: every shared metric's change, regressions flagged."""

    previous_started_at: str
    previous_source: str
    changes: list[Regression] = Field(default_factory=list)
    missing_suites: list[str] = Field(default_factory=list)

    @property
    def regressions(self) -> list[Regression]:
        """The flagged changes."""
        return [c for c in self.changes if c.flagged]


class MachineInfo(_Model):
    """Where the run ran, and how busy the machine was."""

    cpus: int
    load_start: tuple[float, float, float]
    load_end: tuple[float, float, float] = (0.0, 0.0, 0.0)
    python: str = ""


class EvalRun(_Model):
    """One `concierge eval all` run."""

    format: str = FORMAT
    format_version: int = FORMAT_VERSION
    started_at: str
    wall_seconds: float = 0.0
    quick: bool
    llm: str = Field(description="'none', or the configured model")
    trials: int = Field(description="Runs of each scenario (pass^k when above 1)")
    store: dict[str, Any] = Field(default_factory=dict, description="The demo store evaluated on")
    machine: MachineInfo
    suites: list[SuiteResult] = Field(default_factory=list)
    comparison: Comparison | None = None

    @property
    def passed(self) -> bool:
        """No suite failed or errored, and nothing regressed."""
        bad = any(s.status in ("failed", "error") for s in self.suites)
        return not bad and not (self.comparison and self.comparison.regressions)

    def suite(self, name: str) -> SuiteResult | None:
        """The suite of this name, if it ran."""
        return next((s for s in self.suites if s.name == name), None)

    def as_json(self) -> dict[str, Any]:
        """JSON-ready data, with each metric's verdict and the run's."""
        data = self.model_dump(mode="json")
        for suite, raw in zip(self.suites, data["suites"], strict=True):
            raw["metrics"] = [m.as_row() for m in suite.metrics]
        if self.comparison is not None:
            data["comparison"]["regressions"] = len(self.comparison.regressions)
        data["passed"] = self.passed
        return data
