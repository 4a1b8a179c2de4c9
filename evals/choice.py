"""Brand-choice eval: multinomial logits against a market-share baseline on held-out households."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, Field

from tools.choice import (
    ChoiceData,
    ChoiceModel,
    brand_loyalty,
    fit_mnl,
    fit_mnl_loyalty,
    household_split,
    load_choice_data,
    occasion_probabilities,
    price_elasticities,
)

Progress = Callable[[str], None]


class Coefficient(BaseModel):
    """One estimate with its standard error and z statistic."""

    name: str
    estimate: float
    std_error: float
    z: float


class HoldOut(BaseModel):
    """How well a predictor does on the held-out households' purchases."""

    log_likelihood: float = Field(description="Sum of log P(chosen) over held-out occasions")
    mean_log_likelihood: float = Field(description="Per occasion")
    hit_rate: float = Field(description="Share of occasions where the most likely brand was bought")


class ModelReport(BaseModel):
    """A fitted logit: estimates, training fit, held-out fit and elasticities at mean prices."""

    name: str
    loyalty_alpha: float | None = Field(description="Loyalty smoothing (None: no loyalty term)")
    converged: bool
    coefficients: list[Coefficient]
    train_log_likelihood: float
    held_out: HoldOut
    pseudo_r2_vs_baseline: float = Field(description="1 - LL(model) / LL(baseline), held out")
    elasticities: dict[str, dict[str, float]] = Field(
        description="[j][k]: % change in P(j) per 1% change in the price of k, at mean prices"
    )


class ChoiceEvalResult(BaseModel):
    """Market-share baseline against logits with and without household loyalty."""

    file: str
    alternatives: list[str]
    attributes: list[str]
    n_occasions: int
    n_households: int
    seed: int
    test_fraction: float
    train_occasions: int
    test_occasions: int
    test_households: int
    mean_prices: dict[str, float] = Field(description="Training mean price per alternative")
    baseline_shares: dict[str, float] = Field(description="Training market shares")
    baseline: HoldOut
    models: list[ModelReport]
    logit_beats_baseline: bool = Field(
        description="Every logit's held-out LL exceeds the baseline's"
    )


def _hold_out(p: NDArray[np.float64], choice: NDArray[np.int64]) -> HoldOut:
    chosen = np.log(p[np.arange(choice.shape[0]), choice])
    return HoldOut(
        log_likelihood=float(chosen.sum()),
        mean_log_likelihood=float(chosen.mean()),
        hit_rate=float((p.argmax(axis=1) == choice).mean()),
    )


def _means(train: ChoiceData) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """Training means of the price and of every promotion attribute, per alternative."""
    mean = train.x.mean(axis=0)
    prices = {alt: float(mean[0, j]) for j, alt in enumerate(train.alternatives)}
    promotions = {
        attribute: {alt: float(mean[a, j]) for j, alt in enumerate(train.alternatives)}
        for a, attribute in enumerate(train.attributes[1:], start=1)
    }
    return prices, promotions


def _report(
    name: str, model: ChoiceModel, train: ChoiceData, test: ChoiceData, baseline: HoldOut
) -> ModelReport:
    held_out = _hold_out(occasion_probabilities(model=model, data=test), test.choice)
    prices, promotions = _means(train)
    loyalty = None
    if model.loyalty_alpha is not None:
        mean_loyalty = brand_loyalty(
            households=train.households,
            choice=train.choice,
            n_alternatives=len(train.alternatives),
            alpha=model.loyalty_alpha,
        ).mean(axis=0)
        loyalty = {alt: float(mean_loyalty[j]) for j, alt in enumerate(train.alternatives)}
    return ModelReport(
        name=name,
        loyalty_alpha=model.loyalty_alpha,
        converged=model.converged,
        coefficients=[
            Coefficient(
                name=n,
                estimate=v,
                std_error=model.std_errors[n],
                z=v / model.std_errors[n] if model.std_errors[n] > 0 else 0.0,
            )
            for n, v in model.coefficients.items()
        ],
        train_log_likelihood=model.log_likelihood,
        held_out=held_out,
        pseudo_r2_vs_baseline=1.0 - held_out.log_likelihood / baseline.log_likelihood,
        elasticities=price_elasticities(
            model=model, prices=prices, promotions=promotions, loyalty=loyalty
        ),
    )


def run_choice_eval(
    *, path: Path, test_fraction: float = 0.25, seed: int = 0, progress: Progress | None = None
) -> ChoiceEvalResult:
    """Fit on some households, score the purchases of the others."""
    say = progress or (lambda _: None)
    say("reading purchases")
    data = load_choice_data(path=path)
    train, test = household_split(data=data, test_fraction=test_fraction, seed=seed)
    say("fitting the multinomial logit")
    plain = fit_mnl(data=train)
    say("fitting the logit with household loyalty")
    loyal = fit_mnl_loyalty(data=train)
    # Every alternative was chosen in training (the fit checks), so no share is zero.
    shares = np.bincount(train.choice, minlength=len(data.alternatives)) / train.n
    baseline = _hold_out(np.tile(shares, (test.n, 1)), test.choice)
    models = [
        _report("mnl", plain, train, test, baseline),
        _report("mnl+loyalty", loyal, train, test, baseline),
    ]
    prices, _ = _means(train)
    return ChoiceEvalResult(
        file=str(path),
        alternatives=list(data.alternatives),
        attributes=list(data.attributes),
        n_occasions=data.n,
        n_households=int(np.unique(data.households).size),
        seed=seed,
        test_fraction=test_fraction,
        train_occasions=train.n,
        test_occasions=test.n,
        test_households=int(np.unique(test.households).size),
        mean_prices=prices,
        baseline_shares={alt: float(shares[j]) for j, alt in enumerate(data.alternatives)},
        baseline=baseline,
        models=models,
        logit_beats_baseline=all(
            m.held_out.log_likelihood > baseline.log_likelihood for m in models
        ),
    )
