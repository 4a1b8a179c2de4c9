"""`concierge import ...` through the CLI runner."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine
from typer.testing import CliRunner

from orchestrator.cli.app import app
from tests.tools.importers.support import mini_store, write_store
from tools.store.digest import store_digest
from tools.store.stats import table_counts


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def _last_json(output: str) -> dict[str, object]:
    result = json.loads(output.strip().splitlines()[-1])
    assert isinstance(result, dict)
    return result


def test_import_help_lists_the_importers() -> None:
    code, output = _run("import", "--help")
    assert code == 0
    for command in ("taubench", "catalog", "sequences"):
        assert command in output


def test_taubench_json_and_out(tmp_path: Path, sqlite_url: str, sqlite_engine: Engine) -> None:
    directory = write_store(tmp_path / "tau", mini_store())
    out = tmp_path / "report.json"
    code, output = _run(
        "--database-url",
        sqlite_url,
        "import",
        "taubench",
        str(directory),
        "--json",
        "--out",
        str(out),
    )
    assert code == 0, output
    result = _last_json(output)
    assert result["created"] == {
        "locations": 1,
        "products": 3,
        "inventory": 3,
        "shoppers": 1,
        "orders": 1,
        "order_lines": 2,
    }
    assert json.loads(out.read_text()) == result
    assert table_counts(sqlite_engine)["orders"] == 1


def test_catalog_prints_counts(tmp_path: Path, sqlite_url: str, sqlite_engine: Engine) -> None:
    path = tmp_path / "c.csv"
    path.write_text("sku,title,category,list_price,stock\nA,Shirt,apparel,10,2\n")
    code, output = _run("--database-url", sqlite_url, "import", "catalog", str(path))
    assert code == 0, output
    assert "products" in output and "inventory" in output
    assert table_counts(sqlite_engine)["products"] == 1


def test_catalog_format_option(tmp_path: Path, sqlite_url: str, sqlite_engine: Engine) -> None:
    path = tmp_path / "catalog.txt"
    path.write_text('{"sku": "A", "title": "Shirt", "category": "c", "list_price": "10.00"}\n')
    code, output = _run(
        "--database-url", sqlite_url, "import", "catalog", str(path), "--format", "jsonl", "--json"
    )
    assert code == 0, output
    assert _last_json(output)["created"] == {"products": 1}


def test_bad_catalog_exits_2_with_file_line_field(
    tmp_path: Path, sqlite_url: str, sqlite_engine: Engine
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("sku,title,category,list_price\nA,Shirt,c,10\nB,Hat,c,1.999\n")
    before = store_digest(sqlite_engine)
    code, output = _run("--database-url", sqlite_url, "import", "catalog", str(path))
    assert code == 2
    assert f"{path}:3: field 'list_price'" in output.replace("\n", "")
    assert store_digest(sqlite_engine) == before


def test_sequences_with_created_items(
    tmp_path: Path, sqlite_url: str, sqlite_engine: Engine
) -> None:
    path = tmp_path / "seq.txt"
    path.write_text("u1 i1 i2\nu2 i2\n")
    args = ["--database-url", sqlite_url, "import", "sequences", str(path), "--prefix", "x:"]
    code, output = _run(*args, "--create-items", "--default-price", "4.99", "--json")
    assert code == 0, output
    assert _last_json(output)["created"] == {"products": 2, "shoppers": 2, "events": 3}


def test_sequences_refusals_exit_2(tmp_path: Path, sqlite_url: str, sqlite_engine: Engine) -> None:
    path = tmp_path / "seq.txt"
    path.write_text("u1 i1\n")
    base = ["--database-url", sqlite_url, "import", "sequences", str(path)]
    code, output = _run(*base)
    assert code == 2
    assert f"{path}:1: field 'items[0]'" in output.replace("\n", "")
    code, output = _run(*base, "--create-items")
    assert code == 2 and "--default-price" in output
    code, output = _run(*base, "--create-items", "--default-price", "4.999")
    assert code == 2 and "more than 2 decimal places" in output
    assert table_counts(sqlite_engine)["shoppers"] == 0
