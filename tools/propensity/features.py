"""The session features a purchase-propensity model reads, as a typed schema.

They follow the session data of Sakar et al. (2019): pages visited and time spent per page type,
Google-Analytics-style bounce and exit rates and page values of the pages visited, closeness to a
special day, month, returning visitor and weekend. A feature left unknown (None) is filled by the
model with the value it was trained to expect (the training median).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field


class SessionFeatures(BaseModel):
    """What one session did, up to the moment it is scored."""

    model_config = ConfigDict(frozen=True)

    administrative_pages: int = Field(ge=0, description="Account, cart and order pages visited")
    administrative_duration: float = Field(ge=0, description="Seconds on those pages")
    informational_pages: int = Field(ge=0, description="Content pages (not products) visited")
    informational_duration: float = Field(ge=0, description="Seconds on those pages")
    product_pages: int = Field(ge=0, description="Product and product-listing pages visited")
    product_duration: float = Field(ge=0, description="Seconds on those pages")
    bounce_rate: float | None = Field(
        default=None, ge=0, le=1, description="Mean bounce rate of the pages visited"
    )
    exit_rate: float | None = Field(
        default=None, ge=0, le=1, description="Mean exit rate of the pages visited"
    )
    page_value: float | None = Field(
        default=None, ge=0, description="Mean page value of the pages visited (currency units)"
    )
    special_day: float = Field(default=0.0, ge=0, le=1, description="Closeness to a special day")
    month: int = Field(ge=1, le=12, description="Calendar month of the session")
    returning_visitor: bool = Field(description="The visitor had been on the site before")
    weekend: bool = Field(description="The session began on a Saturday or Sunday")


FEATURE_NAMES: tuple[str, ...] = tuple(SessionFeatures.model_fields)


def feature_matrix(rows: Sequence[SessionFeatures]) -> NDArray[np.float64]:
    """Rows of features as a (sessions, features) array; unknown values are NaN."""
    out = np.empty((len(rows), len(FEATURE_NAMES)), dtype=np.float64)
    for i, row in enumerate(rows):
        for j, name in enumerate(FEATURE_NAMES):
            value = getattr(row, name)
            out[i, j] = math.nan if value is None else float(value)
    return out
