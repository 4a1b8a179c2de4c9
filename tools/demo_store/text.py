"""Titles, descriptions, tags and search phrases built from a product's attributes."""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from functools import lru_cache

from tools.demo_store.taxonomy import AttributeSpec, AttrValue, CategorySpec, Leaf, Scalar

SMALL_WORDS = frozenset({"a", "an", "and", "by", "de", "for", "in", "of", "on", "or", "the", "to"})
UNITS = frozenset({"g", "kg", "l", "lb", "ml", "mm", "oz"})
_SPACES = re.compile(r"\s+")


def title_case(text: str) -> str:
    """Capitalise each word (and each hyphenated part) except small words inside the title."""
    words = _SPACES.sub(" ", text).strip().split(" ")
    out: list[str] = []
    for i, word in enumerate(words):
        after_colon = i > 0 and words[i - 1].endswith(":")
        if word in UNITS or (i > 0 and not after_colon and word.lower() in SMALL_WORDS):
            out.append(word if word in UNITS else word.lower())
        else:
            out.append("-".join(part[:1].upper() + part[1:] for part in word.split("-")))
    return " ".join(out)


def display(attr: AttributeSpec, value: AttrValue, *, joiner: str = ", ") -> str:
    """How a value reads in prose: flags as their phrase, lists joined."""
    if isinstance(value, bool):
        return attr.phrase if value else ""
    if isinstance(value, list):
        return joiner.join(attr.label(v) for v in value)
    return attr.label(value)


def phrase(attr: AttributeSpec, value: AttrValue) -> str:
    """The words an attribute adds around the noun ("fragrance-free", "for sensitive skin")."""
    if isinstance(value, bool):
        return attr.phrase if value else ""
    shown = display(attr, value, joiner=" ")
    return attr.phrase.format(shown) if shown else ""


def noun_phrase(
    spec: CategorySpec, leaf: Leaf, attributes: Mapping[str, AttrValue]
) -> tuple[str, str]:
    """The words placed before and after the product noun, in taxonomy order."""
    before: list[str] = []
    after: list[str] = []
    for attr in spec.attributes_for(leaf.slug):
        value = attributes.get(attr.key)
        words = phrase(attr, value) if attr.place and value is not None else ""
        if words:
            (before if attr.place == "before" else after).append(words)
    return " ".join(before), " ".join(after)


def base_title(
    *, spec: CategorySpec, leaf: Leaf, brand: str, attributes: Mapping[str, AttrValue]
) -> str:
    """The title from the category's template, before any variant options."""
    before, after = noun_phrase(spec, leaf, attributes)
    fields: dict[str, str] = {"brand": brand, "before": before, "noun": leaf.noun, "after": after}
    for attr in spec.attributes:
        value = attributes.get(attr.key)
        fields.setdefault(attr.key, "" if value is None else display(attr, value))
    return title_case(spec.title.format_map(fields))


@lru_cache(maxsize=8192)
def option_label(attr: AttributeSpec, value: Scalar) -> str:
    """How a variant option reads after the title ("Size M", "50 ml")."""
    return title_case(phrase(attr, value))


def make_title(
    *, spec: CategorySpec, leaf: Leaf, brand: str, attributes: Mapping[str, AttrValue]
) -> str:
    """The full title of one variant: base title, then its options not placed in the title."""
    title = base_title(spec=spec, leaf=leaf, brand=brand, attributes=attributes)
    options = [
        option_label(attr, value)
        for attr in spec.attributes_for(leaf.slug)
        if attr.variant is not None
        and not attr.place
        and not isinstance(value := attributes[attr.key], list)
    ]
    return f"{title} - {', '.join(options)}" if options else title


def make_description(
    rng: random.Random,
    *,
    spec: CategorySpec,
    leaf: Leaf,
    brand: str,
    attributes: Mapping[str, AttrValue],
) -> str:
    """A few sentences: what it is and for whom, each described attribute, a blurb or two."""
    before, after = noun_phrase(spec, leaf, attributes)
    lead = _SPACES.sub(" ", f"{before} {leaf.noun.lower()} {after}").strip()
    sentences = [f"{lead[:1].upper()}{lead[1:]} from {brand}."]
    for attr in spec.attributes_for(leaf.slug):
        value = attributes.get(attr.key)
        shown = "" if value is None else display(attr, value)
        if attr.describe and shown:
            sentence = attr.describe.format(shown)
            sentences.append(sentence[:1].upper() + sentence[1:])
    if spec.blurbs:
        sentences.extend(rng.sample(spec.blurbs, k=min(len(spec.blurbs), rng.randint(1, 2))))
    return " ".join(sentences)


def make_tags(
    *, spec: CategorySpec, leaf: Leaf, attributes: Mapping[str, AttrValue], is_new: bool
) -> list[str]:
    """Search and merchandising tags: the leaf, tagged attribute values, and "new-arrival"."""
    tags = [leaf.slug]
    for attr in spec.attributes_for(leaf.slug):
        if not attr.tag:
            continue
        value = attributes[attr.key]
        values = value if isinstance(value, list) else [value]
        for item in values:
            shown = attr.phrase if item is True else "" if item is False else attr.label(item)
            tag = _SPACES.sub("-", shown.strip().lower())
            if tag and tag not in tags:
                tags.append(tag)
    if is_new:
        tags.append("new-arrival")
    return tags


def search_phrase(
    rng: random.Random,
    *,
    spec: CategorySpec,
    leaf: Leaf,
    brand: str,
    attributes: Mapping[str, AttrValue],
) -> str:
    """A query a shopper looking for this product might type ("fragrance-free moisturizer")."""
    options = [brand.lower()]
    for attr in spec.attributes_for(leaf.slug):
        if attr.place and attr.variant is None:
            words = phrase(attr, attributes[attr.key])
            if words:
                options.append(words.lower())
    modifier = rng.choice(options) if rng.random() < 0.8 else ""
    noun = leaf.noun.lower()
    return f"{modifier} {noun}".strip() if not modifier.startswith("for ") else f"{noun} {modifier}"
