"""Import a τ-bench retail store: a directory with products.json, users.json and orders.json.

- Every variant becomes a product (sku = item id, variant group = product id, attributes = its
  options, brand from a "brand" option where there is one); the category comes from the product
  name; unit cost is unknown. Stock goes to the online warehouse: `default_stock` units for an
  available variant, none for an unavailable one.
- Users become shoppers (timezone from the US state; address and payment methods in the profile).
  No consent is recorded, so none is created.
- Orders keep their items as order lines at the price paid, shipments and payments in details.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy import Engine, delete
from sqlmodel import Session, col

from tools.exceptions import InputError
from tools.importers.inventory import (
    ONLINE_LOCATION_ID,
    StockKey,
    ensure_online_warehouse,
    write_stock,
)
from tools.importers.jsonsource import JsonDocument, Member, dotted, load_json_object
from tools.importers.products import check_products, product_row, remember_sku, write_products
from tools.importers.report import ImportReport, Progress, no_progress
from tools.importers.shoppers import check_shoppers, shopper_row, write_shoppers
from tools.importers.taubench_categories import category_for
from tools.importers.taubench_records import TauOrder, TauProduct, TauUser, TauVariant
from tools.importers.timezones import timezone_for
from tools.importers.validation import first_error
from tools.importers.where import Keyed, Ref, Where
from tools.importers.writer import (
    LOOKUP_KEYS,
    chunked,
    insert_rows,
    refuse_dangling,
    refuse_existing,
    update_rows,
)
from tools.store import Order, OrderLine, Product, Shopper, create_schema, transaction
from tools.store.vocab import OrderStatus

DEFAULT_STOCK = 10
"""Units on hand given to an available variant (τ-bench records availability, not counts)."""

TITLE_MAX = 300

STATUS_MAP: dict[str, OrderStatus] = {
    "pending": OrderStatus.PENDING,
    "pending (item modified)": OrderStatus.PENDING,
    "processed": OrderStatus.PROCESSED,
    "delivered": OrderStatus.DELIVERED,
    "cancelled": OrderStatus.CANCELLED,
    "return requested": OrderStatus.RETURN_PENDING,
    "exchange requested": OrderStatus.EXCHANGE_PENDING,
    "returned": OrderStatus.RETURNED,
    "exchanged": OrderStatus.EXCHANGED,
}
"""τ-bench order statuses in the store's vocabulary; the original is kept in details."""

M = TypeVar("M", bound=BaseModel)


@dataclass
class TauStore:
    """A τ-bench store read and checked, as rows ready to write."""

    products: list[Keyed] = field(default_factory=list)
    stock: dict[StockKey, int] = field(default_factory=dict)
    shoppers: list[Keyed] = field(default_factory=list)
    orders: list[Keyed] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    item_refs: list[Ref] = field(default_factory=list)
    user_refs: list[Ref] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def import_taubench(
    engine: Engine,
    *,
    directory: Path,
    default_stock: int = DEFAULT_STOCK,
    replace: bool = False,
    progress: Progress = no_progress,
) -> ImportReport:
    """Import a τ-bench store in one transaction; bad input raises InputError and writes nothing."""
    if default_stock < 1:
        raise InputError("default stock must be at least 1", field="default_stock")
    data = read_taubench(directory=directory, default_stock=default_stock, progress=progress)
    report = ImportReport(source=str(directory), notes=list(data.notes))
    create_schema(engine)
    with transaction(engine) as session:
        write_taubench(session, data, report, replace=replace, progress=progress)
    return report


def read_taubench(
    *, directory: Path, default_stock: int, progress: Progress = no_progress
) -> TauStore:
    """Read and check the three files; nothing touches the store."""
    if not directory.is_dir():
        raise InputError("not a directory", file=str(directory))
    data = TauStore()
    progress("reading", 0, 3)
    _read_products(load_json_object(directory / "products.json"), data, default_stock)
    progress("reading", 1, 3)
    _read_users(load_json_object(directory / "users.json"), data)
    progress("reading", 2, 3)
    _read_orders(load_json_object(directory / "orders.json"), data)
    progress("reading", 3, 3)
    return data


def write_taubench(
    session: Session,
    data: TauStore,
    report: ImportReport,
    *,
    replace: bool,
    progress: Progress = no_progress,
) -> None:
    """Check keys and references against the store, then write every row."""
    skus = check_products(session, data.products, replace=replace)
    shoppers = check_shoppers(session, data.shoppers, replace=replace)
    orders = refuse_existing(session, col(Order.id), data.orders, replace=replace, what="order")
    refuse_dangling(session, col(Product.sku), data.item_refs, what="item")
    refuse_dangling(session, col(Shopper.id), data.user_refs, what="user")
    ensure_online_warehouse(session, report)
    write_products(session, data.products, skus, report, progress=progress)
    write_stock(session, data.stock, report, progress=progress)
    write_shoppers(session, data.shoppers, shoppers, report, progress=progress)
    for chunk in chunked(sorted(orders), LOOKUP_KEYS):
        session.exec(delete(OrderLine).where(col(OrderLine.order_id).in_(chunk)))
    new = [o.row for o in data.orders if o.key not in orders]
    changed = [o.row for o in data.orders if o.key in orders]
    insert_rows(session, Order, new, stage="orders", progress=progress)
    update_rows(session, Order, changed, stage="orders", progress=progress)
    insert_rows(session, OrderLine, data.lines, stage="order lines", progress=progress)
    report.count("orders", created=len(new), replaced=len(changed))
    report.count("order_lines", created=len(data.lines))


