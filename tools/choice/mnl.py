"""Maximum-likelihood fit of the multinomial logit, with standard errors from the Hessian."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from tools.choice.data import ChoiceData
from tools.choice.loyalty import brand_loyalty
from tools.choice.model import ChoiceModel
from tools.exceptions import InputError

DEFAULT_ALPHAS: tuple[float, ...] = (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)

Array = NDArray[np.float64]


def design(
    *,
    x: Array,
    alternatives: tuple[str, ...],
    reference: str,
    loyalty: Array | None,
) -> Array:
    """Design tensor (occasions, alternatives, parameters), columns as `parameter_names`."""
    n, _, n_alt = x.shape
    others = [j for j, a in enumerate(alternatives) if a != reference]
    asc = np.zeros((n, n_alt, len(others)))
    for k, j in enumerate(others):
        asc[:, j, k] = 1.0
    parts = [asc, np.transpose(x, (0, 2, 1))]
    if loyalty is not None:
        parts.append(loyalty[:, :, None])
    return np.concatenate(parts, axis=2)


def probabilities(z: Array, theta: Array) -> Array:
    """Choice probabilities per occasion for parameters `theta`."""
    v = z @ theta
    v -= v.max(axis=1, keepdims=True)
    e = np.exp(v)
    out: Array = e / e.sum(axis=1, keepdims=True)
    return out


def _objective(theta: Array, z: Array, y: NDArray[np.int64]) -> tuple[float, Array, Array]:
    """Negative log-likelihood, its gradient and its Hessian."""
    p = probabilities(z, theta)
    rows = np.arange(y.shape[0])
    nll = -float(np.log(p[rows, y]).sum())
    zbar = np.einsum("nj,njk->nk", p, z)
    grad = -(z[rows, y] - zbar).sum(axis=0)
    d = z - zbar[:, None, :]
    hess = np.einsum("nj,njk,njl->kl", p, d, d)
    return nll, grad, hess


def _check_identified(z: Array, names: list[str], data: ChoiceData) -> None:
    counts = np.bincount(data.choice, minlength=len(data.alternatives))
    if counts.min() == 0:
        never = data.alternatives[int(np.argmin(counts))]
        raise InputError(
            f"alternative {never!r} is never chosen; its intercept has no estimate", field="choice"
        )
    spread = np.abs(z - z.mean(axis=1, keepdims=True)).max(axis=(0, 1))
    for k, name in enumerate(names):
        if spread[k] < 1e-12:
            raise InputError(
                "no variation across alternatives; the effect is not identified", field=name
            )


def _maximise(z: Array, y: NDArray[np.int64]) -> tuple[Array, Array, float, bool]:
    """Estimates, their standard errors, the log-likelihood, and whether it converged."""
    from scipy.optimize import minimize

    result = minimize(
        lambda t: _objective(t, z, y)[:2],
        np.zeros(z.shape[2]),
        jac=True,
        hess=lambda t: _objective(t, z, y)[2],
        method="trust-exact",
        options={"gtol": 1e-6, "maxiter": 200},
    )
    theta = np.asarray(result.x, dtype=np.float64)
    nll, grad, hess = _objective(theta, z, y)
    covariance = np.linalg.inv(hess)
    errors = np.sqrt(np.clip(np.diag(covariance), 0.0, None))
    # Converged when a further Newton step could gain almost nothing in log-likelihood.
    newton_decrement = float(grad @ covariance @ grad)
    return theta, errors, -nll, newton_decrement < 1e-8


def fit_mnl(
    *, data: ChoiceData, reference: str | None = None, loyalty_alpha: float | None = None
) -> ChoiceModel:
    """Fit intercepts, generic attribute effects and (with `loyalty_alpha`) a loyalty effect."""
    ref = reference if reference is not None else sorted(data.alternatives)[0]
    if ref not in data.alternatives:
        raise InputError(f"unknown alternative {ref!r}", field="reference")
    loyalty = None
    if loyalty_alpha is not None:
        loyalty = brand_loyalty(
            households=data.households,
            choice=data.choice,
            n_alternatives=len(data.alternatives),
            alpha=loyalty_alpha,
        )
    z = design(x=data.x, alternatives=data.alternatives, reference=ref, loyalty=loyalty)
    skeleton = ChoiceModel(
        alternatives=data.alternatives,
        reference=ref,
        attributes=data.attributes,
        loyalty_alpha=loyalty_alpha,
        coefficients={},
        std_errors={},
        log_likelihood=0.0,
        n_obs=data.n,
        converged=False,
    )
    names = skeleton.parameter_names
    _check_identified(z, names, data)
    theta, errors, log_likelihood, converged = _maximise(z, data.choice)
    return skeleton.model_copy(
        update={
            "coefficients": {n: float(v) for n, v in zip(names, theta, strict=True)},
            "std_errors": {n: float(v) for n, v in zip(names, errors, strict=True)},
            "log_likelihood": log_likelihood,
            "converged": converged,
        }
    )


def fit_mnl_loyalty(
    *,
    data: ChoiceData,
    reference: str | None = None,
    alphas: Sequence[float] = DEFAULT_ALPHAS,
) -> ChoiceModel:
    """Fit with a loyalty term, choosing its smoothing on the training likelihood over `alphas`."""
    if not alphas:
        raise InputError("give at least one smoothing value", field="alphas")
    fits = [fit_mnl(data=data, reference=reference, loyalty_alpha=a) for a in alphas]
    return max(fits, key=lambda m: m.log_likelihood)
