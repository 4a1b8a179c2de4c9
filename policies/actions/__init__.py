"""The vocabulary of what may be proposed: typed, versioned actions with a canonical hash."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, TypeAdapter, ValidationError

from policies.actions.base import ActionBase, Scope, canonical_json, sha256_hex
from policies.actions.merchandising import MerchRuleChange
from policies.actions.messaging import SendMessage
from policies.actions.pricing import ChangeListPrice, CreatePromotion, QuoteOffer
from policies.actions.shopping import (
    CartLine,
    HoldInventory,
    ProposeCart,
    RecommendedItem,
    ShowRecommendations,
    UpdatePreferences,
)
from policies.exceptions import PolicyInputError

Action = Annotated[
    QuoteOffer
    | ChangeListPrice
    | CreatePromotion
    | SendMessage
    | MerchRuleChange
    | ShowRecommendations
    | HoldInventory
    | ProposeCart
    | UpdatePreferences,
    Field(discriminator="kind"),
]
"""Any action that can be proposed, told apart by its `kind`."""

ACTION_TYPES: tuple[type[ActionBase], ...] = (
    QuoteOffer,
    ChangeListPrice,
    CreatePromotion,
    SendMessage,
    MerchRuleChange,
    ShowRecommendations,
    HoldInventory,
    ProposeCart,
    UpdatePreferences,
)
ACTION_KINDS: frozenset[str] = frozenset(str(t.model_fields["kind"].default) for t in ACTION_TYPES)
_ADAPTER: TypeAdapter[Action] = TypeAdapter(Action)


def parse_action(data: Any) -> Action:
    """An action from JSON-like data; a `PolicyInputError` says what is wrong."""
    try:
        return _ADAPTER.validate_python(data)
    except ValidationError as exc:
        raise PolicyInputError(f"invalid action: {exc}") from exc


__all__ = [
    "ACTION_KINDS",
    "ACTION_TYPES",
    "Action",
    "ActionBase",
    "CartLine",
    "ChangeListPrice",
    "CreatePromotion",
    "HoldInventory",
    "MerchRuleChange",
    "ProposeCart",
    "QuoteOffer",
    "RecommendedItem",
    "Scope",
    "SendMessage",
    "ShowRecommendations",
    "UpdatePreferences",
    "canonical_json",
    "parse_action",
    "sha256_hex",
]
