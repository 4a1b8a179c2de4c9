"""Session features from the store's own event stream, matching the training data's meaning.

Event kinds map to the page types of the training data:

- `view` of a product (has a SKU) and `search` (a product listing): product-related page;
- `view` without a SKU (a content page): informational page;
- `cart_add`, `cart_remove`, `return`: administrative page (cart, account and order pages);
- `purchase`: the outcome. Only events before a session's first purchase are features.

A page's duration is the time until the session's next event; the last page gets 0, as in
Google Analytics. Bounce and exit rates and page values are site statistics of pages over past
sessions: pass a `PageStats` built by `page_stats_from_events` over history, or leave them unknown
(the model fills its training median). Month, weekend and special day are taken in UTC from the
first event. Whether the visitor is returning must come from the caller (it needs history beyond
the session); by default a session with a known shopper id counts as returning. The training
data's operating system, browser, region and traffic type have no counterpart here and are not
features; the event's device is not used for the same reason.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field

from tools.exceptions import InputError
from tools.propensity.features import SessionFeatures
from tools.store.activity import Event
from tools.store.vocab import EventKind

ADMINISTRATIVE = "administrative"
INFORMATIONAL = "informational"
PRODUCT = "product"

_PAGE_TYPE = {
    EventKind.SEARCH.value: PRODUCT,
    EventKind.CART_ADD.value: ADMINISTRATIVE,
    EventKind.CART_REMOVE.value: ADMINISTRATIVE,
    EventKind.RETURN.value: ADMINISTRATIVE,
}


class PageStats(BaseModel):
    """Per-page statistics over past sessions (page key -> value), as an analytics tool keeps."""

    model_config = ConfigDict(frozen=True)

    bounce_rate: dict[str, float] = Field(description="Single-page sessions / sessions entering")
    exit_rate: dict[str, float] = Field(description="Sessions ending here / views of the page")
    page_value: dict[str, float] = Field(
        description="Revenue of sessions that viewed the page before buying / sessions viewing it"
    )


def page_type(event: Event) -> str | None:
    """The page type an event stands for; None for a purchase."""
    if event.kind == EventKind.VIEW.value:
        return PRODUCT if event.sku else INFORMATIONAL
    return _PAGE_TYPE.get(event.kind)


def page_key(event: Event) -> str:
    """Which page an event happened on, for page statistics."""
    if event.kind == EventKind.VIEW.value:
        return f"product:{event.sku}" if event.sku else "content"
    if event.kind in (EventKind.CART_ADD.value, EventKind.CART_REMOVE.value):
        return "cart"
    return str(event.kind)


def _utc(moment: datetime) -> datetime:
    """An aware UTC time; a naive one is taken to be UTC already, as the store keeps them."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _ordered(events: Iterable[Event]) -> list[Event]:
    return sorted(events, key=lambda e: (_utc(e.occurred_at), e.id or 0))


def _before_purchase(events: list[Event]) -> list[Event]:
    """Events up to and including the first purchase (which closes the last page)."""
    for i, event in enumerate(events):
        if event.kind == EventKind.PURCHASE.value:
            return events[: i + 1]
    return events


def page_stats_from_events(*, events: Iterable[Event]) -> PageStats:
    """Bounce rate, exit rate and page value of every page seen in past sessions."""
    sessions: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        sessions[event.session_id].append(event)
    entries: dict[str, int] = defaultdict(int)
    bounces: dict[str, int] = defaultdict(int)
    views: dict[str, int] = defaultdict(int)
    exits: dict[str, int] = defaultdict(int)
    revenue: dict[str, float] = defaultdict(float)
    viewers: dict[str, int] = defaultdict(int)
    for session_id in sorted(sessions):
        ordered = _ordered(sessions[session_id])
        pages = [page_key(e) for e in ordered if page_type(e) is not None]
        if not pages:
            continue
        entries[pages[0]] += 1
        bounces[pages[0]] += len(ordered) == 1
        exits[pages[-1]] += 1
        for page in pages:
            views[page] += 1
        spent = sum(
            (e.price_cents or 0) * e.quantity / 100
            for e in ordered
            if e.kind == EventKind.PURCHASE.value
        )
        for page in {page_key(e) for e in _before_purchase(ordered) if page_type(e)}:
            viewers[page] += 1
            revenue[page] += spent
    return PageStats(
        bounce_rate={p: bounces[p] / n for p, n in sorted(entries.items())},
        exit_rate={p: exits[p] / n for p, n in sorted(views.items())},
        page_value={p: revenue[p] / n for p, n in sorted(viewers.items())},
    )


def special_day_closeness(day: date) -> float:
    """0-1 closeness to Valentine's Day or Mother's Day (peak 6 days before, in 0.2 steps)."""
    may_first = date(day.year, 5, 1)
    mothers_day = may_first + timedelta(days=(6 - may_first.weekday()) % 7 + 7)
    best = 0.0
    for special in (date(day.year, 2, 14), mothers_day):
        days_before = (special - day).days
        closeness = max(0.0, 1.0 - abs(days_before - 6) / 6)
        best = max(best, round(closeness * 5) / 5)
    return best


def _mean(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def session_features_from_events(
    *,
    events: Sequence[Event],
    page_stats: PageStats | None = None,
    returning_visitor: bool | None = None,
) -> SessionFeatures:
    """The features of one session from its events (only those before its first purchase)."""
    if not events:
        raise InputError("a session needs at least one event", field="events")
    if len({e.session_id for e in events}) > 1:
        raise InputError("events come from more than one session", field="session_id")
    window = _before_purchase(_ordered(events))
    pages: dict[str, int] = defaultdict(int)
    seconds: dict[str, float] = defaultdict(float)
    keys: list[str] = []
    for i, event in enumerate(window):
        kind = page_type(event)
        if kind is None:
            continue
        pages[kind] += 1
        keys.append(page_key(event))
        if i + 1 < len(window):
            seconds[kind] += (
                _utc(window[i + 1].occurred_at) - _utc(event.occurred_at)
            ).total_seconds()
    stats = page_stats or PageStats(bounce_rate={}, exit_rate={}, page_value={})
    started = _utc(window[0].occurred_at)
    return SessionFeatures(
        administrative_pages=pages[ADMINISTRATIVE],
        administrative_duration=seconds[ADMINISTRATIVE],
        informational_pages=pages[INFORMATIONAL],
        informational_duration=seconds[INFORMATIONAL],
        product_pages=pages[PRODUCT],
        product_duration=seconds[PRODUCT],
        bounce_rate=_mean([stats.bounce_rate.get(k) for k in keys]),
        exit_rate=_mean([stats.exit_rate.get(k) for k in keys]),
        page_value=_mean([stats.page_value.get(k) for k in keys]),
        special_day=special_day_closeness(started.date()),
        month=started.month,
        returning_visitor=(
            returning_visitor if returning_visitor is not None else window[0].shopper_id is not None
        ),
        weekend=started.weekday() >= 5,
    )
