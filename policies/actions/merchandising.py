"""Merchandising actions: rules that move products in rankings (boost, bury, pin, exclude)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from policies.actions.base import ActionBase, Scope, UTCInstant

MerchOp = Literal["boost", "bury", "pin", "exclude"]


class MerchRuleChange(ActionBase):
    """Create a merchandising rule over a scope, active from `starts_at` until `ends_at`."""

    kind: Literal["merch_rule"] = "merch_rule"
    op: MerchOp
    scope: Scope
    weight: float = Field(default=0.0, ge=-1.0, le=1.0, description="Strength of boost or bury")
    query: str | None = Field(default=None, max_length=300, description="Only for this query")
    starts_at: UTCInstant | None = None
    ends_at: UTCInstant | None = Field(default=None, description="None: open-ended")

    @model_validator(mode="after")
    def _window(self) -> MerchRuleChange:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        return self
