from __future__ import annotations

import pytest
from pydantic import ValidationError

from tools.pricing import BasketLine, PricingInput, SkuFacts

ITEM = {"sku": "S1", "category": "beauty/skincare/serum", "list_price_cents": 3000}


@pytest.mark.parametrize(
    "field", ["gender", "age", "ethnicity", "race", "religion", "health", "date_of_birth"]
)
def test_protected_attributes_are_refused(field: str) -> None:
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        PricingInput.model_validate({"item": ITEM, field: "x"})
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        PricingInput.model_validate({"item": {**ITEM, field: "x"}})
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        BasketLine.model_validate({"sku": "B", "unit_price_cents": 100, field: "x"})
    with pytest.raises(ValidationError):
        SkuFacts.model_validate({**ITEM, field: 1})


def test_cart_value_and_ranges() -> None:
    pricing_input = PricingInput.model_validate(
        {
            "item": ITEM,
            "basket": [
                {"sku": "A", "quantity": 2, "unit_price_cents": 1000},
                {"sku": "B", "unit_price_cents": 250},
            ],
        }
    )
    assert pricing_input.cart_value_cents == 2250
    with pytest.raises(ValidationError):
        PricingInput.model_validate({"item": ITEM, "price_sensitivity": 1.5})
    with pytest.raises(ValidationError):
        PricingInput.model_validate({"item": {**ITEM, "list_price_cents": 0}})
    with pytest.raises(ValidationError, match="companion"):
        PricingInput.model_validate({"item": ITEM, "companion": ITEM})
