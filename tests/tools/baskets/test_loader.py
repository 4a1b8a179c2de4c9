"""Reading basket files: one basket per line, clear errors on bad lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.baskets import load_baskets
from tools.exceptions import InputError


def test_reads_baskets_and_merges_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "baskets.csv"
    path.write_text('milk,bread\n"cream, sour",milk,milk\nbeer\n\n')
    assert load_baskets(path=path) == [
        frozenset({"milk", "bread"}),
        frozenset({"cream, sour", "milk"}),
        frozenset({"beer"}),
    ]


def test_empty_item_names_line_and_position(tmp_path: Path) -> None:
    path = tmp_path / "baskets.csv"
    path.write_text("milk,bread\nbeer,,chips\n")
    with pytest.raises(InputError) as caught:
        load_baskets(path=path)
    assert (caught.value.file, caught.value.line, caught.value.field) == (str(path), 2, "item 2")


def test_blank_line_inside_the_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "baskets.csv"
    path.write_text("milk\n\nbeer\n")
    with pytest.raises(InputError) as caught:
        load_baskets(path=path)
    assert caught.value.line == 2


def test_missing_and_binary_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        load_baskets(path=tmp_path / "absent.csv")
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00milk")
    with pytest.raises(InputError, match="UTF-8"):
        load_baskets(path=binary)
