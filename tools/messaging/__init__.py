"""Messaging engine: channel choice, send timing, rendering, frequency and opt-out detection."""

from tools.messaging.channel import ChannelCandidate, ChannelChoice, choose_channel
from tools.messaging.consent import ConsentState, channel_consents, is_granted
from tools.messaging.exceptions import (
    ChannelNotAllowedError,
    NoChannelError,
    UnknownShopperError,
)
from tools.messaging.frequency import FrequencyReport, message_frequency
from tools.messaging.habit import Habit, shopper_habit
from tools.messaging.optout import OptOutMatch, detect_opt_out
from tools.messaging.outbox import enqueue, find_queued
from tools.messaging.proposal import MessageProposal, MessagingPolicy, plan_message
from tools.messaging.render import OfferKind, OfferSlot
from tools.messaging.sender import (
    Sender,
    unsubscribe_link,
    unsubscribe_token,
    verify_unsubscribe_token,
)
from tools.messaging.templates import TEMPLATES
from tools.messaging.timing import DEFAULT_WINDOWS, SendWindow, next_allowed, send_time

__all__ = [
    "DEFAULT_WINDOWS",
    "TEMPLATES",
    "ChannelCandidate",
    "ChannelChoice",
    "ChannelNotAllowedError",
    "ConsentState",
    "FrequencyReport",
    "Habit",
    "MessageProposal",
    "MessagingPolicy",
    "NoChannelError",
    "OfferKind",
    "OfferSlot",
    "OptOutMatch",
    "SendWindow",
    "Sender",
    "UnknownShopperError",
    "channel_consents",
    "choose_channel",
    "detect_opt_out",
    "enqueue",
    "find_queued",
    "is_granted",
    "message_frequency",
    "next_allowed",
    "plan_message",
    "send_time",
    "shopper_habit",
    "unsubscribe_link",
    "unsubscribe_token",
    "verify_unsubscribe_token",
]
