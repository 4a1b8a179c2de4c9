"""Turning what the extractors found into a `ShopperIntent`: category choice, slots, leftovers."""

from __future__ import annotations

from dataclasses import dataclass, field

from tools.query.budget import resolve_band
from tools.query.catalog_match import CatalogHit
from tools.query.intent import (
    AttributeValue,
    Budget,
    Exclusion,
    Fulfilment,
    Quantity,
    ShopperIntent,
    Slot,
    SlotMatch,
    SortOrder,
)
from tools.query.lexicon import FILLER, STOPWORDS
from tools.query.recipient import Recipient
from tools.query.text import Doc
from tools.query.vocabulary import CatalogVocabulary

MAX_ALTERNATIVES = 3


@dataclass
class Found:
    """Everything the extractors found in one request."""

    text: str
    doc: Doc
    notes: list[str]
    hits: list[CatalogHit]
    exclusions: list[Exclusion]
    budget: Budget | None
    fulfilment: Fulfilment | None
    quantity: Quantity | None
    sort: SortOrder | None
    recipient: Recipient
    matches: list[SlotMatch] = field(default_factory=list)


def assemble(found: Found, vocabulary: CatalogVocabulary) -> ShopperIntent:
    """The intent of a request from what its extractors found."""
    category, alternatives = choose_category(found.hits, vocabulary)
    budget = found.budget
    if budget is not None:
        budget = resolve_band(budget, vocabulary.price_quantiles(category))
    slots = _catalog_slots(found.hits)
    fulfilment = _with_location(found.fulfilment, found.hits)
    matches = found.matches + [_hit_match(found.doc, h, category) for h in found.hits]
    return ShopperIntent(
        text=found.text,
        normalized_text=found.doc.text,
        truncated=any("truncated" in n for n in found.notes),
        notes=found.notes,
        query=_leftover(
            found.doc, found.hits, keep_categories=category is None or bool(alternatives)
        ),
        search_text=_search_text(found.doc, found.hits),
        category=category,
        category_alternatives=alternatives,
        budget=budget,
        fulfilment=fulfilment,
        gift=found.recipient.gift,
        occasion=found.recipient.occasion,
        recipient=found.recipient.recipient,
        quantity=found.quantity,
        sort=found.sort,
        exclusions=_unique_exclusions(found.exclusions),
        matches=sorted(matches, key=lambda m: (m.start, m.end, m.slot)),
        **slots,
    )


def choose_category(
    hits: list[CatalogHit], vocabulary: CatalogVocabulary
) -> tuple[str | None, list[str]]:
    """The path that covers the most category mentions, product types first; their common
    parent, with the choices as alternatives, when several paths tie."""
    mentions = [h.term for h in hits if h.term.kind == "category" and not h.negated]
    if not mentions:
        return None, []

    def score(path: str) -> tuple[int, int]:
        covering = [
            t for t in mentions if any(path == p or path.startswith(p + "/") for p in t.paths)
        ]
        return len(covering), -min(t.rank for t in covering)

    def size(path: str) -> int:
        stats = vocabulary.categories.get(path)
        return stats.count if stats else 0

    candidates = sorted({p for term in mentions for p in term.paths})
    best = max(score(p) for p in candidates)
    tied = [p for p in candidates if score(p) == best]
    deepest = [p for p in tied if not any(q.startswith(p + "/") for q in tied)]
    deepest.sort(key=lambda p: (-size(p), p))
    if len(deepest) == 1:
        return deepest[0], []
    return _common_parent(deepest), deepest[:MAX_ALTERNATIVES]


def _common_parent(paths: list[str]) -> str | None:
    parts = [p.split("/") for p in paths]
    shared: list[str] = []
    for level in zip(*parts, strict=False):
        if len(set(level)) != 1:
            break
        shared.append(level[0])
    return "/".join(shared) or None


