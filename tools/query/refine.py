"""`refine`: a follow-up turn applied to the previous intent.

"cheaper" caps the budget one cent below the referenced item's price, else below the median
(lower middle) price shown, else at 80% of the previous cap, else at the catalog's cheap band;
"more expensive" mirrors it. "not that brand" leaves out the referenced item's brand, else the
brands asked for before, else the brand of the first item shown. "more like the second one" asks
for items similar to that sku (the first shown when none is named). New values replace old ones
slot by slot ("in blue", "under 20 instead", "what about for my sister"); a request for a
different product starts afresh.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime

from tools.query.intent import Budget, ShopperIntent, ShownItem, Slot, SlotMatch
from tools.query.lexicon import words
from tools.query.merge import merge_intents, without_words
from tools.query.parse import parse
from tools.query.text import stem
from tools.query.vocabulary import CatalogVocabulary, PriceQuantiles

CAP_WITHOUT_PRICES = 0.8
_ORDINALS = {
    "first": 0,
    "1st": 0,
    "top": 0,
    "second": 1,
    "2nd": 1,
    "third": 2,
    "3rd": 2,
    "fourth": 3,
    "4th": 3,
    "fifth": 4,
    "5th": 4,
    "sixth": 5,
    "6th": 5,
}
_REFERENCE = re.compile(
    r"\b(?P<ord>first|second|third|fourth|fifth|sixth|last|top|1st|2nd|3rd|4th|5th|6th)\b"
    r"|(?:#|\bnumber\s+|\bno\s+|\boption\s+|\bitem\s+|\bresult\s+)(?P<num>\d{1,2})\b"
)
_CHEAPER = re.compile(
    r"\b(?:cheaper|less\s+expensive|lower\s+price[sd]?|more\s+affordable|less\s+pricey|"
    r"too\s+(?:expensive|pricey|much)|cost(?:s|ing)?\s+less)\b"
)
_PRICIER = re.compile(
    r"\b(?:more\s+expensive|pricier|higher[\s-]end|fancier|nicer|better\s+quality|"
    r"more\s+premium)\b"
)
_OTHER_BRAND = re.compile(
    r"\b(?:not|no|other\s+than|dont\s+(?:like|want))\s+(?:that|this|the\s+same|those|these|the)"
    r"\s+brands?\b|\b(?:different|another|other)\s+brands?\b"
)
_SIMILAR = re.compile(
    r"\b(?:more\s+like|similar|something\s+like|same\s+style|like\s+(?:the|that|this))\b"
)
_RESET = re.compile(
    r"^(?:actually|never\s*mind|forget\s+(?:it|that)|start\s+over|new\s+search)\b|"
    r"\bsomething\s+(?:else|different)\s+entirely\b"
)
_ANAPHORA = re.compile(r"\b(?:it|them|those|these|that|this|one|ones)\b")
_PREPOSITION_START = re.compile(r"^(?:in|with|without|made\s+of|for|but|and|also|only|same)\b")
_FOLLOW_UP_WORDS = frozenset(
    words(
        """
    cheaper expensive pricier nicer fancier similar instead else different another other same
    brand brands ones one option options version first second third fourth fifth sixth last top
    result results more less lower higher price prices like something quality costs cost
        """
    )
)


def refine(
    previous: ShopperIntent,
    text: str,
    *,
    vocabulary: CatalogVocabulary,
    now: datetime | date,
    shown: Sequence[ShownItem] = (),
) -> ShopperIntent:
    """The intent after a follow-up `text`, given what the shopper was shown (in order)."""
    delta = parse(text, vocabulary=vocabulary, now=now)
    said = delta.normalized_text
    if _is_new_request(previous, delta):
        return delta.model_copy(update={"notes": [*delta.notes, "new request: filters reset"]})
    merged = merge_intents(previous, _without_follow_up_words(delta))
    ref = _reference(said, shown)
    notes: list[str] = []
    matches: list[SlotMatch] = []
    budget = _price_move(merged, previous, shown, ref, vocabulary, notes, matches)
    excluded = _brand_move(merged, previous, shown, ref, notes, matches)
    similar_to = merged.similar_to
    m = _SIMILAR.search(said)
    if m and shown:
        similar_to = shown[ref if ref is not None else 0].sku
        matches.append(_match("similar_to", similar_to, m))
    elif m:
        notes.append("nothing shown yet to find similar items to")
    return merged.model_copy(
        update={
            "budget": budget,
            "excluded_brands": excluded,
            "brands": [b for b in merged.brands if b not in excluded],
            "search_text": without_words(merged.search_text, list(excluded)),
            "similar_to": similar_to,
            "notes": [*merged.notes, *notes],
            "matches": sorted([*merged.matches, *matches], key=lambda x: (x.start, x.slot)),
        }
    )


def _without_follow_up_words(delta: ShopperIntent) -> ShopperIntent:
    def strip(text: str) -> str:
        return " ".join(w for w in text.split() if w not in _FOLLOW_UP_WORDS)

    return delta.model_copy(
        update={"query": strip(delta.query), "search_text": strip(delta.search_text)}
    )


def _reference(said: str, shown: Sequence[ShownItem]) -> int | None:
    """The index of the shown item a follow-up points at ("the second one", "#3", "the last")."""
    m = _REFERENCE.search(said)
    if m is None or not shown:
        return None
    if m.group("ord") == "last":
        return len(shown) - 1
    index = _ORDINALS[m.group("ord")] if m.group("ord") else int(m.group("num")) - 1
    return index if 0 <= index < len(shown) else None


def _price_move(
    merged: ShopperIntent,
    previous: ShopperIntent,
    shown: Sequence[ShownItem],
    ref: int | None,
    vocabulary: CatalogVocabulary,
    notes: list[str],
    matches: list[SlotMatch],
) -> Budget | None:
    """The budget after "cheaper" or "more expensive"; the merged budget otherwise."""
    said = merged.normalized_text
    old = previous.budget or Budget()
    prices = sorted(s.price_cents for s in shown if s.price_cents is not None)
    anchor = shown[ref].price_cents if ref is not None else None
    cheaper = _CHEAPER.search(said)
    if cheaper:
        if anchor is None and prices:
            anchor = prices[(len(prices) - 1) // 2]
        cap = _cheaper_cap(anchor, old, vocabulary.price_quantiles(merged.category))
        matches.append(_match("budget", _money("at most", cap), cheaper))
        notes.append(f"cheaper: {_money('at most', cap)}")
        low = old.min_cents if cap is not None and (old.min_cents or 0) < cap else None
        return Budget(min_cents=low, max_cents=cap, band=old.band, source="refinement")
    pricier = _PRICIER.search(said)
    if pricier:
        if anchor is None and prices:
            anchor = prices[len(prices) // 2]
        floor = anchor + 1 if anchor is not None else old.max_cents
        matches.append(_match("budget", _money("at least", floor), pricier))
        notes.append(f"more expensive: {_money('at least', floor)}")
        high = old.max_cents if old.max_cents is not None and old.max_cents > (floor or 0) else None
        return Budget(min_cents=floor, max_cents=high, band=old.band, source="refinement")
    return merged.budget


def _cheaper_cap(anchor: int | None, old: Budget, quantiles: PriceQuantiles | None) -> int | None:
    """A cent below the anchor price; else 80% of the old cap; else the cheap band's cap."""
    if anchor is not None:
        return max(anchor - 1, 0)
    if old.max_cents is not None:
        return round(old.max_cents * CAP_WITHOUT_PRICES)
    return quantiles.p25 if quantiles else None