def _validate(doc: JsonDocument, member: Member, model: type[M]) -> M:
    try:
        return model.model_validate(member.value)
    except ValidationError as exc:
        path, reason = first_error(exc)
        raise doc.error(member, path, reason) from exc


def _read_products(doc: JsonDocument, data: TauStore, default_stock: int) -> None:
    seen: dict[str, Keyed] = {}
    for member in doc.members:
        record = _validate(doc, member, TauProduct)
        if record.product_id != member.key:
            raise doc.error(member, ["product_id"], f"differs from its key {member.key!r}")
        for key, variant in record.variants.items():
            path: list[str | int] = ["variants", key]
            if variant.item_id != key:
                raise doc.error(member, [*path, "item_id"], f"differs from its key {key!r}")
            where = doc.locate(member, path)
            row = _product(record, variant, where=where, path=dotted(path))
            product = Keyed(key, row, where, dotted([*path, "item_id"]))
            remember_sku(seen, product)
            data.products.append(product)
            stock = default_stock if variant.available else 0
            data.stock[StockKey(variant.item_id, ONLINE_LOCATION_ID)] = stock


def _product(
    product: TauProduct, variant: TauVariant, *, where: Where, path: str
) -> dict[str, Any]:
    options = ", ".join(f"{name}: {value}" for name, value in variant.options.items())
    title = f"{product.name} ({options})" if options else product.name
    if len(title) > TITLE_MAX:
        title = title[: TITLE_MAX - 1] + "…"
    values = {
        "sku": variant.item_id,
        "variant_group": product.product_id,
        "title": title,
        "brand": variant.options.get("brand", ""),
        "category": category_for(product.name),
        "attributes": dict(variant.options),
        "list_price_cents": variant.price,
        "unit_cost_cents": None,
    }
    fields = {
        "sku": f"{path}.item_id",
        "variant_group": "product_id",
        "title": "name",
        "category": "name",
        "brand": f"{path}.options.brand",
        "list_price_cents": f"{path}.price",
    }
    return product_row(values, where=where, fields=fields)


def _read_users(doc: JsonDocument, data: TauStore) -> None:
    unknown_zone = 0
    for member in doc.members:
        if not 1 <= len(member.key) <= 64:
            raise member.where.error("user id must be 1 to 64 characters", field="user_id")
        user = _validate(doc, member, TauUser)
        methods = []
        for key, method in user.payment_methods.items():
            if method.id != key:
                path: list[str | int] = ["payment_methods", key, "id"]
                raise doc.error(member, path, f"differs from its key {key!r}")
            entry = method.model_dump(exclude_none=True, exclude={"balance"})
            if method.balance is not None:
                entry["balance_cents"] = method.balance
            methods.append(entry)
        address = user.address
        zone = timezone_for(country=address.country, state=address.state)
        unknown_zone += zone is None
        row = shopper_row(
            shopper_id=member.key,
            name=f"{user.name.first_name} {user.name.last_name}".strip(),
            email=user.email or None,
            timezone=zone or "UTC",
            postal_code=address.zip,
            profile={"address": address.model_dump(), "payment_methods": methods},
        )
        data.shoppers.append(Keyed(member.key, row, member.where, "user_id"))
    if unknown_zone:
        data.notes.append(f"{unknown_zone} shoppers have no US state timezone; set to UTC")


def _read_orders(doc: JsonDocument, data: TauStore) -> None:
    skus = {p.key for p in data.products}
    users = {s.key for s in data.shoppers}
    for member in doc.members:
        order = _validate(doc, member, TauOrder)
        if order.order_id != member.key:
            raise doc.error(member, ["order_id"], f"differs from its key {member.key!r}")
        status = STATUS_MAP.get(order.status)
        if status is None:
            known = ", ".join(repr(s) for s in STATUS_MAP)
            raise doc.error(member, ["status"], f"unknown status {order.status!r} ({known})")
        if order.user_id not in users:
            data.user_refs.append(Ref(order.user_id, doc.locate(member, ["user_id"]), "user_id"))
        for index, item in enumerate(order.items):
            path: list[str | int] = ["items", index, "item_id"]
            if item.item_id not in skus:
                data.item_refs.append(Ref(item.item_id, doc.locate(member, path), dotted(path)))
            data.lines.append(
                {
                    "order_id": order.order_id,
                    "line_no": index,
                    "sku": item.item_id,
                    "quantity": 1,
                    "unit_price_cents": item.price,
                }
            )
        data.orders.append(Keyed(order.order_id, _order(order, status), member.where, "order_id"))


def _order(order: TauOrder, status: OrderStatus) -> dict[str, Any]:
    details = {
        "address": order.address.model_dump(),
        "fulfilments": [
            {"tracking_ids": f.tracking_id, "skus": f.item_ids} for f in order.fulfillments
        ],
        "payments": [
            {"kind": p.transaction_type, "amount_cents": p.amount, "method_id": p.payment_method_id}
            for p in order.payment_history
        ],
        "source_status": order.status,
    }
    return {
        "id": order.order_id,
        "shopper_id": order.user_id,
        "status": status.value,
        "created_at": None,
        "total_cents": sum(item.price for item in order.items),
        "location_id": None,
        "details": details,
    }
