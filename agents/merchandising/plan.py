"""`MerchPlan`: the typed actions a task compiles to, with the dry-run preview a person reviews.

Nothing here has happened: every action still goes through the policy checker, and only the
executor applies what it approves.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from agents.merchandising.spec import MerchTaskSpec
from policies.actions import ChangeListPrice, CreatePromotion, MerchRuleChange
from policies.actions.base import UTCInstant
from policies.context import PromotionImpact

MerchAction = Annotated[
    MerchRuleChange | CreatePromotion | ChangeListPrice, Field(discriminator="kind")
]
"""An action a merchandising plan may consist of."""

ExclusionReason = Literal[
    "margin_below_target", "below_price_floor", "discount_too_deep", "cost_unknown", "no_change"
]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PlannedStep(_Model):
    """One action of the plan and the facts the policy checker needs to judge it."""

    action: MerchAction
    summary: str = Field(description="The action in one line")
    sku_count: int = Field(ge=0, description="Products the action covers")
    skus: tuple[str, ...] = Field(
        default=(), description="The products it covers now (for the checker's product facts)"
    )
    promotion_impact: PromotionImpact | None = Field(
        default=None, description="Margin impact of a promotion over its products"
    )


class AffectedSku(_Model):
    """A product the plan changes."""

    sku: str
    title: str
    category: str
    brand: str
    list_price_cents: int
    new_price_cents: int | None = Field(default=None, description="Price under the plan, if any")
    margin_after_pct: float | None = Field(default=None, description="Margin at the new price")


class ExcludedSku(_Model):
    """A product in the task's scope that the plan leaves out, and why."""

    sku: str
    title: str
    reason: ExclusionReason
    detail: str


class RankMove(_Model):
    """A product's position (1 = first) in one ranking before and after the plan; None: absent."""

    sku: str
    title: str
    before: int | None
    after: int | None


class RankingView(_Model):
    """One ranking a shopper sees (a category page or a search), before and after the plan."""

    kind: Literal["category", "query"]
    key: str = Field(description="The category path or the query")
    size: int = Field(ge=0, description="Products in the ranking")
    top_before: list[str] = Field(description="First skus before the plan")
    top_after: list[str] = Field(description="First skus after the plan")
    moves: list[RankMove] = Field(description="Products that change position, largest first")


class ElasticityUsed(_Model):
    """The price elasticity applied to a category family, and where it came from."""

    family: str
    elasticity: float
    source: str


class MarginImpact(_Model):
    """Expected units, revenue and margin over the window, without and with the plan."""

    window_days: float
    eligible_share: float = Field(description="Share of demand the change applies to")
    units_before: float
    units_after: float
    revenue_before_cents: int
    revenue_after_cents: int
    margin_before_cents: int
    margin_after_cents: int
    margin_change_cents: int
    elasticities: list[ElasticityUsed]
    method: str = Field(description="How the figures were computed")


class PlanPreview(_Model):
    """What the plan would do, computed without changing anything."""

    affected_count: int = Field(ge=0)
    affected_sample: list[AffectedSku]
    excluded_count: int = Field(ge=0)
    excluded_by_reason: dict[str, int] = Field(default_factory=dict)
    excluded: list[ExcludedSku] = Field(description="Left out by a constraint (a sample)")
    rankings: list[RankingView] = Field(default_factory=list)
    ranking_method: str = ""
    margin: MarginImpact | None = None


class MerchPlan(_Model):
    """A merchandiser task compiled into actions, with its dry-run preview."""

    task: MerchTaskSpec
    actor_id: str
    planned_at: UTCInstant
    timezone: str = Field(description="IANA timezone the task's dates were read in")
    starts_at: UTCInstant
    ends_at: UTCInstant | None = Field(description="None: open-ended")
    steps: list[PlannedStep]
    preview: PlanPreview
    summary: str
    warnings: list[str] = Field(default_factory=list)

    def actions(self) -> list[MerchAction]:
        """The actions to check, in order."""
        return [step.action for step in self.steps]
