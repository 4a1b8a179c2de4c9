"""A fitted brand-choice logit as the price-response model of the categories it describes.

The logit (`tools.choice`) is fitted on purchase panels of one product category. For a sku of
that category, the own-price elasticity of its brand is beta * p * (1 - P) at the panel's mean
prices (the brand's own when the sku's brand is one of the panel's alternatives, else the
share-weighted mean over brands).

Which store categories a panel describes (category path prefixes, matched segment-wise):

| panel | store categories |
|---|---|
| `cracker` (Cracker.csv) | `grocery/pantry/crackers`, `grocery/snacks/crackers` |
| `yogurt` (Yogurt.csv) | `grocery/dairy/yogurt` |

Fitted responses are stored as JSON, one file per panel: `<data_dir>/models/choice/<name>.json`.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tools.choice import ChoiceData, ChoiceModel, choice_probabilities, price_elasticities
from tools.exceptions import InputError

CHOICE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "cracker": ("grocery/pantry/crackers", "grocery/snacks/crackers"),
    "yogurt": ("grocery/dairy/yogurt",),
}
CHOICE_MODEL_DIR = Path("models") / "choice"


class ChoiceResponse(BaseModel):
    """A choice logit, the prices it is read at, and the store categories it describes."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(min_length=1, description="The panel, e.g. cracker")
    categories: tuple[str, ...] = Field(min_length=1, description="Category path prefixes")
    model: ChoiceModel
    prices: dict[str, float] = Field(description="Mean price per alternative in the panel")
    own_elasticity: dict[str, float] = Field(description="Own-price elasticity per brand")
    mean_elasticity: float = Field(description="Share-weighted mean own-price elasticity")

    def covers(self, category: str) -> bool:
        """Whether a store category path falls under this panel."""
        return any(category == c or category.startswith(c + "/") for c in self.categories)

    def elasticity(self, brand: str) -> float:
        """The own-price elasticity for a brand (matched case-insensitively)."""
        for alternative, value in self.own_elasticity.items():
            if alternative.lower() == brand.lower():
                return value
        return self.mean_elasticity


def choice_response(
    *,
    name: str,
    model: ChoiceModel,
    data: ChoiceData,
    categories: tuple[str, ...] | None = None,
) -> ChoiceResponse:
    """The price response of a fitted logit at the mean prices of the panel it was fitted on."""
    cats = categories if categories is not None else CHOICE_CATEGORIES.get(name)
    if not cats:
        raise InputError(f"no store categories are mapped to panel {name!r}", field="categories")
    mean = data.x[:, 0, :].mean(axis=0)
    prices = {alt: float(mean[j]) for j, alt in enumerate(data.alternatives)}
    elasticities = price_elasticities(model=model, prices=prices)
    shares = choice_probabilities(model=model, prices=prices)
    own = {alt: elasticities[alt][alt] for alt in model.alternatives}
    return ChoiceResponse(
        name=name,
        categories=cats,
        model=model,
        prices=prices,
        own_elasticity=own,
        mean_elasticity=sum(shares[a] * own[a] for a in model.alternatives),
    )


def save_choice_response(*, response: ChoiceResponse, data_dir: Path) -> Path:
    """Write a response where `load_choice_responses` finds it; returns the path."""
    path = data_dir / CHOICE_MODEL_DIR / f"{response.name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(response.model_dump_json() + "\n", encoding="utf-8")
    return path


def load_choice_responses(*, data_dir: Path) -> tuple[ChoiceResponse, ...]:
    """Every stored response under the data directory, by name; none if there are none."""
    folder = data_dir / CHOICE_MODEL_DIR
    if not folder.is_dir():
        return ()
    responses = []
    for path in sorted(folder.glob("*.json")):
        try:
            responses.append(ChoiceResponse.model_validate_json(path.read_text(encoding="utf-8")))
        except ValidationError as exc:
            raise InputError(exc.errors()[0]["msg"], file=str(path)) from exc
    return tuple(responses)
