"""Import interaction sequences: one line per user, `user item item ...` in time order.

Each user becomes a shopper `<prefix><user>` and each item a purchase event of sku
`<prefix><item>`, all in the session `seq:<shopper id>`. The files carry no times, so timestamps
are ordinal: the n-th interaction of every user (n = 0, 1, ...) happens at SEQUENCE_EPOCH + n
seconds. Order within a user is preserved, the same file always gives the same rows, and events
are inserted in file order, so event ids break ties between users.

Items must already be products, unless `create_items` is set: then missing ones are created as
"Item <id>" in category "imported/<prefix>", with attributes from an optional item-attribute JSON
file (item id -> object, or list of attribute ids) and the list price given explicitly, because
the sequences carry no prices. Created items get no stock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete
from sqlmodel import Session, col

from tools.exceptions import InputError
from tools.importers.fields import json_ready, slug
from tools.importers.jsonsource import json_kind, load_json_object
from tools.importers.products import product_row, stored_skus, write_products
from tools.importers.report import ImportReport, Progress, no_progress
from tools.importers.shoppers import check_shoppers, shopper_row, write_shoppers
from tools.importers.where import Keyed, Where, read_text
from tools.importers.writer import LOOKUP_KEYS, chunked, insert_rows
from tools.store import Event, create_schema, transaction
from tools.store.vocab import Device, EventKind

SEQUENCE_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
"""The ordinal time of every user's first interaction."""
SEQUENCE_STEP = timedelta(seconds=1)
"""The ordinal time between a user's consecutive interactions."""
SESSION_PREFIX = "seq:"
KEY_MAX = 64
PURCHASE = EventKind.PURCHASE.value
UNKNOWN_DEVICE = Device.UNKNOWN.value


@dataclass
class Sequences:
    """A sequence file read and checked, as rows ready to write."""

    shoppers: list[Keyed] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    items: dict[str, tuple[Where, str]] = field(default_factory=dict)
    """Item id -> (line and field of its first occurrence), in first-seen order."""


def import_sequences(
    engine: Engine,
    *,
    path: Path,
    attributes: Path | None = None,
    prefix: str = "",
    create_items: bool = False,
    default_price_cents: int | None = None,
    replace: bool = False,
    progress: Progress = no_progress,
) -> ImportReport:
    """Import a sequence file in one transaction; bad input raises InputError, writes nothing."""
    if attributes is not None and not create_items:
        raise InputError("item attributes are only used with --create-items", field="attributes")
    if create_items and default_price_cents is None:
        raise InputError(
            "creating items needs an explicit --default-price: sequences carry no prices",
            field="default_price",
        )
    data = read_sequences(path=path, prefix=prefix, progress=progress)
    attrs = read_item_attributes(attributes) if attributes is not None else {}
    report = ImportReport(source=str(path))
    create_schema(engine)
    with transaction(engine) as session:
        existing = check_shoppers(session, data.shoppers, replace=replace)
        new_items = _missing_items(session, data, prefix=prefix, create=create_items)
        products = [
            _item_product(item, data.items[item][0], prefix, attrs, default_price_cents or 0)
            for item in new_items
        ]
        _forget_earlier_events(session, existing, report)
        write_products(session, products, set(), report, progress=progress)
        write_shoppers(
            session, data.shoppers, existing, report, update_existing=False, progress=progress
        )
        insert_rows(session, Event, data.events, stage="events", progress=progress)
        report.count("events", created=len(data.events))
    unused = len(set(attrs) - set(new_items))
    if unused:
        report.notes.append(f"{unused} item attribute records were not used")
    return report


