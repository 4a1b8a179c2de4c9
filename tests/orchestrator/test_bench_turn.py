"""`concierge bench turn` on a tiny store: every figure is there and adds up."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from config import Settings
from orchestrator.bench_turn import Sample, summarise
from orchestrator.cli.app import app


def test_summary_percentiles_and_node_shares() -> None:
    samples = [
        Sample(kind="search", ms=10.0 + i, nodes={"intent": 4.0, "respond": 1.0}) for i in range(20)
    ]
    result = summarise(samples, skus=100)
    assert result.turns == 20 and result.p50_ms == 20.0 and result.p95_ms == 29.0
    assert result.node_share["intent"] + result.node_share["respond"] < 1
    assert result.within_budget and result.by_kind["search"]["p99_ms"] == 29.0


def test_bench_turn_runs_full_turns_and_writes_json(
    demo_settings: Settings, tmp_path: Path
) -> None:
    out = tmp_path / "turn.json"
    args = ["--data-dir", str(tmp_path), "bench", "turn", "--skus", "100", "--shoppers", "10"]
    result = CliRunner().invoke(
        app, [*args, "--conversations", "2", "--warmup", "1", "--json", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(out.read_text())
    assert figures["turns"] == 6 and figures["skus"] == 100
    assert set(figures["by_kind"]) == {"search", "refine", "offer"}
    assert {"intent", "policy_check", "execute", "graph_and_checkpoints"} <= set(
        figures["node_share"]
    )
