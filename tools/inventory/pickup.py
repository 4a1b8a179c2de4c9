"""Store pickup: when an order is ready, in the store's own timezone and opening hours.

A same-day-pickup store prepares orders placed before its cut-off the same local day, as long
as they are ready `close_buffer` before closing. Every other order, and every order at other
stores, is ready `pickup_days` local days later, `pickup_prep` after opening.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tools.inventory.clock import at_local, local_date
from tools.inventory.hours import OpeningHours
from tools.inventory.options import Destination, FulfilmentKind, FulfilmentOption, FulfilmentPolicy
from tools.inventory.shipping import distance_to
from tools.store import Location


def pickup_ready(
    store: Location, *, now: datetime, policy: FulfilmentPolicy
) -> tuple[FulfilmentKind, datetime] | None:
    """The kind of pickup a store offers now and when it is ready; None if it never opens."""
    hours = OpeningHours.of(store)
    local_now = now.astimezone(hours.tz)
    today = local_now.date()
    if store.same_day_pickup and local_now.hour < policy.same_day_cutoff_hour:
        ready = hours.ready_time(
            start=now, prep=policy.pickup_prep, close_buffer=policy.close_buffer
        )
        if ready is not None and local_date(ready, hours.tz) == today:
            return FulfilmentKind.SAME_DAY_PICKUP, ready
    start = at_local(today + timedelta(days=policy.pickup_days), 0, hours.tz)
    ready = hours.ready_time(start=start, prep=policy.pickup_prep, close_buffer=policy.close_buffer)
    return None if ready is None else (FulfilmentKind.PICKUP, ready)


def pickup_option(
    store: Location,
    *,
    available: int,
    destination: Destination,
    shopper_tz: ZoneInfo,
    now: datetime,
    policy: FulfilmentPolicy,
) -> FulfilmentOption | None:
    """Pickup at one store, or None if it is too far or never open."""
    distance = distance_to(store, destination)
    if distance is not None and distance > policy.max_pickup_km:
        return None
    timed = pickup_ready(store, now=now, policy=policy)
    if timed is None:
        return None
    kind, ready = timed
    store_local = ready.astimezone(OpeningHours.of(store).tz)
    shopper_local = ready.astimezone(shopper_tz)
    return FulfilmentOption(
        kind=kind,
        location_id=store.id,
        location_name=store.name,
        available=available,
        distance_km=None if distance is None else round(distance, 1),
        ready_at=ready,
        ready_at_local=store_local,
        ready_at_shopper=shopper_local,
        days=(shopper_local.date() - local_date(now, shopper_tz)).days,
        detail=f"ready at {store.name} from {store_local.strftime('%a %H:%M %Z')}",
    )
