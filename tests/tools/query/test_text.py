from __future__ import annotations

from tools.query.text import MAX_CHARS, Doc, key_of, normalize, stem


def test_normalize_lowercases_and_unifies_punctuation() -> None:
    text, notes = normalize("  Women\u2019s  T\u2013Shirt\tCR\u00c8ME ")
    assert text == "womens t-shirt creme"
    assert notes == []


def test_normalize_drops_control_characters_and_emoji_and_says_so() -> None:
    text, notes = normalize("blue\x00 shoes \U0001f45f\u200b please")
    assert text == "blue shoes please"
    assert notes == ["control or invisible characters were ignored"]


def test_normalize_caps_long_input_and_says_so() -> None:
    text, notes = normalize("sneakers " * 5000)
    assert len(text) <= MAX_CHARS
    assert any("truncated" in note for note in notes)


def test_normalize_survives_lone_surrogates() -> None:
    text, _ = normalize("red \ud800 dress")
    assert text == "red dress"


def test_stem_maps_singular_and_plural_to_one_key() -> None:
    pairs = [
        ("moisturizers", "moisturizer"),
        ("dresses", "dress"),
        ("berries", "berry"),
        ("boxes", "box"),
        ("shoes", "shoe"),
        ("sneakers", "sneaker"),
    ]
    for plural, singular in pairs:
        assert stem(plural) == stem(singular)
    assert stem("shorts") == "shorts"
    assert stem("glass") == "glass"


def test_tokens_keep_spans_into_the_normalized_text() -> None:
    doc = Doc.of("t-shirt under $30.50")
    assert [t.text for t in doc.tokens] == ["t", "shirt", "under", "30.50"]
    assert doc.text[doc.tokens[3].start : doc.tokens[3].end] == "30.50"
    doc.consume(2, 7)
    assert doc.consumed == [False, True, False, False]


def test_key_of_stems_every_word() -> None:
    assert key_of("Bath-Towels") == ("bath", "towel")
