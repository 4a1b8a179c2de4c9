"""Shopper rows imports build, and how they are written."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col

from tools.importers.report import ImportReport, Progress, no_progress
from tools.importers.where import Keyed
from tools.importers.writer import insert_rows, refuse_existing, update_rows
from tools.store import Shopper
from tools.store.vocab import LoyaltyTier


def shopper_row(
    *,
    shopper_id: str,
    name: str = "",
    email: str | None = None,
    timezone: str = "UTC",
    postal_code: str = "",
    profile: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Every column of a shopper row; what an import does not know stays empty."""
    return {
        "id": shopper_id,
        "name": name,
        "email": email,
        "phone": None,
        "timezone": timezone,
        "postal_code": postal_code,
        "latitude": None,
        "longitude": None,
        "loyalty_tier": LoyaltyTier.NONE.value,
        "preferences": {},
        "profile": profile or {},
    }


IMPORTED_COLUMNS = ("id", "name", "email", "timezone", "postal_code", "profile")
"""The columns a replacing import overwrites; tier, preferences and consents are kept."""


def check_shoppers(session: Session, rows: Sequence[Keyed], *, replace: bool) -> set[str]:
    """The shopper ids of `rows` already stored; an InputError at the first unless replacing."""
    return refuse_existing(session, col(Shopper.id), rows, replace=replace, what="shopper")


def write_shoppers(
    session: Session,
    rows: Sequence[Keyed],
    existing: set[str],
    report: ImportReport,
    *,
    update_existing: bool = True,
    progress: Progress = no_progress,
) -> None:
    """Insert new shoppers; overwrite the imported columns of `existing` ones if asked."""
    new = [r.row for r in rows if r.key not in existing]
    changed = [{c: r.row[c] for c in IMPORTED_COLUMNS} for r in rows if r.key in existing]
    insert_rows(session, Shopper, new, stage="shoppers", progress=progress)
    if update_existing:
        update_rows(session, Shopper, changed, stage="shoppers", progress=progress)
    report.count("shoppers", created=len(new), replaced=len(changed) if update_existing else 0)
