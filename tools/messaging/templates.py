"""Message templates ($-slots, string.Template): a long form for email and in-chat, a short
form for SMS and push. Email always ends with the unsubscribe link and postal address; SMS
always ends with the opt-out instruction.
"""

from __future__ import annotations

from dataclasses import dataclass
from string import Template

from tools.store.vocab import Channel


@dataclass(frozen=True)
class MessageTemplate:
    """One kind of message in every form."""

    name: str
    subject: Template
    long: Template
    short: Template
    needs_offer: bool = False


def _template(
    name: str, subject: str, long: str, short: str, *, needs_offer: bool = False
) -> MessageTemplate:
    return MessageTemplate(name, Template(subject), Template(long), Template(short), needs_offer)


TEMPLATES: dict[str, MessageTemplate] = {
    t.name: t
    for t in (
        _template(
            "back_in_stock",
            "Back in stock: $first_item",
            "Hi $name,\n\nGood news: back in stock at $store:\n$item_lines\n$offer_line",
            "$store: $first_item is back in stock.$offer_short",
        ),
        _template(
            "offer",
            "$offer_headline for you, $name",
            "Hi $name,\n\n$offer_headline on:\n$item_lines\n$offer_line",
            "$store: $offer_headline on $first_item.$offer_short",
            needs_offer=True,
        ),
        _template(
            "cart_reminder",
            "Still thinking it over, $name?",
            "Hi $name,\n\nYou left these in your cart:\n$item_lines\n$offer_line",
            "$store: $first_item is still in your cart.$offer_short",
        ),
        _template(
            "recommendation",
            "Picked for you, $name",
            "Hi $name,\n\nWe think you will like:\n$item_lines\n$offer_line",
            "$store picked for you: $first_item.$offer_short",
        ),
    )
}

EMAIL_FOOTER = Template(
    "\n--\nYou receive this because you opted in to email from $store.\n"
    "Unsubscribe: $unsubscribe_url\n$store, $postal_address\n"
)
SMS_FOOTER = " Reply STOP to opt out."
LONG_FORM = frozenset({Channel.EMAIL, Channel.CHAT})


def fill(template: MessageTemplate, channel: Channel, slots: dict[str, str]) -> tuple[str, str]:
    """Subject and body of a template on a channel. Slot values are inserted literally."""
    if channel in LONG_FORM:
        body = template.long.substitute(slots).rstrip() + "\n"
    else:
        body = template.short.substitute(slots)
    if channel is Channel.EMAIL:
        body += EMAIL_FOOTER.substitute(slots)
    if channel is Channel.SMS:
        body += SMS_FOOTER
    subject = template.subject.substitute(slots) if channel is Channel.EMAIL else ""
    return subject, body
