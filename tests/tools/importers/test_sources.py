"""Money parsing and positioned JSON reading."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tools.exceptions import InputError
from tools.importers.jsonsource import dotted, iter_json_lines, load_json_object
from tools.importers.money import parse_cents


@pytest.mark.parametrize(
    ("value", "cents"),
    [
        ("12.5", 1250),
        ("0.01", 1),
        (" 3.10 ", 310),
        (".5", 50),
        (12, 1200),
        (12.3, 1230),
        (Decimal("50.88"), 5088),
    ],
)
def test_amounts_parse_exactly(value: object, cents: int) -> None:
    assert parse_cents(value) == cents


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("-1", "negative"),
        ("nan", "not a finite amount"),
        ("Infinity", "not a finite amount"),
        ("1.234", "more than 2 decimal places"),
        (1.005, "more than 2 decimal places"),
        ("1e2", "not a decimal amount"),
        ("$5", "not a decimal amount"),
        ("1,000", "not a decimal amount"),
        ("", "empty amount"),
        (True, "got bool"),
        (None, "got null"),
    ],
)
def test_bad_amounts_say_why(value: object, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_cents(value)


def test_text_amounts_can_be_refused() -> None:
    with pytest.raises(ValueError, match="got str"):
        parse_cents("1.00", allow_text=False)


def test_json_document_locates_nested_fields(tmp_path: Path) -> None:
    path = tmp_path / "doc.json"
    path.write_text(
        '{\n "a": {\n  "items": [\n   {"x": 1},\n   {\n    "x": 2.50\n   }\n  ]\n },\n "b": {}\n}\n'
    )
    doc = load_json_object(path)
    assert [(m.key, m.where.line) for m in doc.members] == [("a", 2), ("b", 10)]
    assert doc.members[0].value["items"][1]["x"] == Decimal("2.50")
    assert doc.locate(doc.members[0], ["items", 1, "x"]).line == 6
    assert doc.locate(doc.members[0], ["items", 0]).line == 4
    assert doc.locate(doc.members[0], ["missing", "x"]).line == 2
    assert dotted(["items", 1, "x"]) == "items[1].x"


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("[1, 2]", 1, "expected a JSON object of records"),
        ('{\n "a": 1,\n "a": 2\n}', 3, "duplicate key"),
        ('{\n "a": 1\n "b": 2\n}', 3, "expected ',' or '}'"),
        ('{\n "a": 1\n}\n{}', 4, "extra data"),
        ('{\n "a": [1,\n}', 3, "malformed JSON"),
        ('{\n "a": {"x": NaN}\n}', 2, "NaN is not a JSON number"),
        ("", 1, "expected a JSON object of records"),
    ],
)
def test_malformed_json_documents(tmp_path: Path, text: str, line: int, reason: str) -> None:
    path = tmp_path / "doc.json"
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        load_json_object(path)
    assert caught.value.file == str(path)
    assert caught.value.line == line
    assert reason in str(caught.value)


def test_json_lines_skip_blanks_and_keep_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"a": 1}\n\n  \n{"a": 2}\n')
    assert [(where.line, record) for where, record in iter_json_lines(path)] == [
        (1, {"a": 1}),
        (4, {"a": 2}),
    ]
