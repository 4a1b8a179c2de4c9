"""A fitted multinomial-logit brand-choice model, as plain data (JSON round-trips exactly)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from tools.choice.data import PRICE

LOYALTY = "loyalty"


def asc_name(alternative: str) -> str:
    """Coefficient name of an alternative's intercept."""
    return f"asc.{alternative}"


class ChoiceModel(BaseModel):
    """Utility V_j = asc_j + sum_a beta_a * x_aj (+ gamma * loyalty_j); P_j = softmax(V)_j."""

    model_config = ConfigDict(frozen=True)

    alternatives: tuple[str, ...] = Field(description="Alternatives (brands), in file order")
    reference: str = Field(description="Alternative whose intercept is fixed at 0")
    attributes: tuple[str, ...] = Field(description="Generic attributes, price first")
    loyalty_alpha: float | None = Field(
        default=None, description="Smoothing of the past-purchase loyalty; None: no loyalty term"
    )
    coefficients: dict[str, float] = Field(description="Estimates by name")
    std_errors: dict[str, float] = Field(description="Standard errors from the inverse Hessian")
    log_likelihood: float = Field(description="Log-likelihood at the estimates (training data)")
    n_obs: int = Field(description="Purchase occasions the model was fitted on")
    converged: bool = Field(description="Whether the optimiser reported convergence")

    @property
    def parameter_names(self) -> list[str]:
        """Names of the parameters, in the order of the design columns."""
        names = [asc_name(a) for a in self.alternatives if a != self.reference]
        names.extend(self.attributes)
        if self.loyalty_alpha is not None:
            names.append(LOYALTY)
        return names

    @property
    def price_coefficient(self) -> float:
        """Marginal utility of one unit of price."""
        return self.coefficients[PRICE]
