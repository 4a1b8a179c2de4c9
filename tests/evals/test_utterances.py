from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from sqlalchemy import Engine
from typer.testing import CliRunner

from evals.utterances import load_utterances, run_utterance_eval
from orchestrator.cli.context import state
from orchestrator.cli.eval_utterances_cmd import register
from tests.tools.query.catalog import NOW, products, vocabulary
from tools.exceptions import InputError
from tools.query import CatalogVocabulary
from tools.store import transaction

UTTERANCES = [
    "fragrance-free moisturizer under $30, pickup today",
    "gift for my sister",
    "2 packs of navy blue t-shirts, not nike",
    "I need something",
    "",
]


def _app() -> typer.Typer:
    app = typer.Typer()
    eval_app = typer.Typer()
    register(eval_app)
    app.add_typer(eval_app, name="eval")

    @app.callback()
    def _root() -> None:
        state.reset()

    return app


def _write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data))
    return path


def test_loads_every_shape_of_utterance_file(tmp_path: Path) -> None:
    assert load_utterances(_write(tmp_path / "a.json", ["a", "b"])) == ["a", "b"]
    assert load_utterances(_write(tmp_path / "b.json", [{"instruction": "a"}, {"text": "b"}])) == [
        "a",
        "b",
    ]
    webshop = {"B01": [{"instruction": "a", "instruction_attributes": []}], "B02": ["b"]}
    assert load_utterances(_write(tmp_path / "c.json", webshop)) == ["a", "b"]
    assert load_utterances(_write(tmp_path / "d.json", {"utterances": ["a"]})) == ["a"]
    tsv = tmp_path / "e.csv"
    tsv.write_text("query_id\tquery\tquery_class\n0\tsalon chair\tChairs\n")
    assert load_utterances(tsv) == ["salon chair"]


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json", "not JSON"), ("[1, 2]", "item 0"), ("[]", "no utterances"), ("3", "list")],
)
def test_bad_utterance_files_are_input_errors(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(InputError, match=message):
        load_utterances(path)
    with pytest.raises(InputError, match="not found"):
        load_utterances(tmp_path / "missing.json")


def test_report_counts_slots_and_gives_examples() -> None:
    report = run_utterance_eval(
        UTTERANCES, vocabulary=vocabulary(), vocabulary_source="test", now=NOW
    )
    assert (report.count, report.exceptions, report.needs_clarification) == (5, 0, 3)
    slots = {s.slot: s for s in report.slots}
    assert slots["budget"].filled == 1 and slots["budget"].rate == 0.2
    assert slots["recipient"].examples[0].value == "sister"
    assert slots["excluded_brands"].examples[0].value == '["Nike"]'
    assert slots["category"].needs_catalog and not slots["fulfilment"].needs_catalog
    assert report.vocabulary.products == 14
    again = run_utterance_eval(
        UTTERANCES, vocabulary=vocabulary(), vocabulary_source="test", now=NOW
    )
    assert again.model_dump(exclude={"parse_ms_mean", "parse_ms_p95"}) == report.model_dump(
        exclude={"parse_ms_mean", "parse_ms_p95"}
    )


def test_real_webshop_goals_parse_without_exceptions(shared_data: Path) -> None:
    utterances = load_utterances(
        shared_data / "shopper_utterances" / "webshop_human_goals_public.json"
    )
    report = run_utterance_eval(
        utterances, vocabulary=vocabulary(), vocabulary_source="test", now=NOW
    )
    assert report.count == 6043
    assert report.exceptions == 0
    filled = {s.slot: s.filled for s in report.slots}
    for slot in ("query", "category", "attributes", "exclusions", "quantity", "occasion"):
        assert filled[slot] > 0, slot


def test_real_wands_queries_parse_without_exceptions(shared_data: Path) -> None:
    utterances = load_utterances(shared_data / "shopper_utterances" / "wands_query.csv")
    report = run_utterance_eval(
        utterances, vocabulary=CatalogVocabulary(), vocabulary_source="none", now=NOW
    )
    assert (report.count, report.exceptions) == (480, 0)


def test_cli_reports_json_with_the_store_vocabulary(
    tmp_path: Path, sqlite_engine: Engine, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with transaction(sqlite_engine) as session:
        session.add_all(products())
    monkeypatch.setenv("CONCIERGE_DATABASE_URL", sqlite_url)
    file = _write(tmp_path / "u.json", UTTERANCES)
    out = tmp_path / "report.json"
    args = ["eval", "utterances", "--file", str(file), "--vocabulary-from-store", "--json"]
    result = CliRunner().invoke(_app(), [*args, "--now", "2026-03-04T10:00:00", "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    assert report["exceptions"] == 0 and report["vocabulary"]["products"] == 14
    assert json.loads(result.stdout) == report


def test_cli_without_a_vocabulary_reads_catalog_free_slots(tmp_path: Path) -> None:
    file = _write(tmp_path / "u.json", UTTERANCES)
    result = CliRunner().invoke(_app(), ["eval", "utterances", "--file", str(file)])
    assert result.exit_code == 0, result.output
    assert "none (catalog-free slots only)" in result.output
    assert "recipient" in result.output


def test_cli_errors_are_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        _app(), ["eval", "utterances", "--file", str(tmp_path / "missing.json")]
    )
    assert result.exit_code == 2
    assert "file not found" in result.output
    saved = tmp_path / "vocabulary.json"
    saved.write_text(vocabulary().to_json())
    file = _write(tmp_path / "u.json", UTTERANCES)
    args = ["eval", "utterances", "--file", str(file), "--vocabulary", str(saved)]
    assert CliRunner().invoke(_app(), args).exit_code == 0
    both = CliRunner().invoke(_app(), [*args, "--vocabulary-from-store"])
    assert both.exit_code == 2 and "not both" in both.output
