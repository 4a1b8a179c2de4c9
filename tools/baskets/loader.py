"""Read baskets from a text file: one basket per line, items separated by commas."""

from __future__ import annotations

import csv
from pathlib import Path

from tools.exceptions import InputError


def load_baskets(*, path: Path) -> list[frozenset[str]]:
    """Baskets, one per line, items comma-separated (CSV quoting allowed); duplicates merge."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise InputError("file not found", file=str(path)) from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", file=str(path)) from exc
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", file=str(path)) from exc
    baskets: list[frozenset[str]] = []
    reader = csv.reader(text.rstrip().splitlines())
    for row in reader:
        line = reader.line_num
        if not row or all(not cell.strip() for cell in row):
            raise InputError("empty basket (blank line)", file=str(path), line=line)
        items = [cell.strip() for cell in row]
        for position, item in enumerate(items, start=1):
            if not item:
                raise InputError(
                    "empty item name", file=str(path), line=line, field=f"item {position}"
                )
        baskets.append(frozenset(items))
    if not baskets:
        raise InputError("no baskets in the file", file=str(path))
    return baskets
