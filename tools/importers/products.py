"""Product rows every importer builds: checked against the catalog schema, then written."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, col

from tools.importers.report import ImportReport, Progress, no_progress
from tools.importers.validation import first_error
from tools.importers.where import Keyed, Where
from tools.importers.writer import existing_keys, insert_rows, refuse_existing, update_rows
from tools.store import Product, ProductBase


def product_row(
    values: Mapping[str, Any], *, where: Where, fields: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """A product row checked against the catalog schema (lengths, non-negative money).

    `fields` maps a column to the input field it came from, for the error message.
    """
    try:
        product = ProductBase.model_validate(values)
    except ValidationError as exc:
        path, reason = first_error(exc)
        column = str(path[0]) if path else "sku"
        raise where.error(reason, field=(fields or {}).get(column, column)) from exc
    return product.model_dump()


def remember_sku(seen: dict[str, Keyed], row: Keyed) -> None:
    """Record a row's sku; an InputError at this row if an earlier one had the same sku."""
    earlier = seen.setdefault(row.key, row)
    if earlier is not row:
        at = f"{earlier.where.file}:{earlier.where.line}"
        raise row.error(f"duplicate sku {row.key!r} (first at {at})")


def check_products(session: Session, rows: Sequence[Keyed], *, replace: bool) -> set[str]:
    """The skus of `rows` already stored; an InputError at the first one unless replacing."""
    return refuse_existing(session, col(Product.sku), rows, replace=replace, what="sku")


def write_products(
    session: Session,
    rows: Sequence[Keyed],
    existing: set[str],
    report: ImportReport,
    *,
    progress: Progress = no_progress,
) -> None:
    """Insert new skus and update the `existing` ones in place."""
    new = [r.row for r in rows if r.key not in existing]
    changed = [r.row for r in rows if r.key in existing]
    insert_rows(session, Product, new, stage="products", progress=progress)
    update_rows(session, Product, changed, stage="products", progress=progress)
    report.count("products", created=len(new), replaced=len(changed))


def stored_skus(session: Session, skus: Sequence[str]) -> set[str]:
    """Which skus the store already has."""
    return existing_keys(session, col(Product.sku), skus)
