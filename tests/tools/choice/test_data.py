"""Reading wide brand-choice panels and splitting them by household."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tools.choice import household_split, load_choice_data
from tools.exceptions import InputError

HEADER = "rownames,id,disp.x,disp.y,feat.x,feat.y,price.x,price.y,choice\n"


def _write(tmp_path: Path, body: str, header: str = HEADER) -> Path:
    path = tmp_path / "panel.csv"
    path.write_text(header + body)
    return path


def test_reads_alternatives_attributes_and_choices(tmp_path: Path) -> None:
    path = _write(tmp_path, "1,7,0,1,0,0,1.5,2.5,y\n2,7,0,0,1,0,1.0,2.0,x\n3,8,0,0,0,0,1,2,x\n")
    data = load_choice_data(path=path)
    assert data.alternatives == ("x", "y")
    assert data.attributes == ("price", "disp", "feat")
    assert data.x.shape == (3, 3, 2)
    assert data.x[0, 0].tolist() == [1.5, 2.5]
    assert data.x[0, 1].tolist() == [0.0, 1.0]
    assert data.choice.tolist() == [1, 0, 0]
    assert data.households.tolist() == ["7", "7", "8"]


@pytest.mark.parametrize(
    ("body", "line", "field"),
    [
        ("1,7,0,0,0,0,1.5,abc,y\n", 2, "price.y"),
        ("1,7,0,0,0,0,1.5,2,z\n", 2, "choice"),
        ("1,7,0,0,0,0,1.5,2,x\n2,,0,0,0,0,1,2,x\n", 3, "id"),
        ("1,7,0,0,0,0,-1,2,x\n", 2, "price.x"),
        ("1,7,0,0,0,nan,1,2,x\n", 2, "feat.y"),
    ],
)
def test_bad_rows_name_file_line_and_field(
    tmp_path: Path, body: str, line: int, field: str
) -> None:
    path = _write(tmp_path, body)
    with pytest.raises(InputError) as caught:
        load_choice_data(path=path)
    assert (caught.value.file, caught.value.line, caught.value.field) == (str(path), line, field)


def test_attribute_missing_for_one_alternative_is_an_error(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "1,7,0,1.5,2.5,y\n", header="rownames,id,feat.x,price.x,price.y,choice\n"
    )
    with pytest.raises(InputError) as caught:
        load_choice_data(path=path)
    assert (caught.value.line, caught.value.field) == (1, "feat.y")


def test_missing_columns(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_choice_data(path=_write(tmp_path, "1,1,x\n", header="id,price.x,choice\n"))
    assert caught.value.field == "price.*"
    with pytest.raises(InputError) as caught:
        load_choice_data(path=_write(tmp_path, "1,1,2\n", header="id,price.x,price.y\n"))
    assert caught.value.field == "choice"


def test_household_split_is_seeded_and_keeps_households_whole(tmp_path: Path) -> None:
    rows = "".join(f"{i},{i % 10},0,0,0,0,1,2,{'xy'[i % 2]}\n" for i in range(100))
    data = load_choice_data(path=_write(tmp_path, rows))
    train, test = household_split(data=data, test_fraction=0.3, seed=4)
    again_train, again_test = household_split(data=data, test_fraction=0.3, seed=4)
    np.testing.assert_array_equal(test.households, again_test.households)
    assert set(train.households.tolist()).isdisjoint(test.households.tolist())
    assert len(set(test.households.tolist())) == 3
    assert train.n + test.n == data.n
    assert again_train.n == train.n
