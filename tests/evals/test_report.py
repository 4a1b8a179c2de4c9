"""The HTML report is one self-contained page: tables, inline SVG, escaped text."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from evals.harness.compare import compare
from evals.harness.model import CaseResult, Chart, EvalRun, MachineInfo, Metric, SuiteResult
from evals.harness.report import render, write_report
from evals.harness.svg import bars, boxes


def _run() -> EvalRun:
    suite = SuiteResult.finished(
        "search",
        "Search",
        metrics=[
            Metric(
                name="ndcg@10",
                value=0.75,
                unit="share",
                baselines={"raw text": 0.5},
                threshold=0.5,
                ci=(0.7, 0.8),
            ),
            Metric(name="p95", value=12.5, unit="ms", better="lower", kind="latency"),
        ],
        cases=[CaseResult(id="q1", passed=False, failures=["<script>alert(1)</script>"])],
        charts=[
            Chart(kind="bars", title="Recall", labels=["a", "b"], series={"r": [0.5, 1.0]}),
            Chart(
                kind="distributions",
                title="Latency",
                unit="ms",
                series={"turn": [1.0, 2.0, 3.0, 40.0]},
            ),
        ],
    )
    return EvalRun(
        started_at="2026-01-01T00:00:00+00:00",
        wall_seconds=12.0,
        quick=True,
        llm="none",
        trials=1,
        store={"skus": 1000},
        machine=MachineInfo(cpus=2, load_start=(6.5, 6.0, 5.0), load_end=(7.0, 6.0, 5.0)),
        suites=[suite],
    )


def test_the_page_holds_figures_baselines_plots_and_escaped_failures(tmp_path: Path) -> None:
    run = _run()
    previous = {
        "format": "concierge-eval-run",
        "started_at": "earlier",
        "suites": [{"name": "search", "metrics": [{"name": "ndcg@10", "value": 0.9}]}],
    }
    run.comparison = compare(run, previous, source="prev.json")
    path = write_report(run, tmp_path / "out" / "report.html")
    page = path.read_text()
    assert "75.00%" in page and "raw text" in page and "50.00%" in page
    assert page.count("<svg") == 2
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "REGRESSION" in page and "prev.json" in page
    assert "load average 6.5" in page
    assert "src=" not in page and "<link" not in page  # nothing outside the page


def test_svg_plots_are_well_formed_xml() -> None:
    for svg in (
        bars("t <&>", ["a", "b"], {"x": [1.0, 2.0], "y": [0.0, 3.0]}, "ms"),
        boxes("t", {"a": [1.0, 2.0, 3.0], "b": [5.0]}, "ms"),
        bars("empty", [], {"x": []}),
    ):
        root = ET.fromstring(svg)
        assert root.tag.endswith("svg")


def test_render_without_comparison_or_charts() -> None:
    run = _run()
    run.suites[0].charts = []
    assert "Against the previous run" not in render(run)


def test_axis_ends_are_round_numbers() -> None:
    from evals.harness.svg import nice_top

    assert nice_top(0.907) == 1.0
    assert nice_top(1_607) == 2_000
    assert nice_top(520) == 600
    assert nice_top(0.0) == 1.0
    assert nice_top(4.0) == 4.0


def test_stacked_bars_draw_one_row_per_label() -> None:
    svg = bars("s", ["a", "b"], {"passed": [2.0, 1.0], "failed": [0.0, 1.0]}, stacked=True)
    ET.fromstring(svg)
    assert svg.count("<rect") == 4 + 2  # two segments per label, and the legend
