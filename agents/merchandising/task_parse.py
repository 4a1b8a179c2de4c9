"""Reading a merchandiser task into a `MerchTaskSpec`, deterministically.

Fixed phrasings are read first (a quoted query, the time window, a margin limit, the verb and
its amount, loyalty tiers, stock words, product flags, skus); the words left over name the
products and are read with the shopper query parser against the catalog's vocabulary.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import ValidationError

from agents.merchandising.claims import Claims
from agents.merchandising.examples import PLAN_EXAMPLES, not_understood
from agents.merchandising.exceptions import (
    InvalidTaskError,
    TaskNotUnderstoodError,
    UnknownSkusError,
)
from agents.merchandising.phrases import (
    KnownSkus,
    extract_everything,
    extract_flags,
    extract_margin,
    extract_query,
    extract_skus,
    extract_stock,
    extract_tiers,
)
from agents.merchandising.scope_text import scope_from_text
from agents.merchandising.spec import MERCH_RULE_KINDS, MerchTaskSpec
from agents.merchandising.timing import local_today
from agents.merchandising.verbs import extract_verb
from agents.merchandising.windows import extract_window
from tools.query import CatalogVocabulary


def parse_task(
    text: str,
    *,
    vocabulary: CatalogVocabulary,
    now: datetime,
    timezone: str = "UTC",
    known_skus: KnownSkus | None = None,
) -> MerchTaskSpec:
    """The spec of one task; dates are read in `timezone`, skus checked with `known_skus`."""
    claims = Claims.of(text)
    query = extract_query(claims)
    window = extract_window(claims, today=local_today(now, timezone))
    min_margin = extract_margin(claims)
    verb = extract_verb(claims)
    if verb is None:
        raise TaskNotUnderstoodError(not_understood(text), examples=PLAN_EXAMPLES)
    tiers = extract_tiers(claims) if verb.kind == "promotion" else ()
    stock = extract_stock(claims)
    flags = extract_flags(claims)
    everything = extract_everything(claims)
    skus, missing = extract_skus(claims, known_skus)
    if missing:
        raise UnknownSkusError(missing)
    is_rule = verb.kind in MERCH_RULE_KINDS
    scope, notes = scope_from_text(
        claims.rest() if is_rule or not query else f"{claims.rest()} , {query}",
        vocabulary=vocabulary,
        now=now,
        skus=skus,
        flags=flags,
        stock=stock,
        everything=everything,
    )
    fields = {
        "kind": verb.kind,
        "text": claims.text,
        "scope": scope,
        "weight": verb.weight,
        "discount_pct": verb.discount_pct,
        "new_price_cents": verb.new_price_cents,
        "price_change_pct": verb.price_change_pct,
        "price_change_cents": verb.price_change_cents,
        "loyalty_tiers": tiers,
        "min_margin_pct": min_margin,
        "query": query if is_rule else None,
        "window": window,
        "notes": notes,
    }
    return validated_spec(fields)


def validated_spec(fields: dict[str, object]) -> MerchTaskSpec:
    """A spec from plain fields (from the parser or a language model), or a clear error."""
    try:
        return MerchTaskSpec.model_validate(fields)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"]) or "task"
        message = str(error["msg"]).removeprefix("Value error, ")
        raise InvalidTaskError(message, field=where) from exc
