from __future__ import annotations

import numpy as np

from tools.search import CatalogRecord, product_text
from tools.search.fusion import reciprocal_rank_fusion, top_ranked
from tools.search.text import product_terms
from tools.search.tokens import stem, tokenize


def test_tokenize_folds_case_accents_plurals_and_stopwords() -> None:
    assert tokenize("The Crème Boots, for Berries & Boxes!") == ["creme", "boot", "berry", "box"]
    assert tokenize("fragrance-free SPF30") == ["fragrance", "free", "spf30"]
    words = ("dress", "jeans", "glasses", "ties", "bus", "30s")
    assert [stem(w) for w in words] == ["dress", "jean", "glass", "tie", "bus", "30s"]


def test_product_text_names_true_flags_only() -> None:
    record = CatalogRecord(
        sku="A",
        title="Calm Moisturizer",
        list_price_cents=100,
        brand="Dermaco",
        category="beauty/skin care/moisturizers",
        attributes={"fragrance_free": True, "vegan": False, "spf": 30.0, "skin_type": ["dry"]},
        tags=("gift",),
        description="Gentle.",
    )
    text = product_text(record)
    assert text == (
        "Calm Moisturizer. Dermaco. moisturizers skin care beauty. "
        "fragrance free, dry, spf 30. gift. Gentle."
    )
    assert "vegan" not in text
    assert product_terms(record)[:4] == ["calm", "moisturizer", "calm", "moisturizer"]


def test_top_ranked_breaks_ties_by_row() -> None:
    rows = np.array([7, 3, 5, 1, 9], dtype=np.int32)
    scores = np.array([0.5, 0.9, 0.5, 0.5, 0.1], dtype=np.float32)
    assert top_ranked(rows, scores, depth=3).tolist() == [3, 1, 5]
    assert top_ranked(rows, scores, depth=10).tolist() == [3, 1, 5, 7, 9]


def test_reciprocal_rank_fusion_sums_reciprocal_ranks() -> None:
    fused = reciprocal_rank_fusion(
        [np.array([4, 2], dtype=np.int32), np.array([2, 8], dtype=np.int32)], k=60
    )
    assert [(f.row, f.ranks) for f in fused] == [(2, (2, 1)), (4, (1, None)), (8, (None, 2))]
    assert fused[0].score == 1 / 62 + 1 / 61
    assert fused[1].score == 1 / 61
