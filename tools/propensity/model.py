"""A fitted propensity model as plain data: boosted regression trees, scored with numpy.

The model is stored as JSON (no pickled code): the trees' nodes as flat arrays, the values that
fill unknown features, and the decision threshold chosen on validation data. Scoring needs
neither scikit-learn nor the training code.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tools.exceptions import InputError
from tools.propensity.features import FEATURE_NAMES, SessionFeatures, feature_matrix

MODEL_KIND = "gradient-boosted-trees/v1"


class PropensityModel(BaseModel):
    """P(purchase) = sigmoid(init_score + learning_rate * sum of the trees' leaf values)."""

    model_config = ConfigDict(frozen=True)

    kind: str = Field(default=MODEL_KIND, description="Format of this model")
    feature_names: tuple[str, ...] = Field(description="Columns the trees split on, in order")
    fill_values: tuple[float, ...] = Field(description="Value used for an unknown feature")
    init_score: float = Field(description="Log-odds before any tree")
    learning_rate: float = Field(description="Weight of each tree")
    roots: tuple[int, ...] = Field(description="Index of each tree's root node")
    left: tuple[int, ...] = Field(description="Left child per node (-1 at a leaf)")
    right: tuple[int, ...] = Field(description="Right child per node (-1 at a leaf)")
    feature: tuple[int, ...] = Field(description="Feature split on per node (-1 at a leaf)")
    split: tuple[float, ...] = Field(description="Go left when the feature is <= this value")
    value: tuple[float, ...] = Field(description="Leaf value per node")
    max_depth: int = Field(description="Deepest path in any tree")
    threshold: float = Field(description="Probability at or above which a session counts as buying")

    @model_validator(mode="after")
    def _consistent(self) -> PropensityModel:
        if len(self.fill_values) != len(self.feature_names):
            raise ValueError("fill_values and feature_names differ in length")
        n = len(self.left)
        if any(len(a) != n for a in (self.right, self.feature, self.split, self.value)):
            raise ValueError("node arrays differ in length")
        nodes = (*self.roots, *self.left, *self.right)
        if any(i >= n for i in nodes) or any(r < 0 for r in self.roots):
            raise ValueError("a node index is out of range")
        if any(f >= len(self.feature_names) for f in self.feature):
            raise ValueError("a split names an unknown feature")
        return self


def predict_matrix(*, model: PropensityModel, x: NDArray[np.float64]) -> NDArray[np.float64]:
    """P(purchase) per row of a (sessions, features) array; NaN means unknown."""
    if x.ndim != 2 or x.shape[1] != len(model.feature_names):
        raise InputError(f"expected {len(model.feature_names)} feature columns", field="x")
    filled = np.where(np.isnan(x), np.asarray(model.fill_values), x)
    # The trees were grown on float32 inputs; compare the same values they saw.
    values = filled.astype(np.float32).astype(np.float64)
    left, right = np.asarray(model.left), np.asarray(model.right)
    feature, split = np.asarray(model.feature), np.asarray(model.split)
    node = np.tile(np.asarray(model.roots), (values.shape[0], 1))
    rows = np.arange(values.shape[0])[:, None]
    for _ in range(model.max_depth):
        leaf = left[node] < 0
        go_left = values[rows, np.maximum(feature[node], 0)] <= split[node]
        node = np.where(leaf, node, np.where(go_left, left[node], right[node]))
    raw = model.init_score + model.learning_rate * np.asarray(model.value)[node].sum(axis=1)
    out: NDArray[np.float64] = 1.0 / (1.0 + np.exp(-raw))
    return out


def predict_proba(*, model: PropensityModel, sessions: Sequence[SessionFeatures]) -> list[float]:
    """P(purchase) for each session."""
    if tuple(model.feature_names) != FEATURE_NAMES:
        raise InputError("the model was trained on other features", field="feature_names")
    return [float(p) for p in predict_matrix(model=model, x=feature_matrix(sessions))]


def save_model(*, model: PropensityModel, path: Path) -> None:
    """Write the model as JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(model.model_dump_json(indent=None) + "\n", encoding="utf-8")


def load_model(*, path: Path) -> PropensityModel:
    """Read a model written by `save_model`."""
    try:
        model = PropensityModel.model_validate_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError("file not found", file=str(path)) from exc
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"])
        raise InputError(error["msg"], file=str(path), field=where or None) from exc
    if model.kind != MODEL_KIND:
        raise InputError(f"unsupported model kind {model.kind!r}", file=str(path), field="kind")
    return model
