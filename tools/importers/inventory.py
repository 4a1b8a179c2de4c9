"""Stock that imports bring: the online warehouse they default to, and on-hand upserts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlmodel import Session, col, select

from tools.importers.report import ImportReport, Progress, no_progress
from tools.importers.writer import LOOKUP_KEYS, chunked, insert_rows, update_rows
from tools.store import InventoryLevel, Location
from tools.store.vocab import LocationKind

ONLINE_LOCATION_ID = "online"
"""The warehouse that stock without a named location is imported into."""


def online_warehouse() -> Location:
    """The online warehouse: no pickup, hours and timezone left at neutral defaults."""
    return Location(
        id=ONLINE_LOCATION_ID,
        name="Online warehouse",
        kind=LocationKind.WAREHOUSE.value,
        same_day_pickup=False,
        timezone="UTC",
    )


def ensure_online_warehouse(session: Session, report: ImportReport) -> None:
    """Create the online warehouse unless the store already has it."""
    if session.get(Location, ONLINE_LOCATION_ID) is None:
        session.add(online_warehouse())
        session.flush()
        report.count("locations", created=1)


@dataclass(frozen=True, slots=True)
class StockKey:
    """A sku at a location."""

    sku: str
    location_id: str


def write_stock(
    session: Session,
    stock: Mapping[StockKey, int],
    report: ImportReport,
    *,
    progress: Progress = no_progress,
) -> None:
    """Set on-hand units; existing rows keep their reservations, capped at the new on-hand."""
    if not stock:
        return
    reserved: dict[StockKey, int] = {}
    for location_id in sorted({key.location_id for key in stock}):
        skus = sorted(key.sku for key in stock if key.location_id == location_id)
        for chunk in chunked(skus, LOOKUP_KEYS):
            query = select(InventoryLevel.sku, InventoryLevel.reserved).where(
                InventoryLevel.location_id == location_id, col(InventoryLevel.sku).in_(chunk)
            )
            for sku, held in session.exec(query):
                reserved[StockKey(sku, location_id)] = held
    new, changed = [], []
    for key, on_hand in stock.items():
        row = {"sku": key.sku, "location_id": key.location_id, "on_hand": on_hand}
        if key in reserved:
            changed.append({**row, "reserved": min(reserved[key], on_hand)})
        else:
            new.append({**row, "reserved": 0})
    insert_rows(session, InventoryLevel, new, stage="inventory", progress=progress)
    update_rows(session, InventoryLevel, changed, stage="inventory", progress=progress)
    report.count("inventory", created=len(new), replaced=len(changed))
