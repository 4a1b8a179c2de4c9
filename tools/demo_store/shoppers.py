"""Shopper records: contact details, home, loyalty tier, stated preferences and consents.

Consent is recorded per channel with the time and source of the latest change. About one
shopper in twelve has opted out of everything; the others grant or refuse each channel
independently, and some granted and later revoked (unsubscribe link, SMS STOP).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from tools.demo_store.stock import STORES
from tools.demo_store.tastes import Taste
from tools.store.vocab import LoyaltyTier

FIRST_NAMES = (
    "Olivia", "Liam", "Emma", "Noah", "Ava", "Mateo", "Sofia", "Lucas", "Mia", "Ethan",
    "Amara", "Kenji", "Priya", "Omar", "Chloe", "Diego", "Hana", "Isaac", "Leila", "Marcus",
    "Nora", "Felix", "Zara", "Samuel", "Ines", "Theo", "Maya", "Kofi", "Elena", "Ravi",
)  # fmt: skip
LAST_NAMES = (
    "Smith", "Garcia", "Nguyen", "Johnson", "Patel", "Kim", "Brown", "Martinez", "Chen",
    "Okafor", "Rossi", "Silva", "Cohen", "Walker", "Haddad", "Larsen", "Moreau", "Tanaka",
    "Lopez", "Murphy", "Singh", "Fischer", "Reyes", "Ali", "Novak", "Hughes",
)  # fmt: skip
REMOTE_TIMEZONES = ("America/Phoenix", "America/Chicago", "America/Anchorage", "Pacific/Honolulu")
REMOTE_SHARE = 0.15
OPT_OUT_ALL_SHARE = 0.08
GRANT_SHARES = {"email": 0.75, "sms": 0.45, "push": 0.6}
REVOKE_SOURCES = {"email": "unsubscribe_link", "sms": "sms_stop", "push": "device_settings"}
STATED_SHARE = 0.35


def shopper_id(index: int) -> str:
    """The id of the index-th generated shopper."""
    return f"shopper-{index:06d}"


def draw_home(rng: random.Random) -> tuple[str | None, str]:
    """A shopper's home store (None for shoppers far from every store) and timezone."""
    if rng.random() < REMOTE_SHARE:
        return None, rng.choice(REMOTE_TIMEZONES)
    store = rng.choice(STORES)
    return str(store["id"]), str(store["timezone"])


def loyalty_tier(activity: float) -> str:
    """The tier a shopper with this many sessions a year would have earned."""
    if activity >= 20:
        return LoyaltyTier.PLATINUM.value
    if activity >= 12:
        return LoyaltyTier.GOLD.value
    if activity >= 7:
        return LoyaltyTier.SILVER.value
    return LoyaltyTier.NONE.value


def shopper_row(
    rng: random.Random, *, index: int, taste: Taste, member_since: datetime
) -> dict[str, Any]:
    """A row for the shoppers table."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    store = next((s for s in STORES if s["id"] == taste.home_location), None)
    lat = lon = None
    postal = ""
    if store is not None:
        lat = round(float(store["latitude"]) + rng.uniform(-0.2, 0.2), 5)
        lon = round(float(store["longitude"]) + rng.uniform(-0.2, 0.2), 5)
        postal = str(store["postal_code"])[:3] + f"{rng.randint(0, 99):02d}"
    has_phone = rng.random() < 0.6
    return {
        "id": taste.shopper_id,
        "name": f"{first} {last}",
        "email": f"{first}.{last}.{index}@example.com".lower() if rng.random() < 0.95 else None,
        "phone": f"+1555{index % 10_000_000:07d}" if has_phone else None,
        "timezone": taste.timezone,
        "postal_code": postal,
        "latitude": lat,
        "longitude": lon,
        "loyalty_tier": loyalty_tier(taste.activity * rng.uniform(0.8, 1.2)),
        "preferences": stated_preferences(rng, taste),
        "profile": {
            "member_since": member_since.date().isoformat(),
            "home_location": taste.home_location,
        },
    }


def stated_preferences(rng: random.Random, taste: Taste) -> dict[str, Any]:
    """What about a third of shoppers told the store themselves: part of their true taste."""
    if rng.random() >= STATED_SHARE:
        return {}
    stated: dict[str, Any] = {"categories": list(taste.categories)[:1]}
    sizes = [p.value for p in taste.likes if p.key == "size"]
    if sizes:
        stated["sizes"] = sizes
    if taste.dislikes and rng.random() < 0.6:
        stated["avoid"] = [{"key": p.key, "value": p.value} for p in taste.dislikes[:1]]
    if rng.random() < 0.5:
        stated["budget"] = _budget(taste.price_sensitivity)
    return stated


def _budget(sensitivity: float) -> str:
    if sensitivity > 0.65:
        return "value"
    return "premium" if sensitivity < 0.35 else "mid"


def consent_rows(
    rng: random.Random,
    *,
    shopper: dict[str, Any],
    uses_app: bool,
    member_since: datetime,
    as_of: datetime,
) -> list[dict[str, Any]]:
    """Per-channel consent rows for the channels the shopper can be reached on."""
    channels = [
        name
        for name, reachable in (
            ("email", shopper["email"] is not None),
            ("sms", shopper["phone"] is not None),
            ("push", uses_app),
        )
        if reachable
    ]
    opted_out = rng.random() < OPT_OUT_ALL_SHARE
    span = max(60, int((as_of - member_since).total_seconds() // 60) - 60)
    rows = []
    for channel in channels:
        granted = not opted_out and rng.random() < GRANT_SHARES[channel]
        changed_at = member_since + timedelta(minutes=rng.randrange(1, 60))
        source = "signup"
        if opted_out or (not granted and rng.random() < 0.5):
            changed_at = member_since + timedelta(minutes=rng.randrange(60, span + 1))
            source = "preference_center" if opted_out else REVOKE_SOURCES[channel]
        rows.append(
            {
                "shopper_id": shopper["id"],
                "channel": channel,
                "granted": granted,
                "updated_at": changed_at,
                "source": source,
            }
        )
    return rows
