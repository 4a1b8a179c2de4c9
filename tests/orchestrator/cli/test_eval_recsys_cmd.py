"""`concierge eval recsys` and `concierge train sequential` through the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner, Result

from orchestrator.cli.app import app
from tests.tools.recommend.demo import build_demo
from tests.tools.sequential.synthetic import chain_rows, write_files
from tools.recommend import EmbeddingRecommender, load_recommender

SMALL = ["--hidden", "16", "--layers", "1", "--dropout", "0.1", "--lr", "0.01"]


def _run(tmp_path: Path, *args: str) -> Result:
    return CliRunner().invoke(app, ["--data-dir", str(tmp_path / "data"), *args])


def test_recsys_json_out_report_and_export(tmp_path: Path) -> None:
    sequences, attributes = write_files(tmp_path, chain_rows(users=64, items=20))
    out, export = tmp_path / "r" / "recsys.json", tmp_path / "top.jsonl"
    result = _run(
        tmp_path,
        *("eval", "recsys", "--sequences", str(sequences), "--attributes", str(attributes)),
        *SMALL,
        *("--epochs", "25", "--batch-size", "16", "--threads", "1"),
        *("--json", "--out", str(out), "--export", str(export)),
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert json.loads(out.read_text()) == report
    names = [m["name"] for m in report["methods"]]
    assert names[0].startswith("sasrec-ce+attributes") and names[-2:] == ["popularity", "item-knn"]
    assert report["methods"][0]["test"]["HR@5"] > 0.8
    assert report["users"] == 64 and report["training"]["epochs"] == 25
    assert len(export.read_text().splitlines()) == 64
    assert "<svg" in out.with_suffix(".html").read_text()
    assert list((tmp_path / "data" / "checkpoints" / "recsys").glob("Chains-*.pt"))


def test_recsys_bad_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_text("a 1 2 3\na 4 5 6\n")
    result = _run(tmp_path, "eval", "recsys", "--sequences", str(path), "--json")
    assert result.exit_code == 2
    assert f"{path}:2: user 'a' appears twice" in " ".join(result.output.split())
    assert result.stdout == ""


def test_train_sequential_saves_the_model_and_the_served_vectors(tmp_path: Path) -> None:
    data_dir = build_demo(tmp_path / "data", skus=300, shoppers=60)
    result = _run(tmp_path, "train", "sequential", "--epochs", "2", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["skus"] == 300 and summary["shoppers"] > 0
    model = load_recommender(data_dir / "models" / "sequential")
    served = EmbeddingRecommender.load(data_dir / "models" / "embeddings")
    assert model.kind == "sequential" and served.skus == model.skus


def test_train_without_a_store_says_what_to_do(tmp_path: Path) -> None:
    result = _run(tmp_path, "train", "sequential")
    assert result.exit_code == 2
    assert "concierge init" in result.output


def test_help_lists_the_commands_without_importing_torch() -> None:
    assert "recsys" in CliRunner().invoke(app, ["eval", "--help"]).output
    assert "train" in CliRunner().invoke(app, ["--help"]).output
    code = "import sys, orchestrator.cli.app; print('torch' in sys.modules)"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert loaded.stdout.strip() == "False", loaded.stderr


def test_coldstart_reports_every_group_beside_the_warm_case(tmp_path: Path) -> None:
    build_demo(tmp_path / "data", skus=300, shoppers=80)
    result = _run(tmp_path, "eval", "coldstart", "--epochs", "2", "--item-share", "0.2", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["new_items"] == 60 and report["new_shoppers"] == 8  # 10% of 80
    for groups in report["methods"].values():
        assert set(groups) == {"warm", "new-item", "new-shopper"}
    assert report["methods"]["popularity"]["new-item"]["metrics"]["HR@20"] == 0.0