def read_sequences(*, path: Path, prefix: str, progress: Progress = no_progress) -> Sequences:
    """Read and check every line; nothing touches the store."""
    data = Sequences()
    first_line: dict[str, int] = {}
    lines = read_text(path).splitlines()
    for number, line in enumerate(lines, start=1):
        tokens = line.split()
        if not tokens:
            continue
        where = Where(str(path), number)
        user, items = tokens[0], tokens[1:]
        if user in first_line:
            raise where.error(
                f"duplicate user {user!r} (first at line {first_line[user]})", field="user"
            )
        first_line[user] = number
        shopper_id = prefix + user
        if len(SESSION_PREFIX + shopper_id) > KEY_MAX:
            limit = KEY_MAX - len(SESSION_PREFIX)
            raise where.error(f"user id with prefix is over {limit} characters", field="user")
        data.shoppers.append(Keyed(shopper_id, shopper_row(shopper_id=shopper_id), where, "user"))
        for position, item in enumerate(items):
            _add_event(data, where, shopper_id, prefix, item, position)
        if number % 5000 == 0:
            progress("reading", number, len(lines))
    progress("reading", len(lines), len(lines))
    return data


def _add_event(
    data: Sequences, where: Where, shopper_id: str, prefix: str, item: str, position: int
) -> None:
    sku = prefix + item
    if item not in data.items:
        if len(sku) > KEY_MAX:
            raise where.error(
                f"item id with prefix is over {KEY_MAX} characters", field=f"items[{position}]"
            )
        data.items[item] = (where, f"items[{position}]")
    data.events.append(
        {
            "shopper_id": shopper_id,
            "session_id": SESSION_PREFIX + shopper_id,
            "kind": PURCHASE,
            "sku": sku,
            "query": None,
            "quantity": 1,
            "price_cents": None,
            "channel": "web",
            "device": UNKNOWN_DEVICE,
            "occurred_at": SEQUENCE_EPOCH + position * SEQUENCE_STEP,
        }
    )


def read_item_attributes(path: Path) -> dict[str, dict[str, Any]]:
    """Item id -> attributes, from a JSON object whose values are objects or lists of ids."""
    found: dict[str, dict[str, Any]] = {}
    for member in load_json_object(path).members:
        value = member.value
        if isinstance(value, dict):
            found[member.key] = json_ready(value)
        elif isinstance(value, list) and all(_is_scalar(v) for v in value):
            found[member.key] = {"attribute_ids": json_ready(value)}
        else:
            reason = f"expected an object or a list of attribute ids, got {json_kind(value)}"
            raise member.where.error(reason, field=member.key)
    return found


def _is_scalar(value: object) -> bool:
    return isinstance(value, str | int) and not isinstance(value, bool)


def _missing_items(session: Session, data: Sequences, *, prefix: str, create: bool) -> list[str]:
    """Items not in the store, in first-seen order; an InputError unless creating them."""
    stored = stored_skus(session, [prefix + item for item in data.items])
    missing = [item for item in data.items if prefix + item not in stored]
    if missing and not create:
        where, item_field = data.items[missing[0]]
        sku = prefix + missing[0]
        message = f"item {missing[0]!r} (sku {sku!r}) is not in the catalog"
        raise where.error(
            f"{message}: import the catalog first or use --create-items", field=item_field
        )
    return missing


def _item_product(
    item: str, where: Where, prefix: str, attrs: dict[str, dict[str, Any]], price_cents: int
) -> Keyed:
    sku = prefix + item
    values = {
        "sku": sku,
        "variant_group": sku,
        "title": f"Item {item}",
        "category": "/".join(p for p in ("imported", slug(prefix)) if p),
        "attributes": attrs.get(item, {}),
        "list_price_cents": price_cents,
    }
    return Keyed(sku, product_row(values, where=where), where, "item")


def _forget_earlier_events(session: Session, shoppers: set[str], report: ImportReport) -> None:
    """Delete the sequence events of shoppers being imported again (only with replace)."""
    removed = 0
    sessions = sorted(SESSION_PREFIX + s for s in shoppers)
    for chunk in chunked(sessions, LOOKUP_KEYS):
        result = session.exec(delete(Event).where(col(Event.session_id).in_(chunk)))
        removed += result.rowcount
    if removed:
        report.notes.append(f"removed {removed} earlier sequence events of re-imported shoppers")
