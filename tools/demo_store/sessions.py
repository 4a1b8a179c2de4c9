"""When, where and on what a shopper browses: the plan of their sessions over the last year.

Sessions start inside the shopper's active hours in their own timezone most of the time,
on their usual device, and mostly in their favourite categories.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from tools.demo_store.tastes import DEVICES, Taste

HISTORY_DAYS = 365
IN_HOURS_SHARE = 0.8
IN_STORE_SHARE = 0.08
MAX_SESSIONS = 80


@dataclass(frozen=True)
class SessionPlan:
    """One session: when it starts (UTC), which category it is about, and how it is reached."""

    start: datetime
    category: str
    channel: str
    device: str


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_start(rng: random.Random, *, day: date, taste: Taste) -> datetime:
    """A session start on a local day: inside the shopper's active hours most of the time."""
    if rng.random() < IN_HOURS_SHARE:
        start_hour, end_hour = taste.active_hours
    else:
        start_hour, end_hour = 8, 23
    minute = rng.randrange((end_hour - start_hour) * 60)
    local = datetime(day.year, day.month, day.day, tzinfo=_zone(taste.timezone))
    return (local + timedelta(minutes=start_hour * 60 + minute)).astimezone(UTC)


def _channel(rng: random.Random, taste: Taste) -> tuple[str, str]:
    if taste.home_location is not None and rng.random() < IN_STORE_SHARE:
        return "store", "store"
    device = taste.device if rng.random() < 0.75 else rng.choice(DEVICES)
    return ("app", "app") if device == "app" else ("web", device)


def _category(rng: random.Random, taste: Taste, categories: list[str]) -> str:
    favourites = [c for c in taste.categories if c in categories]
    if not favourites or rng.random() < taste.exploration:
        return rng.choice(categories)
    return rng.choices(favourites, weights=[taste.categories[c] for c in favourites])[0]


def plan_sessions(
    rng: random.Random,
    *,
    taste: Taste,
    categories: list[str],
    member_since: datetime,
    as_of: datetime,
) -> list[SessionPlan]:
    """The shopper's sessions in time order, all ending before the reference time."""
    count = max(1, min(MAX_SESSIONS, round(taste.activity * rng.uniform(0.7, 1.3))))
    first_day = max(member_since, as_of - timedelta(days=HISTORY_DAYS)).date()
    span_days = max(1, (as_of.date() - first_day).days)
    latest = as_of - timedelta(hours=2)
    plans = []
    for _ in range(count):
        day = first_day + timedelta(days=rng.randrange(span_days))
        start = local_start(rng, day=day, taste=taste)
        if start > latest:
            start -= timedelta(days=1)
        channel, device = _channel(rng, taste)
        plans.append(SessionPlan(start, _category(rng, taste, categories), channel, device))
    plans.sort(key=lambda plan: plan.start)
    return plans
