"""Run suites one after another, time them, and put their results (and the business figures
gathered across them) into one `EvalRun`. A suite that raises is reported as `error` with its
exception; the others still run."""

from __future__ import annotations

import logging
import os
import platform
import time
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime

from evals.harness.business import business_suite
from evals.harness.compare import compare
from evals.harness.context import EvalContext
from evals.harness.model import EvalRun, MachineInfo, SuiteResult
from evals.suites import SUITES, runner

logger = logging.getLogger("evals")


def _load() -> tuple[float, float, float]:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return (0.0, 0.0, 0.0)
    return (round(one, 2), round(five, 2), round(fifteen, 2))


@contextmanager
def quiet_warnings() -> Iterator[None]:
    """Warnings the system logs while it is attacked or loaded stay off the console meanwhile
    (errors still show); the suites count what matters in their own figures."""
    before = logging.root.manager.disable
    logging.disable(logging.WARNING)
    try:
        yield
    finally:
        logging.disable(before)


def run_suite(ctx: EvalContext, name: str) -> SuiteResult:
    """One suite, timed; an exception becomes an `error` result."""
    started = time.perf_counter()
    try:
        result = runner(name)(ctx)
    except Exception as exc:
        logger.exception("suite %s failed", name)
        result = SuiteResult(
            name=name,
            title=SUITES[name],
            status="error",
            reason=f"{type(exc).__name__}: {exc}",
            data={"traceback": traceback.format_exc(limit=8)},
        )
    result.seconds = round(time.perf_counter() - started, 2)
    return result


def run_all(
    ctx: EvalContext,
    names: Sequence[str] | None = None,
    *,
    llm: str = "none",
    previous: dict[str, object] | None = None,
    previous_source: str = "",
) -> EvalRun:
    """Run the named suites (all by default) and the business summary over them."""
    chosen = list(names or SUITES)
    unknown = [n for n in chosen if n not in SUITES]
    if unknown:
        raise KeyError(f"unknown suites {unknown}; known: {', '.join(SUITES)}")
    ctx.clear_run()
    started = time.perf_counter()
    spec = ctx.spec
    run = EvalRun(
        started_at=datetime.now(UTC).isoformat(timespec="seconds"),
        quick=ctx.quick,
        llm=llm,
        trials=ctx.trials if ctx.llm_factory is not None else 1,
        store={"seed": spec.seed, "skus": spec.skus, "shoppers": spec.shoppers},
        machine=MachineInfo(
            cpus=os.cpu_count() or 1, load_start=_load(), python=platform.python_version()
        ),
    )
    with quiet_warnings():
        for index, name in enumerate(chosen):
            begin = getattr(ctx.progress, "suite", None)
            if callable(begin):
                begin(name, index)
            run.suites.append(run_suite(ctx, name))
    business = business_suite(run.suites)
    if business is not None:
        run.suites.append(business)
    run.wall_seconds = round(time.perf_counter() - started, 2)
    run.machine.load_end = _load()
    if previous is not None:
        run.comparison = compare(run, previous, source=previous_source)
    return run
