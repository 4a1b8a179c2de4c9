"""What a reply claims, read from its text: amounts of money, percentages, sku-like codes,
capitalised names and offer wording. Pure functions over strings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from tools.query.lexicon import MONTHS, WEEKDAYS
from tools.query.numbers import WORD_NUMBER, word_value

_AMOUNT = r"\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?"
_SYMBOL_MONEY = re.compile(rf"(?:[$€£]|US\$|USD)\s?({_AMOUNT})(?![\d%])")
_WORD_MONEY = re.compile(
    rf"(?<![$€£\d.,])({_AMOUNT}|{WORD_NUMBER})\s?(?:dollars?|bucks|usd|euros?|eur|pounds|gbp)\b",
    re.IGNORECASE,
)
_BARE_PRICE = re.compile(r"(?<![$€£\d.,])\d+\.\d{2}(?![\d%])(?!\s?(?:%|percent|per cent))")
_PERCENT = re.compile(rf"(\d+(?:\.\d+)?|{WORD_NUMBER})\s?(?:%|percent\b|per cent\b)", re.IGNORECASE)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_SKU_LIKE = re.compile(r"\b(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9]+(?:-[A-Z0-9]+)*\b")
_WORD = re.compile(r"[A-Za-z][\w'\u2019&+]*(?:-[\w'\u2019&+]+)*|\d+")
_POSSESSIVE = re.compile(r"['\u2019]s$")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|[\n;•]+|\.$")
_NEGATIONS = frozenset({"no", "not", "without", "none", "never", "nor"})
_COMMON_CAPITALS = frozenset({"i", "ok", "okay"} | set(WEEKDAYS) | set(MONTHS))
MIN_SKU_CHARS = 5

OFFER_CUES: dict[str, re.Pattern[str]] = {
    "free_shipping": re.compile(
        r"\b(?:free (?:standard |express |next[- ]day |same[- ]day )?(?:shipping|delivery)"
        r"|ships? (?:for )?free)\b",
        re.IGNORECASE,
    ),
    "bundle": re.compile(r"\b(?:bundle[sd]?|bogo|buy \w+,? get \w+)\b", re.IGNORECASE),
    "percent_off": re.compile(
        r"\b(?:discount(?:s|ed)?|coupons?|promo(?:tion)?s?|promo codes?|on sale|sale price"
        r"|markdown|marked down|price drop|clearance|deals?|savings|(?:%|percent) off)\b"
        r"|%\s?off\b",
        re.IGNORECASE,
    ),
}


def to_cents(amount: str) -> int | None:
    """Cents of "1,299.5", "12" or "twenty"; None when it is no amount."""
    text = amount.replace(",", "").strip().lower()
    if not text[:1].isdigit():
        value = word_value(text)
        return None if value is None else value * 100
    try:
        return int(Decimal(text) * 100)
    except InvalidOperation:
        return None


def money_mentions(text: str) -> Iterator[tuple[int, str, int]]:
    """(offset, words, cents) of every amount: "$19.99", "20 dollars", a bare "19.99"."""
    for pattern in (_SYMBOL_MONEY, _WORD_MONEY, _BARE_PRICE):
        for match in pattern.finditer(text):
            cents = to_cents(match.group(1) if match.groups() else match.group(0))
            if cents is not None:
                yield match.start(), match.group(0), cents


def percent_mentions(text: str) -> Iterator[tuple[int, str, float]]:
    """(offset, words, value) of every percentage: "15%", "15 percent", "fifteen per cent"."""
    for match in _PERCENT.finditer(text):
        number = match.group(1)
        value = float(number) if number[:1].isdigit() else word_value(number.lower())
        if value is not None:
            yield match.start(), match.group(0), float(value)


def numbers_in(text: str) -> set[str]:
    """Every number written in digits, without thousands separators."""
    return {m.group(0).replace(",", "") for m in _NUMBER.finditer(text)}


def sku_like(text: str) -> Iterator[str]:
    """Codes that look like skus: capitals and digits (and dashes), at least 5 characters."""
    for match in _SKU_LIKE.finditer(text):
        if len(match.group(0)) >= MIN_SKU_CHARS:
            yield match.group(0)


def sentences(text: str) -> list[str]:
    """The sentences (and list items) of a text."""
    return [part.strip() for part in _SENTENCE_BREAK.split(text) if part.strip()]


def capitalised_names(text: str) -> Iterator[str]:
    """Runs of two or more capitalised words with only spaces between them (a sentence's first
    word does not count; a number may continue a run: "Serum 2")."""
    for sentence in sentences(text):
        run: list[str] = []
        last_end = 0
        for position, match in enumerate(_WORD.finditer(sentence)):
            word = match.group(0)
            if run and sentence[last_end : match.start()].strip():
                yield from _named(run)
                run = []
            if (position > 0 and _capital(word)) or (run and word.isdigit()):
                run.append(word)
            else:
                yield from _named(run)
                run = []
            last_end = match.end()
        yield from _named(run)


def _capital(word: str) -> bool:
    lowered = word.lower()
    return word[0].isupper() and lowered not in _COMMON_CAPITALS and not _SKU_LIKE.fullmatch(word)


def _named(run: list[str]) -> Iterator[str]:
    if len(run) >= 2:
        yield " ".join(run)


def offer_mentions(text: str) -> Iterator[tuple[int, str, str]]:
    """(offset, words, offer kind) of every offer claimed; negated ones ("no discount") skipped."""
    for kind, pattern in OFFER_CUES.items():
        for match in pattern.finditer(text):
            before = re.findall(
                r"[a-z']+", text[max(0, match.start() - 30) : match.start()].lower()
            )
            if any(w in _NEGATIONS or w.endswith("n't") for w in before[-3:]):
                continue
            yield match.start(), match.group(0), kind


@lru_cache(maxsize=32)
def name_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern that finds any of `names` as whole words (case-sensitive), longest first."""
    usable = sorted({n.strip() for n in names if len(n.strip()) >= 2}, key=len, reverse=True)
    if not usable:
        return None
    alternatives = "|".join(re.escape(n) for n in usable)
    return re.compile(rf"(?<![\w]){'(?:' + alternatives + ')'}(?![\w])")


def words_of(text: str) -> frozenset[str]:
    """The lower-cased words of a text (a possessive 's dropped)."""
    return frozenset(_POSSESSIVE.sub("", m.group(0).lower()) for m in _WORD.finditer(text))
