"""The store: SQLModel tables shared by SQLite and PostgreSQL, and how to open them."""

from tools.store.activity import Event, Order, OrderLine
from tools.store.catalog import PriceHistory, Product, ProductBase, ProductPublic
from tools.store.engine import (
    create_schema,
    drop_schema,
    get_meta,
    has_schema,
    make_engine,
    set_meta,
    transaction,
)
from tools.store.executions import Execution
from tools.store.holds import Hold
from tools.store.locations import InventoryLevel, Location
from tools.store.operations import (
    Approval,
    MerchRule,
    Offer,
    OutboxMessage,
    Promotion,
    StoreMeta,
)
from tools.store.shoppers import Consent, Shopper
from tools.store.tool_audit import ToolRefusal

__all__ = [
    "Approval",
    "Consent",
    "Event",
    "Execution",
    "Hold",
    "InventoryLevel",
    "Location",
    "MerchRule",
    "Offer",
    "Order",
    "OrderLine",
    "OutboxMessage",
    "PriceHistory",
    "Product",
    "ProductBase",
    "ProductPublic",
    "Promotion",
    "Shopper",
    "StoreMeta",
    "ToolRefusal",
    "create_schema",
    "drop_schema",
    "get_meta",
    "has_schema",
    "make_engine",
    "set_meta",
    "transaction",
]
