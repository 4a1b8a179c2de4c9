"""Per-product columns that filters test: category, brand, attribute values, title words."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from tools.embeddings.text import number_text
from tools.search.postings import Postings, Rows
from tools.search.records import CatalogRecord
from tools.search.tokens import tokenize

Codes = npt.NDArray[np.int32]


def normalize_category(path: str) -> str:
    """A category path compared without case or stray spaces: ' Beauty / Skin ' -> 'beauty/skin'."""
    return "/".join(part.strip() for part in path.casefold().split("/") if part.strip())


def normalize_brand(brand: str) -> str:
    """A brand compared without case or surrounding spaces."""
    return brand.strip().casefold()


def value_text(value: Any) -> str:
    """An attribute value as compared by filters: booleans 'true'/'false', numbers canonical."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return number_text(value)
    return str(value).strip().casefold()


def attribute_keys(name: str, value: Any) -> list[str]:
    """The posting keys of one attribute: one 'name=value' per value (lists give several)."""
    values = value if isinstance(value, list | tuple) else [value]
    prefix = name.strip().casefold()
    return [f"{prefix}={value_text(item)}" for item in values]


def _codes(values: Sequence[str]) -> tuple[list[str], Codes]:
    names = sorted(set(values))
    slot = {name: i for i, name in enumerate(names)}
    return names, np.array([slot[value] for value in values], dtype=np.int32)


def _attribute_pairs(records: Sequence[CatalogRecord]) -> Iterator[tuple[str, int]]:
    for row, record in enumerate(records):
        for name, value in record.attributes.items():
            for key in attribute_keys(name, value):
                yield key, row


def _title_word_pairs(records: Sequence[CatalogRecord]) -> Iterator[tuple[str, int]]:
    for row, record in enumerate(records):
        for token in tokenize(record.title):
            yield token, row


@dataclass(frozen=True)
class Facets:
    """Filterable columns, one entry per catalog row."""

    categories: list[str]
    category_codes: Codes
    brands: list[str]
    brand_codes: Codes
    attributes: Postings
    title_words: Postings

    @classmethod
    def build(cls, records: Sequence[CatalogRecord]) -> Facets:
        """The columns of `records`, row for row."""
        categories, category_codes = _codes([normalize_category(r.category) for r in records])
        brands, brand_codes = _codes([normalize_brand(r.brand) for r in records])
        return cls(
            categories=categories,
            category_codes=category_codes,
            brands=brands,
            brand_codes=brand_codes,
            attributes=Postings.build(_attribute_pairs(records)),
            title_words=Postings.build(_title_word_pairs(records)),
        )

    def save(self, directory: Path) -> None:
        """Write the columns into `directory`."""
        np.savez(
            directory / "facets.npz",
            category_codes=self.category_codes,
            brand_codes=self.brand_codes,
        )
        names = {"categories": self.categories, "brands": self.brands}
        (directory / "facets.json").write_text(json.dumps(names, ensure_ascii=False))
        self.attributes.save(directory / "attributes")
        self.title_words.save(directory / "title_words")

    @classmethod
    def load(cls, directory: Path) -> Facets:
        """Read what `save` wrote."""
        names = json.loads((directory / "facets.json").read_text())
        with np.load(directory / "facets.npz") as arrays:
            category_codes, brand_codes = arrays["category_codes"], arrays["brand_codes"]
        return cls(
            categories=names["categories"],
            category_codes=category_codes,
            brands=names["brands"],
            brand_codes=brand_codes,
            attributes=Postings.load(directory / "attributes"),
            title_words=Postings.load(directory / "title_words"),
        )


def category_order(facets: Facets) -> Rows:
    """Rows grouped by category path, then by row.

    Paths compare segment by segment, so every category prefix ('beauty', 'beauty/skin care')
    covers one unbroken stretch of this order.
    """
    by_path = sorted(range(len(facets.categories)), key=lambda i: facets.categories[i].split("/"))
    rank = np.empty(len(facets.categories), dtype=np.int32)
    rank[by_path] = np.arange(len(by_path), dtype=np.int32)
    rows = np.arange(len(facets.category_codes), dtype=np.int32)
    if not len(rows):
        return rows
    ordered: Rows = rows[np.lexsort((rows, rank[facets.category_codes]))].astype(np.int32)
    return ordered
