"""The products a task names, read with the shopper query parser and the catalog's own words.

Two category words can narrow each other: "outdoor jackets" means the jacket categories under
outdoor (rain jacket, softshell jacket), not every jacket; a category path the parser chose
stands otherwise. Attributes, tags, brands (and their negations) and a price range come from
the parser as they are.
"""

from __future__ import annotations

import re
from datetime import datetime

from agents.merchandising.spec import ProductFlag, ScopeSpec, StockFilter
from tools.query import CatalogVocabulary, ShopperIntent, parse
from tools.query.lexicon import words

MERCH_FILLER = frozenset(
    words(
        """
    sku skus category categories recommendation recommendations recs result results ranking
    rankings listing listings page pages search searches query queries collection range line
    lines catalog catalogue store site member members customer customers shopper shoppers
    everyone everybody top first position spot place front boost bury pin exclude hide promote
    feature demote off discount promotion promo sale price prices list please now currently
    put take give run make create apply start launch set
        """
    )
)


def scope_from_text(
    text: str,
    *,
    vocabulary: CatalogVocabulary,
    now: datetime,
    skus: tuple[str, ...] = (),
    flags: tuple[ProductFlag, ...] = (),
    stock: StockFilter | None = None,
    everything: bool = False,
) -> tuple[ScopeSpec, tuple[str, ...]]:
    """The scope the remaining words name, and notes on words that were not understood."""
    given = re.sub(r"[\s,]+", " ", text).strip()
    intent = parse(given, vocabulary=vocabulary, now=now) if given else None
    fields = _from_intent(intent, vocabulary) if intent else {}
    named = " ".join(m.text for m in intent.matches if m.slot != "fulfilment") if intent else ""
    ignored = [w for w in (intent.query.split() if intent else []) if _meaningful(w)]
    scope = ScopeSpec(
        text=named or (given if ignored else ""),
        everything=everything,
        skus=skus,
        flags=flags,
        stock=stock,
        **fields,
    )
    notes = (f"words not used to choose products: {' '.join(ignored)}",) if ignored else ()
    return scope, notes


def _tags_read_otherwise(intent: ShopperIntent, vocabulary: CatalogVocabulary) -> list[str]:
    """Multi-word tags the shopper parser read as something else ("new arrivals" is a sort
    order to a shopper, the `new-arrival` tag to a merchandiser)."""
    spans = [m.text for m in intent.matches if m.slot in ("sort", "occasion", "recipient")]
    found: list[str] = []
    for tag in vocabulary.tags if spans else ():
        words = re.split(r"[\s-]+", tag.strip().lower())
        pattern = r"\b" + r"[\s-]+".join(map(re.escape, words)) + r"(?:s|es)?\b"
        if len(words) > 1 and any(re.search(pattern, span, re.IGNORECASE) for span in spans):
            found.append(tag)
    return found


def _meaningful(word: str) -> bool:
    return word not in MERCH_FILLER and not word.isdigit() and len(word) > 1


def _from_intent(intent: ShopperIntent, vocabulary: CatalogVocabulary) -> dict[str, object]:
    budget = intent.budget
    return {
        "categories": categories_of(intent, vocabulary),
        "brands": tuple(intent.brands),
        "excluded_brands": tuple(intent.excluded_brands),
        "attributes": {k: tuple(v) for k, v in intent.attributes.items()},
        "excluded_attributes": {k: tuple(v) for k, v in intent.excluded_attributes.items()},
        "tags": (*_tags_read_otherwise(intent, vocabulary), *intent.tags),
        "excluded_tags": tuple(intent.excluded_tags),
        "min_price_cents": budget.min_cents if budget else None,
        "max_price_cents": budget.max_cents if budget else None,
    }


def categories_of(intent: ShopperIntent, vocabulary: CatalogVocabulary) -> tuple[str, ...]:
    """The category paths a request names, narrowed where one word qualifies another."""
    mentioned = list(dict.fromkeys(m.value for m in intent.matches if m.slot == "category"))
    if len(mentioned) >= 2:
        narrowed = _narrowed(mentioned, vocabulary)
        if narrowed:
            return narrowed
    if intent.category:
        return (intent.category,)
    return tuple(intent.category_alternatives)


def _narrowed(mentioned: list[str], vocabulary: CatalogVocabulary) -> tuple[str, ...]:
    """Categories under one mention whose own name contains another mention's product word."""
    found: set[str] = set()
    for broad in mentioned:
        for other in mentioned:
            if other == broad or other.startswith(broad + "/") or broad.startswith(other + "/"):
                continue
            head = other.rsplit("/", 1)[-1]
            found.update(
                path
                for path in vocabulary.categories
                if path.startswith(broad + "/") and _names(path.rsplit("/", 1)[-1], head)
            )
    deepest = {p for p in found if not any(q.startswith(p + "/") for q in found)}
    return tuple(sorted(deepest))


def _names(leaf: str, head: str) -> bool:
    """Whether a category name is, ends with or starts with a product word ("rain-jacket")."""
    return leaf == head or leaf.endswith("-" + head) or leaf.startswith(head + "-")


def scope_label(scope: ScopeSpec) -> str:
    """A short name for the products of a scope ("overstocked outdoor jackets")."""
    stock = {"out": "out-of-stock", "low": "low-stock", "overstock": "overstocked"}
    words = [stock.get(scope.stock or "", "in-stock" if scope.stock else "")]
    words += [flag.replace("_", "-") for flag in scope.flags]
    words.append(scope.text if scope.text else "")
    if scope.skus and not scope.text:
        words.append(", ".join(scope.skus[:3]) + (" …" if len(scope.skus) > 3 else ""))
    label = " ".join(w for w in words if w)
    return label or ("everything" if scope.everything else "selected products")
