"""Brand-choice panels: purchase occasions with every alternative's price and promotions.

The file format (Ecdat/mlogit "wide" panels): a household column `id`, one column
`<attribute>.<alternative>` per attribute and alternative (`price.<brand>` required, others such
as `feat.<brand>` or `disp.<brand>` optional and used when present for every alternative), and
`choice`, the alternative bought. Rows of one household are taken to be in time order.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from tools.exceptions import InputError

PRICE = "price"


@dataclass(frozen=True)
class ChoiceData:
    """Purchase occasions: who bought, what each alternative offered, which one was chosen."""

    alternatives: tuple[str, ...]
    attributes: tuple[str, ...]
    households: NDArray[np.str_]
    x: NDArray[np.float64]
    choice: NDArray[np.int64]

    @property
    def n(self) -> int:
        """Number of purchase occasions."""
        return int(self.choice.shape[0])

    def subset(self, mask: NDArray[np.bool_]) -> ChoiceData:
        """The occasions where `mask` is true, in the same order."""
        return ChoiceData(
            alternatives=self.alternatives,
            attributes=self.attributes,
            households=self.households[mask],
            x=self.x[mask],
            choice=self.choice[mask],
        )


def _layout(header: list[str], *, file: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Alternatives (from the price columns) and the attributes present for all of them."""
    for required in ("id", "choice"):
        if required not in header:
            raise InputError("missing column", file=file, line=1, field=required)
    alternatives = tuple(c.split(".", 1)[1] for c in header if c.startswith(f"{PRICE}."))
    if len(alternatives) < 2:
        raise InputError(
            "need price.<alternative> columns for at least two alternatives",
            file=file,
            line=1,
            field=f"{PRICE}.*",
        )
    names = {c.split(".", 1)[0] for c in header if "." in c and c.split(".", 1)[1] in alternatives}
    attributes = [PRICE, *sorted(names - {PRICE})]
    for attribute in attributes:
        for alternative in alternatives:
            column = f"{attribute}.{alternative}"
            if column not in header:
                raise InputError("missing column", file=file, line=1, field=column)
    return alternatives, tuple(attributes)


def _number(row: dict[str, str], column: str, *, file: str, line: int) -> float:
    raw = row.get(column)
    if raw is None or not raw.strip():
        raise InputError("missing value", file=file, line=line, field=column)
    try:
        value = float(raw)
    except ValueError as exc:
        raise InputError(f"not a number: {raw!r}", file=file, line=line, field=column) from exc
    if not math.isfinite(value):
        raise InputError(f"not a finite number: {raw!r}", file=file, line=line, field=column)
    return value


def _read_row(
    row: dict[str, str],
    *,
    alternatives: tuple[str, ...],
    attributes: tuple[str, ...],
    file: str,
    line: int,
) -> tuple[str, list[list[float]], int]:
    """One occasion: household, attribute values (attributes x alternatives), chosen index."""
    household = (row.get("id") or "").strip()
    if not household:
        raise InputError("empty household id", file=file, line=line, field="id")
    chosen = (row.get("choice") or "").strip()
    if chosen not in alternatives:
        raise InputError(
            f"unknown alternative {chosen!r}; expected one of {', '.join(alternatives)}",
            file=file,
            line=line,
            field="choice",
        )
    values = [
        [_number(row, f"{a}.{alt}", file=file, line=line) for alt in alternatives]
        for a in attributes
    ]
    if min(values[0]) < 0:
        bad = alternatives[int(np.argmin(values[0]))]
        raise InputError("price must not be negative", file=file, line=line, field=f"{PRICE}.{bad}")
    return household, values, alternatives.index(chosen)


def load_choice_data(*, path: Path) -> ChoiceData:
    """Read a wide brand-choice panel (`id`, `price.<brand>`, optional `feat.<brand>`, `choice`)."""
    file = str(path)
    households: list[str] = []
    rows: list[list[list[float]]] = []
    choices: list[int] = []
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            alternatives, attributes = _layout(list(reader.fieldnames or []), file=file)
            for row in reader:
                household, values, chosen = _read_row(
                    row,
                    alternatives=alternatives,
                    attributes=attributes,
                    file=file,
                    line=reader.line_num,
                )
                households.append(household)
                rows.append(values)
                choices.append(chosen)
    except FileNotFoundError as exc:
        raise InputError("file not found", file=file) from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", file=file) from exc
    if not choices:
        raise InputError("no purchase occasions in the file", file=file)
    return ChoiceData(
        alternatives=alternatives,
        attributes=attributes,
        households=np.array(households, dtype=np.str_),
        x=np.array(rows, dtype=np.float64),
        choice=np.array(choices, dtype=np.int64),
    )


def household_split(
    *, data: ChoiceData, test_fraction: float = 0.25, seed: int = 0
) -> tuple[ChoiceData, ChoiceData]:
    """Split occasions by household (seeded): every household is wholly in train or in test."""
    if not 0 < test_fraction < 1:
        raise InputError(f"must lie in (0, 1), got {test_fraction}", field="test_fraction")
    ids = np.unique(data.households)
    if ids.size < 2:
        raise InputError("need at least two households to split", field="id")
    order = np.random.default_rng(seed).permutation(ids.size)
    n_test = min(ids.size - 1, max(1, round(test_fraction * ids.size)))
    test_ids = ids[order[:n_test]]
    in_test = np.isin(data.households, test_ids)
    return data.subset(~in_test), data.subset(in_test)
