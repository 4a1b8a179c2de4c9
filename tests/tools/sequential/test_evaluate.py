"""The whole `eval recsys` run on a small file: baselines, export, report, real data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.tools.sequential.synthetic import chain_rows, write_files
from tools.sequential.baselines import ItemKNN, Popularity
from tools.sequential.config import ModelConfig, TrainConfig
from tools.sequential.data import load_sequence_data, sequence_data
from tools.sequential.evaluate import RecsysEvalResult, run_recsys_eval
from tools.sequential.protocol import leave_one_out, metrics_of, metrics_of_lists, rank_stage
from tools.sequential.report import render_report

SMALL = ModelConfig(hidden=16, layers=1, heads=1, dropout=0.1, attention_dropout=0.0, max_len=8)
FAST = TrainConfig(epochs=25, batch_size=16, lr=1e-2, bf16=False, threads=1, refit_epochs=1)


def _run(tmp_path: Path) -> tuple[RecsysEvalResult, Path]:
    sequences, attributes = write_files(tmp_path, chain_rows(users=80, items=24))
    export = tmp_path / "out" / "top20.jsonl"
    result = run_recsys_eval(
        sequences=sequences,
        attributes=attributes,
        model_config=SMALL,
        train_config=FAST,
        checkpoint_dir=tmp_path / "ckpt",
        export=export,
    )
    return result, export


def test_the_model_beats_the_baselines_and_the_export_rescores_the_same(tmp_path: Path) -> None:
    result, export = _run(tmp_path)
    model, popularity, knn = result.methods[0], result.row("popularity"), result.row("item-knn")
    assert model.kind == "model" and popularity.kind == knn.kind == "baseline"
    assert all(r.kind == "ablation" for r in result.methods[1:-2])
    assert model.name.endswith("+refit(1)") and not model.valid  # validation was trained on
    assert result.methods[1].valid and result.knn_weight in (0.0, 0.5, 1.0, 2.0, 4.0, 8.0)
    assert model.test["HR@5"] == pytest.approx(1.0, abs=0.1)
    assert (model.test["NDCG@10"] or 0) > max(
        popularity.test["NDCG@10"] or 0, knn.test["NDCG@10"] or 0
    )
    assert result.published == []  # only for Amazon Beauty
    assert result.users == 80 and result.best_epoch >= 1 and result.peak_rss_mb > 0
    assert list((tmp_path / "ckpt").glob("Chains-*.pt"))

    data = load_sequence_data(tmp_path / "Chains.txt")
    lines = [json.loads(line) for line in export.read_text().splitlines()]
    assert [line["user"] for line in lines] == list(data.users)
    targets, ranked = [], []
    for line, seq in zip(lines, data.sequences, strict=True):
        history = {data.item_id(int(p)) for p in seq[:-1]}
        assert len(line["items"]) == min(20, data.n_items - len(history))
        assert not history & set(line["items"])
        targets.append(data.item_id(int(seq[-1])))
        ranked.append(line["items"])
    assert metrics_of_lists(ranked, targets) == pytest.approx(model.test)


def test_the_report_shows_every_method_and_both_charts(tmp_path: Path) -> None:
    result, _ = _run(tmp_path)
    html = render_report(result)
    assert html.count("<svg") == 3 and "<polyline" in html
    for row in result.methods:
        assert row.name in html


def test_baselines_count_training_interactions_only() -> None:
    rows = [("a", ["1", "2", "3", "9"]), ("b", ["1", "2", "9", "9"]), ("c", ["2", "1", "4", "9"])]
    seqs = sequence_data(rows)
    split = leave_one_out(seqs)
    popularity = Popularity(split.train, seqs.n_items)
    counts = dict(zip(seqs.items, popularity.counts[1:].tolist(), strict=True))
    assert counts == {"1": 3.0, "2": 3.0, "3": 0.0, "4": 0.0, "9": 0.0}  # 9 is only ever a target

    knn = ItemKNN(split.train, seqs.n_items, shrink=0.0)
    scores = knn(split.test, 0, 3)
    assert scores[0, seqs.positions()["2"]] > 0 and scores[0, seqs.positions()["9"]] == 0


def test_item_knn_finds_items_bought_by_the_same_users() -> None:
    rows = [(f"u{i}", ["1", "2", "5", "6"] if i % 2 else ["3", "4", "7", "8"]) for i in range(10)]
    rows.append(("x", ["1", "3", "8", "7"]))
    seqs = sequence_data(rows)
    split = leave_one_out(seqs)
    ranks = rank_stage(ItemKNN(split.train, seqs.n_items), split.valid).ranks
    assert metrics_of(ranks[:10])["HR@5"] == 1.0


def test_on_amazon_beauty_the_published_rows_are_shown(shared_data: Path) -> None:
    from tools.sequential.evaluate import _published

    data = load_sequence_data(shared_data / "amazon" / "Beauty.txt")
    rows = _published(data)
    assert [r.name for r in rows][-1] == "DuoRec" and rows[-1].test["NDCG@10"] == 0.0443
    assert len(data.users) == 22_363 and data.n_items == 12_101
