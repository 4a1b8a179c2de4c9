"""`parse`: a shopping request in free text to a typed `ShopperIntent`, deterministically."""

from __future__ import annotations

from datetime import date, datetime

from tools.query.assemble import Found, assemble
from tools.query.budget import extract_budget
from tools.query.catalog_match import match_catalog
from tools.query.fulfilment import extract_fulfilment
from tools.query.intent import ShopperIntent
from tools.query.negation import apply_negations
from tools.query.quantity import extract_quantity
from tools.query.recipient import extract_recipient
from tools.query.sort import extract_sort
from tools.query.text import MAX_TOKENS, Doc, as_given, normalize
from tools.query.vocabulary import CatalogVocabulary


def parse(text: str, *, vocabulary: CatalogVocabulary, now: datetime | date) -> ShopperIntent:
    """The intent of one request; never raises on any string (long input is cut and noted).

    Fixed phrasings are read first (sort, budget, fulfilment, quantity, who and why), then the
    catalog's own phrases in what is left, then negations over both. Dates are relative to `now`.
    """
    normalized, notes = normalize(text)
    doc = Doc.of(normalized)
    if len(doc.tokens) >= MAX_TOKENS:
        notes.append(f"only the first {MAX_TOKENS} words were read")
    today = now.date() if isinstance(now, datetime) else now
    sort, sort_matches = extract_sort(doc)
    budget, budget_matches = extract_budget(doc)
    fulfilment, fulfilment_matches = extract_fulfilment(doc, today=today)
    quantity, quantity_matches = extract_quantity(doc)
    recipient, recipient_matches = extract_recipient(doc)
    hits = match_catalog(doc, vocabulary.index())
    exclusions, exclusion_matches = apply_negations(doc, hits)
    found = Found(
        text=as_given(text),
        doc=doc,
        notes=notes,
        hits=hits,
        exclusions=exclusions,
        budget=budget,
        fulfilment=fulfilment,
        quantity=quantity,
        sort=sort,
        recipient=recipient,
        matches=[
            *sort_matches,
            *budget_matches,
            *fulfilment_matches,
            *quantity_matches,
            *recipient_matches,
            *exclusion_matches,
        ],
    )
    return assemble(found, vocabulary)
