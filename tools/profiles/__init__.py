"""Shopper profiles: preference state from history, the current session and stated preferences.

`build_profile` turns a shopper's events and zero-party preferences into a `ShopperProfile`:
a taste vector, department / brand / attribute affinities, price sensitivity, channel and hour
habits, cold start from session signals and lookalike shoppers, and an explanation of what was
inferred from what. Recording a preference is only proposed (`propose_preference_change`).
"""

from tools.profiles.affinity import AttributeRules
from tools.profiles.build import ProfileConfig, ProfileContext, ShopperFacts, build_profile
from tools.profiles.events import (
    EventWeights,
    ShopperEvent,
    all_events,
    session_events,
    shopper_events,
)
from tools.profiles.exceptions import InvalidPreferenceError, ProfileError, UnknownShopperError
from tools.profiles.interest import Interest, interests
from tools.profiles.items import ItemInfo, ItemLookup, Scalar, Vector, VectorLookup, value_key
from tools.profiles.lookalikes import LookalikeIndex, Neighbour, build_lookalikes
from tools.profiles.model import (
    Affinity,
    AttributeAffinity,
    Habits,
    Inference,
    PriceSensitivity,
    SessionSignals,
    ShopperProfile,
    TasteSummary,
)
from tools.profiles.preferences import (
    AttributeValue,
    PreferenceChange,
    PreferenceProposal,
    StatedPreferences,
    Vocabulary,
    parse_preferences,
    propose_preference_change,
)
from tools.profiles.price import CategoryPrices, category_prices

__all__ = [
    "Affinity",
    "AttributeAffinity",
    "AttributeRules",
    "AttributeValue",
    "CategoryPrices",
    "EventWeights",
    "Habits",
    "Inference",
    "Interest",
    "InvalidPreferenceError",
    "ItemInfo",
    "ItemLookup",
    "LookalikeIndex",
    "Neighbour",
    "PreferenceChange",
    "PreferenceProposal",
    "PriceSensitivity",
    "ProfileConfig",
    "ProfileContext",
    "ProfileError",
    "Scalar",
    "SessionSignals",
    "ShopperEvent",
    "ShopperFacts",
    "ShopperProfile",
    "StatedPreferences",
    "TasteSummary",
    "UnknownShopperError",
    "Vector",
    "VectorLookup",
    "Vocabulary",
    "all_events",
    "build_lookalikes",
    "build_profile",
    "category_prices",
    "interests",
    "parse_preferences",
    "propose_preference_change",
    "session_events",
    "shopper_events",
    "value_key",
]
