from __future__ import annotations

from tools.embeddings import item_summary
from tools.embeddings.text import DESCRIPTION_WORDS

RAINCOAT = {
    "title": "Atelier Nord Unisex Waterproof Raincoat - Size S, Navy",
    "brand": "Atelier Nord",
    "category": "apparel/outerwear/raincoat",
    "attributes": {
        "color": "navy",
        "fit": "regular",
        "gender": "unisex",
        "material": "recycled polyester",
        "size": "S",
        "waterproof": True,
        "hood": False,
    },
    "tags": ("raincoat", "waterproof", "new-arrival"),
    "description": "Unisex waterproof raincoat from Atelier Nord. Made from recycled polyester. "
    "Taped seams keep the rain out. Packs into its own pocket for travel and storage "
    "so it fits in any day bag. Machine washable.",
}


def test_summary_says_each_fact_once_and_trims_the_description() -> None:
    text = item_summary(**RAINCOAT)  # type: ignore[arg-type]
    assert text == (
        "Atelier Nord Unisex Waterproof Raincoat - Size S, Navy. raincoat outerwear apparel. "
        "regular, recycled polyester. new-arrival. Made from recycled polyester. "
        "Taped seams keep the rain out"
    )
    assert "hood" not in text  # a false flag says nothing


def test_description_sentences_add_new_words_within_the_budget() -> None:
    long = " ".join(f"word{i}" for i in range(40)) + "."
    text = item_summary(title="Mug", description=long)
    assert text == "Mug. " + " ".join(f"word{i}" for i in range(DESCRIPTION_WORDS))
    assert item_summary(title="Mug", description="A mug. The mug.") == "Mug"
    assert item_summary(title="Mug", description="Holds tea. " + long) == "Mug. Holds tea"


def test_flags_numbers_and_lists_read_as_words() -> None:
    text = item_summary(
        title="Calm Moisturizer",
        brand="Dermaco",
        category="beauty/skin care/moisturizers",
        attributes={"fragrance_free": True, "vegan": False, "spf": 30.0, "skin_type": ["dry"]},
        tags=("gift", "fragrance-free"),
    )
    assert text == (
        "Calm Moisturizer. Dermaco. moisturizers skin care beauty. "
        "fragrance free, dry, spf 30. gift"
    )
