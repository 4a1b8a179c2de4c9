"""Reading labelled session files in both the original and the re-coded UCI layout."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from tools.exceptions import InputError
from tools.propensity import FEATURE_NAMES, load_sessions

ORIGINAL = (
    "Administrative,Administrative_Duration,Informational,Informational_Duration,"
    "ProductRelated,ProductRelated_Duration,BounceRates,ExitRates,PageValues,SpecialDay,Month,"
    "OperatingSystems,Browser,Region,TrafficType,VisitorType,Weekend,Revenue\n"
)
RECODED = ORIGINAL.replace("VisitorType,Weekend", "returning_ visitor,weekend")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sessions.csv"
    path.write_text(text)
    return path


def test_original_layout(tmp_path: Path) -> None:
    rows = (
        "0,0,0,0,1,0,0.2,0.2,0,0,Feb,1,1,1,1,Returning_Visitor,FALSE,FALSE\n"
        "2,30.5,1,4,10,300,0,0.02,12.5,0.4,June,2,2,1,2,New_Visitor,TRUE,TRUE\n"
    )
    table = load_sessions(path=_write(tmp_path, ORIGINAL + rows))
    assert table.y.tolist() == [0, 1]
    second = dict(zip(FEATURE_NAMES, table.x[1].tolist(), strict=True))
    assert second["month"] == 6 and second["returning_visitor"] == 0 and second["weekend"] == 1
    assert second["administrative_duration"] == 30.5 and second["page_value"] == 12.5


def test_recoded_layout_and_empty_cells(tmp_path: Path) -> None:
    rows = ",,,,,,,,0,0,3,2,2,1,2,1,0,0\n1,10,0,0,5,50,0,0.1,0,0,11,1,1,1,1,0,1,1\n"
    table = load_sessions(path=_write(tmp_path, RECODED + rows))
    assert math.isnan(table.x[0, 0]) and table.x[0, FEATURE_NAMES.index("month")] == 3
    assert table.x[1, FEATURE_NAMES.index("weekend")] == 1
    assert table.y.tolist() == [0, 1]


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("x,0,0,0,1,0,0.2,0.2,0,0,2,1,1,1,1,1,0,0\n", "Administrative"),
        ("0,0,0,0,1,0,0.2,0.2,0,0,13,1,1,1,1,1,0,0\n", "Month"),
        ("0,0,0,0,1,0,0.2,-1,0,0,2,1,1,1,1,1,0,0\n", "ExitRates"),
        ("0,0,0,0,1,0,0.2,0.2,0,0,2,1,1,1,1,1,maybe,0\n", "weekend"),
        ("0,0,0,0,1,0,0.2,0.2,0,0,2,1,1,1,1,1,0,\n", "Revenue"),
    ],
)
def test_bad_cells_name_file_line_and_field(tmp_path: Path, row: str, field: str) -> None:
    path = _write(tmp_path, RECODED + "0,0,0,0,1,0,0.2,0.2,0,0,2,1,1,1,1,1,0,0\n" + row)
    with pytest.raises(InputError) as caught:
        load_sessions(path=path)
    assert (caught.value.file, caught.value.line, caught.value.field) == (str(path), 3, field)


def test_missing_column(tmp_path: Path) -> None:
    path = _write(tmp_path, RECODED.replace("PageValues,", "") + "0\n")
    with pytest.raises(InputError) as caught:
        load_sessions(path=path)
    assert (caught.value.line, caught.value.field) == (1, "PageValues")
