"""Templated replies built only from the turn's grounding (approved, executed actions).

Products are named, and prices and offers stated, only from the grounding; a product that was not
approved (e.g. an out-of-stock best match) is described without its name or price.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from orchestrator.grounding import DONE, Grounding, money
from orchestrator.state import (
    FulfilmentNote,
    MerchOutcome,
    OfferCard,
    ProductCard,
    Reply,
    ReplyKind,
    TurnState,
)
from policies.actions import HoldInventory, QuoteOffer, SendMessage

NOTES = {
    "sign_in_needed": "Sign in and I can look for personal offers and let you know about restocks.",
}
FAILED = {
    "intent": "I couldn't search the catalog just now.",
    "preference": "I couldn't use your preferences just now, so these are not personalised.",
    "inventory": "I couldn't check stock just now.",
    "pricing": "I couldn't check for offers just now.",
    "messaging": "I couldn't set up a message just now.",
}
NOTHING = "I couldn't find anything that matches. Try fewer details or another word."
NOTHING_IN_STOCK = (
    'Nothing that matches is in stock right now; say "tell me when it\'s back" for a message.'
)
NO_HOLD = "It isn't in stock at a store near you, so I can't hold one; it can ship instead."
IN_STOCK = "That one is in stock right now, so there's nothing to wait for."
CHANNELS = {
    "email": "an email",
    "sms": "a text",
    "push": "a push notification",
    "chat": "a chat message",
}
DENIED = {
    "OFFER_CAP_REACHED": "you've already had today's offers",
    "NO_CONSENT": "you haven't opted in to messages on that channel",
    "OPTED_OUT": "you asked us to stop messaging you",
    "FREQUENCY_CAP_REACHED": "you've had as many messages as we send in a day",
    "INSUFFICIENT_STOCK": "there isn't enough stock to hold",
}


def compose(state: TurnState, g: Grounding, *, symbol: str = "$", tz: str = "UTC") -> Reply:
    """The reply of a turn: a question, the results, and what was done, in that order."""
    clarification = state.get("clarification")
    if clarification:
        return Reply(text=clarification, kind="question")
    merch = state.get("merch")
    if merch is not None:
        return Reply(text="\n".join(_merch(state, merch)), kind="merch")
    lines: list[str] = []
    kind: ReplyKind = "results"
    if g.shown:
        lines += _results(state, g, symbol)
    elif {"intent", "inventory"} & set(state["plan"].steps) and not g.holds:
        stock = state.get("stock")
        lines.append(NOTHING_IN_STOCK if stock is not None and stock.out_of_stock else NOTHING)
    failed = [e.split(":")[0] for e in state.get("errors", [])]
    lines += _nothing_to_wait_for(state, failed)
    for quote, list_price in g.quotes:
        lines.append(_offer(quote, list_price, g, symbol, tz))
        kind = "offer"
    stock = state.get("stock")
    if state["plan"].hold and stock is not None and stock.shown and stock.hold is None:
        lines.append(NO_HOLD)
    for hold, done in g.holds:
        lines.append(_hold(hold, done.result, g, tz))
        kind = "hold"
    for message, done in g.messages:
        lines.append(_message(message, done.status, g))
        kind = "message"
    lines += _refusals(g)
    lines += [NOTES[n] for n in state["plan"].notes if n in NOTES]
    lines += [FAILED[name] for name in failed if name in FAILED]
    if not lines:
        lines.append("What are you looking for? Tell me a product, a brand, or what it's for.")
        kind = "question"
    return Reply(
        text="\n".join(lines),
        kind=kind,
        skus=tuple(c.sku for c in g.shown),
        currency_symbol=symbol,
        products=_product_cards(state, g),
        offers=tuple(_offer_card(q, list_price, g) for q, list_price in g.quotes),
    )


def _product_cards(state: TurnState, g: Grounding) -> tuple[ProductCard, ...]:
    """The shown products with their approved price, stock and reasons."""
    stock = state.get("stock")
    plan = stock.fulfilment if stock is not None else None
    cards: list[ProductCard] = []
    for c in g.shown:
        option = (
            plan.options[0] if plan is not None and plan.sku == c.sku and plan.options else None
        )
        fulfilment = (
            FulfilmentNote(
                kind=option.kind,
                location_name=option.location_name,
                detail=option.detail,
                ready_at=option.ready_at,
            )
            if option is not None
            else None
        )
        cards.append(
            ProductCard(
                sku=c.sku,
                title=c.title,
                brand=c.brand,
                price_cents=c.list_price_cents,
                available=stock.available.get(c.sku) if stock is not None else None,
                low_stock=stock is not None and c.sku in stock.low_stock,
                fulfilment=fulfilment,
                reasons=c.reasons,
            )
        )
    return tuple(cards)


def _offer_card(quote: QuoteOffer, list_price: int, g: Grounding) -> OfferCard:
    return OfferCard(
        sku=quote.sku,
        title=g.titles.get(quote.sku, quote.sku),
        offer=quote.offer,
        price_cents=quote.price_cents,
        list_price_cents=list_price,
        was_price_cents=quote.was_price_cents,
        expires_at=quote.expires_at,
        disclosure=quote.disclosure,
    )


def _nothing_to_wait_for(state: TurnState, failed: list[str]) -> list[str]:
    planned = "messaging" in state["plan"].steps
    return (
        [IN_STOCK] if planned and not state.get("messaging") and "messaging" not in failed else []
    )


def _results(state: TurnState, g: Grounding, symbol: str) -> list[str]:
    stock = state.get("stock")
    lines: list[str] = []
    if stock is not None and stock.substitutes_for:
        lines.append("Your best match is out of stock right now; these are the closest in stock:")
    else:
        lines.append(f"Here {'is' if len(g.shown) == 1 else 'are'} {len(g.shown)} for you:")
    for i, c in enumerate(g.shown, 1):
        brand = f" by {c.brand}" if c.brand else ""
        lines.append(f"{i}. {c.title}{brand} - {money(c.list_price_cents, symbol)}")
    if stock is not None and stock.out_of_stock and not stock.substitutes_for:
        lines.append(
            'One close match is out of stock; say "tell me when it\'s back" for a message.'
        )
    if stock is not None and stock.fulfilment is not None and stock.fulfilment.options:
        lines.append(f"The first one: {stock.fulfilment.options[0].detail}.")
    return lines


def _merch(state: TurnState, merch: MerchOutcome) -> list[str]:
    lines = [merch.summary, *(f"- {d}" for d in merch.details if d)]
    lines += [f"Note: {w}" for w in merch.warnings]
    executed = {e.key: e for e in state.get("executed", [])}
    for j in state.get("judgements", []):
        done = executed.get(j.key)
        what = j.proposal.summary or j.decision.action_kind
        codes = [r.code for r in j.decision.reasons]
        if done is not None and done.status in DONE:
            lines.append(f"Done: {what}.")
        elif "HUMAN_REJECTED" in codes:
            why = j.decision.reasons[0].message if j.decision.reasons else ""
            why = f" ({why})" if why.startswith("self-approval") else ""
            lines.append(f"Rejected by {j.decision.actor}: {what}{why}.")
        else:
            lines.append(f"Not applied: {what} ({', '.join(codes)}).")
    return lines


def _offer(quote: QuoteOffer, list_price: int, g: Grounding, symbol: str, tz: str) -> str:
    title = g.titles.get(quote.sku, "That one")
    price = money(quote.price_cents, symbol)
    until = _local(quote.expires_at, tz)
    if quote.offer == "free_shipping":
        text = f"{title} ships free for you at {price} (until {until})."
    elif quote.offer == "bundle":
        text = f"{title} is {price} with a bundle offer for you (until {until})."
    elif quote.offer == "none" or quote.price_cents >= list_price:
        return f"{title} is {price}; there's no extra deal on it right now."
    else:
        off = round((list_price - quote.price_cents) * 100 / list_price) if list_price else 0
        was = money(list_price, symbol)
        text = f"Good news: {title} is {price} for you, {off}% off {was} (until {until})."
    return f"{text} {quote.disclosure}".strip()


def _hold(hold: HoldInventory, result: dict[str, object], g: Grounding, tz: str) -> str:
    title = g.titles.get(hold.sku, "it")
    until = str(result.get("expires_at", ""))
    when = _local(datetime.fromisoformat(until), tz) if until else "later today"
    units = f"{hold.quantity} of " if hold.quantity > 1 else ""
    return f"I've held {units}{title} for you for pickup until {when}."


def _message(message: SendMessage, status: str, g: Grounding) -> str:
    title = next((g.titles[s] for s in g.message_skus if s in g.titles), "it")
    channel = CHANNELS.get(message.channel, "a message")
    if status == "waiting":
        return f"I'll send you {channel} when {title} is back in stock."
    return f"{title} is available again; I'll send you {channel} about it."


def _refusals(g: Grounding) -> list[str]:
    lines: list[str] = []
    for j in g.refused:
        codes = [r.code for r in j.decision.reasons]
        why = next((DENIED[c] for c in codes if c in DENIED), "")
        kind = j.decision.action_kind
        if kind == "quote_offer":
            lines.append(
                "I can't offer a deal on that one right now" + (f": {why}." if why else ".")
            )
        elif kind == "send_message":
            lines.append("I can't message you about it" + (f": {why}." if why else "."))
        elif kind == "hold_inventory":
            lines.append("I couldn't hold it for you" + (f": {why}." if why else "."))
    return lines


def _local(moment: datetime | None, tz: str) -> str:
    if moment is None:
        return "later today"
    return moment.astimezone(ZoneInfo(tz)).strftime("%H:%M %Z")