def _money(prefix: str, cents: int | None) -> str:
    return f"{prefix} ${cents / 100:,.2f}" if cents is not None else "no price to compare with"


def _brand_move(
    merged: ShopperIntent,
    previous: ShopperIntent,
    shown: Sequence[ShownItem],
    ref: int | None,
    notes: list[str],
    matches: list[SlotMatch],
) -> list[str]:
    m = _OTHER_BRAND.search(merged.normalized_text)
    if m is None:
        return merged.excluded_brands
    if ref is not None and shown[ref].brand:
        brands = [shown[ref].brand]
    elif previous.brands:
        brands = list(previous.brands)
    elif shown and shown[0].brand:
        brands = [shown[0].brand]
    else:
        notes.append("could not tell which brand to leave out")
        return merged.excluded_brands
    matches.append(_match("excluded_brands", ", ".join(brands), m))
    return [*merged.excluded_brands, *(b for b in brands if b not in merged.excluded_brands)]


def _is_new_request(previous: ShopperIntent, delta: ShopperIntent) -> bool:
    """Whether a follow-up asks for a different product rather than refining the last one."""
    said = delta.normalized_text
    if _RESET.search(said):
        return True
    before = {stem(w) for w in previous.search_text.split()}
    if delta.category:
        if previous.category:
            return not _related(delta.category, previous.category)
        return not ({stem(w) for w in delta.search_text.split()} & before)
    words = {
        stem(w) for w in delta.query.split() if w not in _FOLLOW_UP_WORDS and not w[0].isdigit()
    }
    if not words or words <= before:
        return False
    return not (_ANAPHORA.search(said) or _PREPOSITION_START.match(said))


def _related(a: str, b: str) -> bool:
    return a == b or a.startswith(b + "/") or b.startswith(a + "/")


def _match(slot: Slot, value: str, m: re.Match[str]) -> SlotMatch:
    return SlotMatch(
        slot=slot,
        value=value,
        start=m.start(),
        end=m.end(),
        text=m.group(),
        confidence=0.8,
        source="refinement",
    )
