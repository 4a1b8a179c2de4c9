"""Errors of the pricing engine; all are caller-fixable input errors carrying typed data."""

from __future__ import annotations

from datetime import datetime

from tools.exceptions import InputError


class UnknownSkuError(InputError):
    """No product has this sku."""

    def __init__(self, sku: str, *, field: str = "sku") -> None:
        super().__init__(f"unknown sku {sku!r}", field=field)
        self.sku = sku


class UnknownShopperError(InputError):
    """No shopper has this id."""

    def __init__(self, shopper_id: str) -> None:
        super().__init__(f"unknown shopper {shopper_id!r}", field="shopper_id")
        self.shopper_id = shopper_id


class QuoteExpiredError(InputError):
    """A quote was presented after its expiry; ask for a new quote."""

    def __init__(self, quote_id: str, *, expires_at: datetime, now: datetime) -> None:
        super().__init__(
            f"quote {quote_id} expired at {expires_at.isoformat()} "
            f"(now {now.isoformat()}); ask for a new quote",
            field="quote",
        )
        self.quote_id = quote_id
        self.expires_at = expires_at
        self.now = now


class QuoteMismatchError(InputError):
    """A quote's contents do not match its id (it was altered after it was made)."""

    def __init__(self, quote_id: str) -> None:
        super().__init__(f"quote {quote_id} does not match its contents", field="quote")
        self.quote_id = quote_id
