from __future__ import annotations

from pathlib import Path

import pytest

from tests.tools.choice.simulate import simulate
from tools.choice import fit_mnl
from tools.exceptions import InputError
from tools.pricing import (
    DEFAULT_FAMILY_ELASTICITY,
    ChoiceResponse,
    DemandModel,
    ElasticityEstimate,
    choice_response,
    load_choice_responses,
    save_choice_response,
)
from tools.pricing.demand import FALLBACK_ELASTICITY, conversion, sensitivity_factor


def _cracker_response() -> ChoiceResponse:
    data = simulate(n_households=60, per_household=10)
    return choice_response(name="cracker", model=fit_mnl(data=data), data=data)


def test_elasticity_sources_most_specific_first() -> None:
    response = _cracker_response()
    fitted = {"beauty": ElasticityEstimate(value=-2.5, source="store_events", detail="beauty")}
    demand = DemandModel(choice=(response,), fitted=fitted)
    crackers = demand.elasticity(category="grocery/pantry/crackers", brand="beta")
    assert crackers.source == "choice_model" and crackers.detail == "cracker"
    assert crackers.value == response.own_elasticity["beta"]
    other_brand = demand.elasticity(category="grocery/pantry/crackers/thin", brand="Nobody")
    assert other_brand.value == response.mean_elasticity
    assert demand.elasticity(category="beauty/skincare/serum").value == -2.5
    grocery = demand.elasticity(category="grocery/pantry/olive-oil")
    assert grocery.source == "family_default"
    assert grocery.value == DEFAULT_FAMILY_ELASTICITY["grocery"]
    assert demand.elasticity(category="garden/tools").value == FALLBACK_ELASTICITY


def test_choice_response_elasticities_and_storage(tmp_path: Path) -> None:
    response = _cracker_response()
    own = response.own_elasticity
    assert all(value < 0 for value in own.values())
    assert min(own.values()) <= response.mean_elasticity <= max(own.values())
    assert load_choice_responses(data_dir=tmp_path) == ()
    path = save_choice_response(response=response, data_dir=tmp_path)
    assert path == tmp_path / "models" / "choice" / "cracker.json"
    assert load_choice_responses(data_dir=tmp_path) == (response,)


def test_choice_response_needs_a_category_mapping() -> None:
    data = simulate(n_households=20, per_household=10)
    with pytest.raises(InputError, match="no store categories"):
        choice_response(name="soap", model=fit_mnl(data=data), data=data)


def test_conversion_curve() -> None:
    assert conversion(base=0.3, elasticity=-2.0, saving=0.0) == pytest.approx(0.3)
    values = [conversion(base=0.3, elasticity=-2.0, saving=s / 20) for s in range(20)]
    assert values == sorted(values) and values[-1] < 1.0
    # Below saturation the elasticity at the base is the one given.
    bumped = conversion(base=0.3, elasticity=-2.0, saving=0.001)
    assert (bumped / 0.3 - 1) / 0.001 == pytest.approx(2.0, rel=0.01)
    assert conversion(base=0.9, elasticity=-2.0, saving=0.1) - 0.9 < (
        conversion(base=0.3, elasticity=-2.0, saving=0.1) - 0.3
    )


def test_sensitivity_factor() -> None:
    assert sensitivity_factor(None) == 1.0
    assert sensitivity_factor(0.5) == 1.0
    assert sensitivity_factor(1.0) == 2.0
    assert sensitivity_factor(0.0) == pytest.approx(0.1)
