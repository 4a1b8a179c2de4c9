"""Read labelled sessions in the layout of the UCI online-shoppers-intention data set.

Headers are matched ignoring case, spaces and underscores, so both the original file (`Month`
as "Feb", `VisitorType`, `Weekend` and `Revenue` as TRUE/FALSE) and numerically re-coded copies
(`Month` as 2, `returning_ visitor` as 0/1) load. Other columns (operating system, browser,
region, traffic type) are ignored: a storefront's own event stream has nothing to map them to.
Empty cells are read as unknown (NaN) and filled by the model.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from tools.exceptions import InputError
from tools.propensity.features import FEATURE_NAMES

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_TRUE = {"1", "true", "yes", "t"}
_FALSE = {"0", "false", "no", "f"}

# Feature name -> accepted headers, as the UCI files spell them (matched after normalising).
_HEADERS: dict[str, tuple[str, ...]] = {
    "administrative_pages": ("Administrative",),
    "administrative_duration": ("Administrative_Duration",),
    "informational_pages": ("Informational",),
    "informational_duration": ("Informational_Duration",),
    "product_pages": ("ProductRelated",),
    "product_duration": ("ProductRelated_Duration",),
    "bounce_rate": ("BounceRates",),
    "exit_rate": ("ExitRates",),
    "page_value": ("PageValues",),
    "special_day": ("SpecialDay",),
    "month": ("Month",),
    "returning_visitor": ("returning_visitor", "VisitorType"),
    "weekend": ("Weekend",),
}
LABEL = "revenue"


@dataclass(frozen=True)
class SessionTable:
    """Sessions as a feature matrix (columns in `FEATURE_NAMES` order) and purchase labels."""

    x: NDArray[np.float64]
    y: NDArray[np.int64]


def _normalise(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


def _number(raw: str) -> float:
    return math.nan if raw == "" else float(raw)


def _flag(raw: str) -> float:
    low = raw.lower()
    if low in _TRUE:
        return 1.0
    if low in _FALSE:
        return 0.0
    if low == "":
        return math.nan
    raise ValueError(raw)


def _month(raw: str) -> float:
    if raw == "":
        return math.nan
    value = float(_MONTHS.index(raw[:3].lower()) + 1) if raw[:1].isalpha() else float(raw)
    if value not in range(1, 13):
        raise ValueError(raw)
    return value


def _visitor(raw: str) -> float:
    return 1.0 if raw.lower().startswith("returning") else 0.0


def _parsers(columns: dict[str, str]) -> list[tuple[str, Callable[[str], float]]]:
    """(header, parser) per feature, in `FEATURE_NAMES` order."""
    out: list[tuple[str, Callable[[str], float]]] = []
    for name in FEATURE_NAMES:
        accepted = [_normalise(h) for h in _HEADERS[name]]
        header = next((columns[h] for h in accepted if h in columns), None)
        if header is None:
            raise InputError("missing column", line=1, field=_HEADERS[name][0])
        if name == "month":
            out.append((header, _month))
        elif _normalise(header) == "visitortype":
            out.append((header, _visitor))
        elif name in ("returning_visitor", "weekend"):
            out.append((header, _flag))
        else:
            out.append((header, _number))
    return out


def load_sessions(*, path: Path) -> SessionTable:
    """Read a labelled session file (features and the purchase label `Revenue`)."""
    file = str(path)
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            columns = {_normalise(h): h for h in reader.fieldnames or []}
            if LABEL not in columns:
                raise InputError("missing column", file=file, line=1, field="Revenue")
            try:
                parsers = _parsers(columns)
            except InputError as exc:
                raise InputError(exc.reason, file=file, line=1, field=exc.field) from exc
            rows: list[list[float]] = []
            labels: list[int] = []
            for row in reader:
                rows.append(_parse_row(row, parsers, file=file, line=reader.line_num))
                raw = (row.get(columns[LABEL]) or "").strip()
                try:
                    label = _flag(raw)
                except ValueError:
                    label = math.nan
                if math.isnan(label):
                    raise InputError(
                        f"expected 0/1 or TRUE/FALSE, got {raw!r}",
                        file=file,
                        line=reader.line_num,
                        field=columns[LABEL],
                    )
                labels.append(int(label))
    except FileNotFoundError as exc:
        raise InputError("file not found", file=file) from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", file=file) from exc
    if not rows:
        raise InputError("no sessions in the file", file=file)
    return SessionTable(x=np.array(rows, dtype=np.float64), y=np.array(labels, dtype=np.int64))


def _parse_row(
    row: dict[str, str], parsers: list[tuple[str, Callable[[str], float]]], *, file: str, line: int
) -> list[float]:
    values: list[float] = []
    for header, parse in parsers:
        raw = (row.get(header) or "").strip()
        try:
            value = parse(raw)
        except ValueError as exc:
            raise InputError(
                f"unreadable value {raw!r}", file=file, line=line, field=header
            ) from exc
        if not math.isnan(value) and (value < 0 or math.isinf(value)):
            raise InputError(
                f"must be a non-negative number, got {raw!r}", file=file, line=line, field=header
            )
        values.append(value)
    return values
