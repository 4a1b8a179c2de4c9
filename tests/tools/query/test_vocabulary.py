from __future__ import annotations

import pytest
from sqlalchemy import Engine

from tests.tools.query.catalog import LOCATIONS, products, vocabulary
from tools.exceptions import InputError
from tools.query import CatalogVocabulary, PriceQuantiles
from tools.store import Location, transaction


def test_vocabulary_counts_categories_attributes_brands_and_tags() -> None:
    v = vocabulary()
    assert v.product_count == 14
    assert v.categories["beauty/skincare/moisturizers"].count == 3
    assert v.categories["beauty"].count == 5
    assert v.attributes["fragrance_free"].true_count == 2
    assert v.attributes["fragrance_free"].false_count == 1
    assert v.attributes["color"].text["white"] == 3
    assert v.attributes["size"].numbers == {"10": 1, "7": 1, "8": 1}
    assert v.attributes["size"].text == {"M": 1, "XL": 1}
    assert v.brands["Nike"] == 2
    assert v.tags == {"bestseller": 2, "vegan": 1}
    assert v.ordinary_brands == ["Simple"]
    assert v.locations == LOCATIONS


def test_price_quantiles_use_nearest_rank() -> None:
    q = PriceQuantiles.of([100, 200, 300, 400])
    assert (q.min, q.p25, q.p50, q.p75, q.max) == (100, 100, 200, 300, 400)
    v = vocabulary()
    assert v.price_quantiles("beauty/skincare/moisturizers") == PriceQuantiles.of(
        [1899, 2999, 1499]
    )
    assert v.price_quantiles(None) == v.prices
    assert v.price_quantiles("no/such/category") == v.prices


def test_json_round_trip_is_byte_identical() -> None:
    text = vocabulary().to_json()
    again = CatalogVocabulary.from_json(text)
    assert again == vocabulary()
    assert again.to_json() == text
    assert CatalogVocabulary.from_products(reversed(products()), locations=LOCATIONS).to_json() == (
        text
    )


def test_from_json_refuses_other_documents() -> None:
    with pytest.raises(InputError, match="not a catalog vocabulary"):
        CatalogVocabulary.from_json('{"categories": 3}')
    with pytest.raises(InputError, match="format 99"):
        CatalogVocabulary.from_json('{"format_version": 99}')


def test_from_store_equals_from_products(sqlite_engine: Engine) -> None:
    with transaction(sqlite_engine) as session:
        session.add_all(products())
        for location_id, name in LOCATIONS.items():
            session.add(
                Location(id=location_id, name=name, kind="store", timezone="America/New_York")
            )
    assert CatalogVocabulary.from_store(sqlite_engine).to_json() == vocabulary().to_json()


def test_index_ranks_product_types_first_and_keeps_weak_words_behind_context() -> None:
    index = vocabulary().index()
    (moisturizer, *_) = index.lookup(("moisturizer",))
    assert moisturizer.kind == "category"
    assert moisturizer.paths == ("beauty/skincare/moisturizers",)
    (size_m,) = index.lookup(("m",))
    assert size_m.needs_context and size_m.value == "M"
    (fragrance_free,) = index.lookup(("fragrance", "free"))
    assert (fragrance_free.kind, fragrance_free.value) == ("flag", True)
    assert index.lookup(("tshirt",))[0].kind == "category"


def test_typo_correction_needs_a_long_word_and_the_same_first_letter() -> None:
    index = vocabulary().index()
    assert index.correct("moisturiser") == ("moisturizer", 1)
    assert index.correct("moisturzer") == ("moisturizer", 1)
    assert index.correct("sneker") == ("sneaker", 1)
    assert index.correct("looking") is None
    assert index.correct("shirt") is None
    assert index.correct("xneaker") is None
