"""The fixed vocabularies of the store (stored as text, checked by constraints)."""

from __future__ import annotations

from enum import StrEnum


class LocationKind(StrEnum):
    """What a location is."""

    STORE = "store"
    WAREHOUSE = "warehouse"


class LoyaltyTier(StrEnum):
    """A shopper's loyalty tier, as the store records it."""

    NONE = "none"
    SILVER = "silver"
    GOLD = "gold"
    PLATINUM = "platinum"


class Channel(StrEnum):
    """A messaging channel."""

    EMAIL = "email"
    SMS = "sms"
    PUSH = "push"
    CHAT = "chat"


class EventKind(StrEnum):
    """What a shopper did."""

    VIEW = "view"
    SEARCH = "search"
    CART_ADD = "cart_add"
    CART_REMOVE = "cart_remove"
    PURCHASE = "purchase"
    RETURN = "return"


class Device(StrEnum):
    """The device an event came from."""

    DESKTOP = "desktop"
    MOBILE = "mobile"
    TABLET = "tablet"
    APP = "app"
    STORE = "store"
    UNKNOWN = "unknown"


class OrderStatus(StrEnum):
    """Where an order stands."""

    PENDING = "pending"
    PROCESSED = "processed"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    RETURNED = "returned"
    EXCHANGED = "exchanged"
    RETURN_PENDING = "return_pending"
    EXCHANGE_PENDING = "exchange_pending"


class OutboxStatus(StrEnum):
    """Where an outbox message stands."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


class MerchRuleKind(StrEnum):
    """What a merchandising rule does to rankings."""

    BOOST = "boost"
    BURY = "bury"
    PIN = "pin"
    EXCLUDE = "exclude"


class ApprovalStatus(StrEnum):
    """Where a human approval stands."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


def values(enum: type[StrEnum]) -> list[str]:
    """The stored values of a vocabulary."""
    return [member.value for member in enum]
