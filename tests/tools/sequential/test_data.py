"""Reading sequence and attribute files, and refusing bad ones with file and line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tools.sequential.data import load_sequence_data, sequence_data
from tools.sequential.exceptions import DataFileError


def test_items_get_numeric_positions_and_attributes_a_padded_table(tmp_path: Path) -> None:
    path = tmp_path / "s.txt"
    path.write_text("7 10 2 9\n3 2 10 2 1\n\n5 9 9 2\n")
    attributes = tmp_path / "a.json"
    attributes.write_text('{"2": [5, 6], "10": [6], "99": [1]}')
    data = load_sequence_data(path, attributes)
    assert data.users == ("7", "3", "5")
    assert data.items == ("1", "2", "9", "10")  # numeric order, not "10" < "2"
    assert [s.tolist() for s in data.sequences] == [[4, 2, 3], [2, 4, 2, 1], [3, 3, 2]]
    assert data.n_attributes == 2  # "1" belongs to an item nobody has
    assert data.attributes.tolist() == [[0, 0], [0, 0], [1, 2], [0, 0], [2, 0]]
    assert data.item_id(4) == "10" and data.n_interactions == 10


def test_users_with_fewer_than_three_items_are_left_out_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "s.txt"
    path.write_text("a x y z\nb x y\nc y\n")
    data = load_sequence_data(path)
    assert data.users == ("a",) and data.skipped_users == 2
    assert data.items == ("x", "y", "z")  # lexicographic when ids are not all numbers


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a 1 2 3\na 4 5 6\n", "s.txt:2: user 'a' appears twice"),
        ("a 1 2 3\nb\n", "s.txt:2: a user with no items"),
        ("a 1 2\n", "no user with at least 3 items"),
    ],
)
def test_bad_sequence_files_name_the_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "s.txt"
    path.write_text(text)
    with pytest.raises(DataFileError, match=message):
        load_sequence_data(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"1": [1,', "malformed JSON"),
        ("[1, 2]", "expected a JSON object"),
        ('{"1": [1.5]}', "field '1': attribute ids must be a list"),
        ('{"1": 3}', "field '1': attribute ids must be a list"),
    ],
)
def test_bad_attribute_files_are_refused(tmp_path: Path, text: str, message: str) -> None:
    sequences = tmp_path / "s.txt"
    sequences.write_text("a 1 2 3\n")
    attributes = tmp_path / "a.json"
    attributes.write_text(text)
    with pytest.raises(DataFileError, match=message):
        load_sequence_data(sequences, attributes)


def test_a_fixed_item_universe_keeps_untouched_items() -> None:
    data = sequence_data([("u", ["b", "c", "b"])], {"a": ["x"]}, items=["a", "b", "c", "d"])
    assert data.items == ("a", "b", "c", "d")
    assert data.sequences[0].tolist() == [2, 3, 2]
    assert np.array_equal(data.attributes[:, 0], [0, 1, 0, 0, 0])
