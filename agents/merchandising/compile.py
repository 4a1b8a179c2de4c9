"""Compiling a `MerchTaskSpec` into a `MerchPlan`: scope to products, window to instants,
constraints applied, actions built, preview computed. Reads the store; writes nothing.

The same code compiles a spec from the deterministic parser or from a language model, so both
meet the same checks: skus must exist, the scope must match products, the window must end
after it starts, prices must respect the pack's floors and the merchandiser's margin limit.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session

from agents.merchandising.catalog import ProductRow, existing_skus, resolve_scope, tier_share
from agents.merchandising.exceptions import EmptyScopeError, UnknownSkusError
from agents.merchandising.plan import MerchPlan
from agents.merchandising.preview import PreviewContext, build_preview
from agents.merchandising.spec import MERCH_RULE_KINDS, MerchTaskSpec
from agents.merchandising.steps import Built, Window, price_steps, promotion_steps, rule_steps
from agents.merchandising.summary import plan_summary, plan_warnings
from agents.merchandising.timing import DEFAULT_PROMOTION_DAYS, resolve_window, store_timezone
from policies.context import ActorFacts
from policies.loader import default_pack
from policies.pack import Pack
from policies.params import PricingParams
from tools.inventory.clock import as_utc
from tools.pricing import DemandModel
from tools.pricing.fitting import fit_elasticities
from tools.query import CatalogVocabulary


def compile_plan(
    spec: MerchTaskSpec,
    *,
    engine: Engine,
    vocabulary: CatalogVocabulary,
    now: datetime,
    actor: ActorFacts | str,
    timezone: str | None = None,
    pack: Pack | None = None,
    demand: DemandModel | None = None,
) -> MerchPlan:
    """The plan for a spec, with its dry-run preview; raises a `MerchTaskError` the
    merchandiser can act on when the spec cannot be planned."""
    now = as_utc(now)
    tz = store_timezone(engine, now=now, explicit=timezone)
    default_days = DEFAULT_PROMOTION_DAYS if spec.kind == "promotion" else None
    starts_at, ends_at = resolve_window(
        spec.window, now=now, timezone=tz, default_days=default_days
    )
    window = Window(starts_at, ends_at)
    pricing = (pack or default_pack()).spec.params.pricing
    with Session(engine) as session:
        built = _steps(spec, _products(session, spec, now), window, pricing)
        context = PreviewContext(
            session=session,
            now=now,
            window=window,
            vocabulary=vocabulary,
            demand=demand or DemandModel(fitted=fit_elasticities(session)),
            eligible_share=tier_share(session, spec.loyalty_tiers),
        )
        preview = build_preview(spec, built, context)
    return MerchPlan(
        task=spec,
        actor_id=actor if isinstance(actor, str) else actor.id,
        planned_at=now,
        timezone=tz,
        starts_at=starts_at,
        ends_at=ends_at if spec.kind != "list_price" else None,
        steps=built.steps,
        preview=preview,
        summary=plan_summary(spec, built.steps, preview, window, tz),
        warnings=_warnings(spec, built, window),
    )


def _steps(
    spec: MerchTaskSpec, products: list[ProductRow], window: Window, pricing: PricingParams
) -> Built:
    if spec.kind in MERCH_RULE_KINDS:
        return rule_steps(spec, products, window)
    if spec.kind == "promotion":
        return promotion_steps(spec, products, window, pricing)
    return price_steps(spec, products, pricing)


def _products(session: Session, spec: MerchTaskSpec, now: datetime) -> list[ProductRow]:
    """The products of the task's scope; unknown skus and empty scopes are refused."""
    if spec.scope.skus:
        missing = sorted(set(spec.scope.skus) - existing_skus(session, spec.scope.skus))
        if missing:
            raise UnknownSkusError(tuple(missing))
    if spec.scope.is_empty():
        words = f" {spec.scope.text!r}" if spec.scope.text else ""
        raise EmptyScopeError(
            f"the task names no products I can find{words}",
            hint="Name a category, brand, attribute, tag or sku of the catalog.",
        )
    products = resolve_scope(session, spec.scope, now=now)
    if not products:
        raise EmptyScopeError(
            f"no product matches {_scope_words(spec)}",
            hint="Check the category, brand or sku, or widen the scope.",
        )
    return products


def _scope_words(spec: MerchTaskSpec) -> str:
    scope = spec.scope
    parts = [
        *scope.skus,
        *scope.categories,
        *scope.brands,
        *(f"{k}={'/'.join(map(str, v))}" for k, v in scope.attributes.items()),
        *scope.tags,
        *(f.replace("_", "-") for f in scope.flags),
        *([f"stock {scope.stock}"] if scope.stock else []),
    ]
    return " + ".join(parts) or repr(scope.text) or "the scope"


def _warnings(spec: MerchTaskSpec, built: Built, window: Window) -> list[str]:
    warnings = plan_warnings(spec, built, window)
    if not built.steps:
        warnings.append("every product in scope was left out: nothing to apply")
    return warnings
