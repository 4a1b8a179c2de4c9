"""What to build: seed, sizes and the reference time every generated date counts back from."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from tools.demo_store.exceptions import InvalidSpecError

GENERATOR_VERSION = "1.0.0"
DEFAULT_SEED = 7
DEFAULT_REFERENCE_TIME = datetime(2026, 11, 1, tzinfo=UTC)
MIN_SKUS, MAX_SKUS = 100, 10_000_000
MIN_SHOPPERS, MAX_SHOPPERS = 10, 1_000_000
MAX_SEED = 2**63 - 1
CATALOG_CHUNK = 5_000
SHOPPER_CHUNK = 250


@dataclass(frozen=True)
class DemoSpec:
    """The inputs of one build; equal specs give byte-identical stores and truth files."""

    seed: int = DEFAULT_SEED
    skus: int = 5_000
    shoppers: int = 2_000
    reference_time: datetime = DEFAULT_REFERENCE_TIME

    def __post_init__(self) -> None:
        if not 0 <= self.seed <= MAX_SEED:
            raise InvalidSpecError("seed", f"must be between 0 and {MAX_SEED}, got {self.seed}")
        if not MIN_SKUS <= self.skus <= MAX_SKUS:
            raise InvalidSpecError(
                "skus", f"must be between {MIN_SKUS:,} and {MAX_SKUS:,}, got {self.skus:,}"
            )
        if not MIN_SHOPPERS <= self.shoppers <= MAX_SHOPPERS:
            raise InvalidSpecError(
                "shoppers",
                f"must be between {MIN_SHOPPERS:,} and {MAX_SHOPPERS:,}, got {self.shoppers:,}",
            )
        if self.reference_time.tzinfo is None:
            raise InvalidSpecError("reference_time", "must be timezone-aware")

    @property
    def as_of(self) -> datetime:
        """The reference time in UTC."""
        return self.reference_time.astimezone(UTC)


def catalog_version(spec: DemoSpec, *, taxonomy_version: str) -> str:
    """A short id that changes whenever the generated catalog would change."""
    key = "|".join(
        (
            GENERATOR_VERSION,
            taxonomy_version,
            str(spec.seed),
            str(spec.skus),
            spec.as_of.isoformat(),
        )
    )
    return "demo-" + hashlib.sha256(key.encode()).hexdigest()[:16]