def _catalog_slots(hits: list[CatalogHit]) -> dict[str, object]:
    attributes: dict[str, list[AttributeValue]] = {}
    excluded: dict[str, list[AttributeValue]] = {}
    named: dict[str, list[str]] = {k: [] for k in ("tags", "excluded_tags", "brands")}
    named["excluded_brands"] = []
    for hit in hits:
        term = hit.term
        if term.kind in ("attribute", "flag") and term.value is not None:
            target = excluded if hit.negated else attributes
            values = target.setdefault(term.name, [])
            if term.value not in values:
                values.append(term.value)
        elif term.kind in ("tag", "brand"):
            slot = ("excluded_" if hit.negated else "") + term.kind + "s"
            if term.name not in named[slot]:
                named[slot].append(term.name)
    for brand in named["excluded_brands"]:
        if brand in named["brands"]:
            named["brands"].remove(brand)
    return {"attributes": attributes, "excluded_attributes": excluded, **named}


def _with_location(fulfilment: Fulfilment | None, hits: list[CatalogHit]) -> Fulfilment | None:
    places = [h.term.name for h in hits if h.term.kind == "location" and not h.negated]
    if not places:
        return fulfilment
    current = fulfilment or Fulfilment()
    return current.model_copy(
        update={"location_id": places[0], "method": current.method or "pickup"}
    )


def _hit_match(doc: Doc, hit: CatalogHit, category: str | None) -> SlotMatch:
    start, end = hit.negation_span or (doc.tokens[hit.first].start, doc.tokens[hit.last - 1].end)
    term = hit.term
    slot: Slot
    if term.kind == "category":
        slot, value = "category", _path_shown(term.paths, category)
    elif term.kind in ("attribute", "flag"):
        slot = "excluded_attributes" if hit.negated else "attributes"
        value = f"{term.name}={term.value}"
    elif term.kind == "location":
        slot, value = "fulfilment", f"pickup at {term.name}"
    else:
        slot = "excluded_brands" if hit.negated and term.kind == "brand" else "brands"
        if term.kind == "tag":
            slot = "excluded_tags" if hit.negated else "tags"
        value = term.name
    return SlotMatch(
        slot=slot,
        value=value,
        start=start,
        end=end,
        text=doc.text[start:end],
        confidence=hit.confidence,
        source=hit.source,
    )


def _path_shown(paths: tuple[str, ...], chosen: str | None) -> str:
    """The path of a category mention that agrees with the chosen category, if any."""
    for path in paths:
        if chosen and (chosen == path or chosen.startswith(path + "/")):
            return path
    return chosen if chosen and len(paths) > 1 else paths[0]


def _content(doc: Doc, i: int) -> bool:
    text = doc.tokens[i].text
    return text not in STOPWORDS and text not in FILLER


def _leftover(doc: Doc, hits: list[CatalogHit], *, keep_categories: bool) -> str:
    """Unclaimed content words (and, when no category was chosen, the category words)."""
    words = {
        i: t.text for i, t in enumerate(doc.tokens) if not doc.consumed[i] and _content(doc, i)
    }
    if keep_categories:
        for hit in hits:
            if hit.term.kind == "category" and not hit.negated:
                words.update(_hit_words(doc, hit))
    return " ".join(words[i] for i in sorted(words))


def _search_text(doc: Doc, hits: list[CatalogHit]) -> str:
    """The product words: unclaimed content words and positive catalog phrases, in order."""
    words: dict[int, str] = {
        i: t.text for i, t in enumerate(doc.tokens) if not doc.consumed[i] and _content(doc, i)
    }
    for hit in hits:
        if not hit.negated and hit.term.kind != "location":
            words.update(_hit_words(doc, hit))
    return " ".join(words[i] for i in sorted(words))


def _hit_words(doc: Doc, hit: CatalogHit) -> dict[int, str]:
    """The words of a hit by token index; typos replaced by the catalog word they meant."""
    if hit.source == "fuzzy" and len(hit.words) == hit.last - hit.first:
        return {hit.first + k: word for k, word in enumerate(hit.words)}
    return {i: doc.tokens[i].text for i in range(hit.first, hit.last)}


def _unique_exclusions(exclusions: list[Exclusion]) -> list[Exclusion]:
    seen: set[str] = set()
    unique = []
    for exclusion in exclusions:
        if exclusion.term not in seen:
            seen.add(exclusion.term)
            unique.append(exclusion)
    return unique
