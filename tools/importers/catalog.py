"""Import a product catalog from CSV or JSON Lines, one sellable variant per record.

Fields: `sku`, `title`, `category` ('/'-separated path) and `list_price` are required;
`variant_group` (default: the sku), `brand`, `description`, `unit_cost`, `map_price`,
`attributes` (a JSON object; in CSV also one `attr.<name>` column per attribute), `tags`
('|'-separated in CSV, a list in JSON), `age_restricted`, `regulated` (booleans), `launch_date`
(YYYY-MM-DD) and stock are optional. Stock is `stock` (units in the online warehouse) and
`stock.<location id>` (units at a location already in the store); in JSON `stock` may also be an
object of location id -> units. Prices are decimal amounts, read exactly into cents. Unknown
fields are refused, so that a misspelt column is not silently dropped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlmodel import col

from tools.exceptions import InputError
from tools.importers import fields as parse
from tools.importers.csvsource import open_csv
from tools.importers.inventory import (
    ONLINE_LOCATION_ID,
    StockKey,
    ensure_online_warehouse,
    write_stock,
)
from tools.importers.jsonsource import iter_json_lines
from tools.importers.money import parse_cents
from tools.importers.products import check_products, product_row, remember_sku, write_products
from tools.importers.report import ImportReport, Progress, no_progress
from tools.importers.where import Keyed, Ref, Where
from tools.importers.writer import refuse_dangling
from tools.store import Location, create_schema, transaction

REQUIRED = ("sku", "title", "category", "list_price")
OPTIONAL = (
    "variant_group",
    "brand",
    "description",
    "unit_cost",
    "map_price",
    "attributes",
    "tags",
    "age_restricted",
    "regulated",
    "launch_date",
    "stock",
)
PREFIXES = ("attr.", "stock.")
FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
TEXT_COLUMNS = frozenset({"sku", "title", "category", "variant_group", "brand", "description"})
MONEY_COLUMNS = {
    "list_price": "list_price_cents",
    "unit_cost": "unit_cost_cents",
    "map_price": "map_cents",
}
FLAG_COLUMNS = frozenset({"age_restricted", "regulated"})
COLUMN_OF = {column: name for name, column in MONEY_COLUMNS.items()}


@dataclass
class Catalog:
    """A catalog file read and checked, as rows ready to write."""

    products: list[Keyed] = field(default_factory=list)
    seen: dict[str, Keyed] = field(default_factory=dict)
    stock: dict[StockKey, int] = field(default_factory=dict)
    location_refs: dict[str, Ref] = field(default_factory=dict)


def catalog_format(path: Path, fmt: str | None = None) -> str:
    """'csv' or 'jsonl': as given, else from the file extension."""
    if fmt is not None:
        if fmt not in FORMATS.values():
            raise InputError(f"unknown format {fmt!r} (csv or jsonl)", field="format")
        return fmt
    found = FORMATS.get(path.suffix.lower())
    if found is None:
        raise InputError(
            "cannot tell the format from the extension: pass csv or jsonl", file=str(path)
        )
    return found


def import_catalog(
    engine: Engine,
    *,
    path: Path,
    fmt: str | None = None,
    replace: bool = False,
    progress: Progress = no_progress,
) -> ImportReport:
    """Import a catalog file in one transaction; bad input raises InputError and writes nothing."""
    catalog = read_catalog(path=path, fmt=catalog_format(path, fmt), progress=progress)
    report = ImportReport(source=str(path))
    create_schema(engine)
    with transaction(engine) as session:
        existing = check_products(session, catalog.products, replace=replace)
        refs = [r for r in catalog.location_refs.values() if r.key != ONLINE_LOCATION_ID]
        refuse_dangling(session, col(Location.id), refs, what="location")
        if ONLINE_LOCATION_ID in catalog.location_refs:
            ensure_online_warehouse(session, report)
        write_products(session, catalog.products, existing, report, progress=progress)
        write_stock(session, catalog.stock, report, progress=progress)
    return report


def read_catalog(*, path: Path, fmt: str, progress: Progress = no_progress) -> Catalog:
    """Read and check every record; nothing touches the store."""
    catalog = Catalog()
    records = _csv_records(path) if fmt == "csv" else _jsonl_records(path)
    for where, raw, textual in records:
        _add(catalog, where, raw, textual=textual)
        if len(catalog.products) % 10_000 == 0:
            progress("reading", len(catalog.products), 0)
    progress("reading", len(catalog.products), len(catalog.products))
    return catalog


def _csv_records(path: Path) -> Iterator[tuple[Where, dict[str, Any], bool]]:
    table = open_csv(path)
    for column in REQUIRED:
        if column not in table.header:
            raise table.header_where.error("missing required column", field=column)
    for column in table.header:
        _check_known(column, table.header_where)
    for where, row in table.rows:
        yield where, dict(row), True


def _jsonl_records(path: Path) -> Iterator[tuple[Where, dict[str, Any], bool]]:
    for where, record in iter_json_lines(path):
        for key in record:
            _check_known(key, where)
        yield where, record, False


def _check_known(name: str, where: Where) -> None:
    known = name in REQUIRED or name in OPTIONAL
    if not known and not any(name.startswith(p) and len(name) > len(p) for p in PREFIXES):
        raise where.error("unknown field (see the catalog format)", field=name)


def _add(catalog: Catalog, where: Where, raw: dict[str, Any], *, textual: bool) -> None:
    """Parse one record into a product row and its stock."""
    for name in REQUIRED:
        if parse.is_absent(raw.get(name)):
            raise where.error("required value is missing", field=name)
    values: dict[str, Any] = {}
    attrs: dict[str, Any] = {}
    stock: dict[str, int] = {}
    for name, value in raw.items():
        if parse.is_absent(value):
            continue
        try:
            _parse_field(name, value, textual=textual, values=values, attrs=attrs, stock=stock)
        except ValueError as exc:
            raise where.error(str(exc), field=name) from exc
    sku = values["sku"]
    values.setdefault("variant_group", sku)
    values["attributes"] = attrs
    row = product_row(values, where=where, fields=COLUMN_OF)
    product = Keyed(sku, row, where, "sku")
    remember_sku(catalog.seen, product)
    catalog.products.append(product)
    for location_id, units in stock.items():
        catalog.stock[StockKey(sku, location_id)] = units
        ref_field = "stock" if location_id == ONLINE_LOCATION_ID else f"stock.{location_id}"
        catalog.location_refs.setdefault(location_id, Ref(location_id, where, ref_field))


def _parse_field(
    name: str,
    value: object,
    *,
    textual: bool,
    values: dict[str, Any],
    attrs: dict[str, Any],
    stock: dict[str, int],
) -> None:
    if name in TEXT_COLUMNS:
        values[name] = parse.text(value)
    elif name in MONEY_COLUMNS:
        values[MONEY_COLUMNS[name]] = parse_cents(value)
    elif name in FLAG_COLUMNS:
        values[name] = parse.flag(value, textual=textual)
    elif name == "tags":
        values["tags"] = parse.tags(value, textual=textual)
    elif name == "launch_date":
        values["launch_date"] = parse.day(value)
    elif name == "attributes":
        _merge(attrs, parse.attributes(value, textual=textual), what="attribute")
    elif name.startswith("attr."):
        _merge(attrs, {name[5:]: parse.json_ready(value)}, what="attribute")
    else:
        _merge(stock, _stock(name, value, textual=textual), what="stock location")


def _stock(name: str, value: object, *, textual: bool) -> dict[str, int]:
    if name.startswith("stock."):
        return {name[6:]: parse.count(value, textual=textual)}
    if isinstance(value, dict) and not textual:
        units = {str(k): parse.count(v, textual=False) for k, v in value.items()}
        return units
    return {ONLINE_LOCATION_ID: parse.count(value, textual=textual)}


def _merge(target: dict[str, Any], new: dict[str, Any], *, what: str) -> None:
    for key, value in new.items():
        if key in target:
            raise ValueError(f"{what} {key!r} is given twice")
        target[key] = value
