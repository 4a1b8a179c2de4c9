from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from tests.tools.choice.simulate import simulate
from tests.tools.pricing.seed import T0, seed_pricing
from tools.choice import fit_mnl
from tools.exceptions import InputError
from tools.pricing import (
    CartItem,
    UnknownShopperError,
    UnknownSkuError,
    all_sensitivities,
    bench_pricing,
    choice_response,
    decide_offer,
    estimate_sensitivity,
    fit_elasticities,
    load_category_prices,
    load_pricing_context,
    pricing_input_for,
    save_choice_response,
    shopper_sensitivity,
)
from tools.store import Event, PriceHistory, transaction


def test_input_from_the_store(sqlite_engine: Engine) -> None:
    seed_pricing(sqlite_engine)
    with Session(sqlite_engine) as session:
        context = load_pricing_context(session)
        pricing_input = pricing_input_for(
            session,
            context=context,
            sku="SER-4",
            shopper_id="lavish",
            cart=[CartItem(sku="SER-0", quantity=2)],
            companion_sku="TONER",
            purchase_propensity=0.4,
        )
    assert pricing_input.item.unit_cost_cents == 1160
    assert pricing_input.loyalty_tier == "gold"
    assert pricing_input.cart_value_cents == 2000
    assert pricing_input.companion is not None and pricing_input.companion.sku == "TONER"
    assert pricing_input.price_sensitivity is not None and pricing_input.price_sensitivity < 0.3
    assert decide_offer(pricing_input=pricing_input, demand=context.demand).sku == "SER-4"


def test_lookups_name_what_is_unknown(sqlite_engine: Engine) -> None:
    seed_pricing(sqlite_engine)
    with Session(sqlite_engine) as session:
        context = load_pricing_context(session)
        with pytest.raises(UnknownSkuError, match="'NOPE'"):
            pricing_input_for(session, context=context, sku="NOPE")
        with pytest.raises(UnknownSkuError, match="field 'cart'"):
            pricing_input_for(session, context=context, sku="SER-1", cart=[CartItem(sku="X")])
        with pytest.raises(UnknownShopperError):
            pricing_input_for(session, context=context, sku="SER-1", shopper_id="ghost")
        with pytest.raises(InputError, match="companion"):
            pricing_input_for(session, context=context, sku="SER-1", companion_sku="SER-1")
        newbie = pricing_input_for(session, context=context, sku="MYSTERY", shopper_id="newbie")
    assert newbie.price_sensitivity is None and newbie.loyalty_tier == "platinum"
    assert newbie.item.unit_cost_cents is None


def test_sensitivity_reads_where_shoppers_sit_in_their_categories(sqlite_engine: Engine) -> None:
    seed_pricing(sqlite_engine)
    with Session(sqlite_engine) as session:
        prices = load_category_prices(session)
        thrifty = shopper_sensitivity(session, shopper_id="thrifty", prices=prices)
        lavish = shopper_sensitivity(session, shopper_id="lavish", prices=prices)
        assert shopper_sensitivity(session, shopper_id="newbie", prices=prices) is None
        every = all_sensitivities(session, prices=prices)
    assert thrifty is not None and lavish is not None
    assert thrifty > 0.7 and lavish < 0.3
    assert every == {"lavish": lavish, "thrifty": thrifty}
    assert estimate_sensitivity([]) is None
    assert estimate_sensitivity([0.0] * 10) == 0.5
    assert estimate_sensitivity([-1.0]) < estimate_sensitivity([-1.0] * 20)  # type: ignore[operator]


def _views_and_buys(engine: Engine, *, discounted: int, regular: int) -> None:
    """Serum views: discounted ones (20% off) convert 30%, regular ones 20%."""
    with transaction(engine) as session:
        session.add(PriceHistory(sku="SER-5", price_cents=4750, effective_at=T0))
        events = []
        for i in range(discounted + regular):
            cut = i < discounted
            price = 3800 if cut else 4750
            session_id = f"v{i}"
            at = T0 + timedelta(seconds=i)
            events.append(
                Event(
                    session_id=session_id,
                    kind="view",
                    sku="SER-5",
                    price_cents=price,
                    occurred_at=at,
                )
            )
            if (i % 10) < (3 if cut else 2):
                events.append(
                    Event(
                        session_id=session_id,
                        kind="purchase",
                        sku="SER-5",
                        price_cents=price,
                        occurred_at=at,
                    )
                )
        session.add_all(events)


def test_elasticity_is_fitted_only_where_the_data_carry_it(sqlite_engine: Engine) -> None:
    seed_pricing(sqlite_engine)
    with Session(sqlite_engine) as session:
        assert fit_elasticities(session) == {}
    _views_and_buys(sqlite_engine, discounted=3000, regular=6000)
    with Session(sqlite_engine) as session:
        fitted = fit_elasticities(session)
        context = load_pricing_context(session)
    beauty = fitted["beauty"]
    assert beauty.source == "store_events"
    # log(0.3 / 0.2) / log(0.8) = -1.82 (the seeded shoppers add a few regular views)
    assert beauty.value == pytest.approx(-1.817, abs=0.03)
    assert context.demand.elasticity(category="beauty/skincare/serum") == beauty


def test_context_loads_choice_models_from_the_data_dir(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    seed_pricing(sqlite_engine)
    data = simulate(n_households=40, per_household=10)
    response = choice_response(name="cracker", model=fit_mnl(data=data), data=data)
    save_choice_response(response=response, data_dir=tmp_path)
    with Session(sqlite_engine) as session:
        context = load_pricing_context(session, data_dir=tmp_path)
        pricing_input = pricing_input_for(session, context=context, sku="CRK-1")
    decision = decide_offer(pricing_input=pricing_input, demand=context.demand)
    assert decision.elasticity.source == "choice_model"
    assert decision.elasticity.value == response.mean_elasticity


def test_bench_reports_percentiles(sqlite_engine: Engine) -> None:
    seed_pricing(sqlite_engine)
    result = bench_pricing(sqlite_engine, queries=30, warmup=2)
    assert result["skus"] == 13 and result["queries"] == 30
    assert 0 < result["p50_ms"] <= result["p95_ms"] <= result["p99_ms"]
