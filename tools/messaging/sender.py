"""Who messages come from, and the signed unsubscribe link every email carries."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from urllib.parse import urlencode


@dataclass(frozen=True)
class Sender:
    """The retailer as recipients see it: name, postal address, unsubscribe page."""

    name: str
    postal_address: str
    unsubscribe_url: str
    signing_key: bytes
    currency_symbol: str = "$"


def unsubscribe_token(signing_key: bytes, *, shopper_id: str, channel: str) -> str:
    """The token that proves an unsubscribe link was issued for this shopper and channel."""
    digest = hmac.new(signing_key, f"{shopper_id}:{channel}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def verify_unsubscribe_token(
    signing_key: bytes, *, shopper_id: str, channel: str, token: str
) -> bool:
    """Whether an unsubscribe token is genuine."""
    expected = unsubscribe_token(signing_key, shopper_id=shopper_id, channel=channel)
    return hmac.compare_digest(expected, token)


def unsubscribe_link(sender: Sender, *, shopper_id: str, channel: str) -> str:
    """A one-click unsubscribe link for a shopper and channel."""
    token = unsubscribe_token(sender.signing_key, shopper_id=shopper_id, channel=channel)
    query = urlencode({"shopper": shopper_id, "channel": channel, "token": token})
    joiner = "&" if "?" in sender.unsubscribe_url else "?"
    return f"{sender.unsubscribe_url}{joiner}{query}"
