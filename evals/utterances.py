"""Query-understanding eval: parse every utterance of a file and report how each slot fared.

The parser's catalog slots (category, attributes, brands, tags) can only be as good as the
vocabulary it is given; the other slots (budget, quantity, negations, fulfilment, gift, occasion,
recipient, sort) need no catalog, so they are reported for any vocabulary, even an empty one.
"""

from __future__ import annotations

import csv
import io
import json
import statistics
import time
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel, Field

from tools.exceptions import InputError
from tools.query import CatalogVocabulary, ShopperIntent, Slot, needs_clarification, parse

CATALOG_SLOTS: frozenset[Slot] = frozenset(
    {
        "category",
        "attributes",
        "excluded_attributes",
        "tags",
        "excluded_tags",
        "brands",
        "excluded_brands",
    }
)
_TEXT_KEYS = ("utterance", "instruction_text", "instruction", "text", "query", "goal")
_LIST_KEYS = ("utterances", "goals", "instructions", "queries", "data", "items")


class SlotExample(BaseModel):
    """One utterance and the value the parser gave the slot."""

    utterance: str
    value: str


class SlotReport(BaseModel):
    """How often one slot was filled, with a few examples."""

    slot: Slot
    needs_catalog: bool
    filled: int
    rate: float = Field(description="Share of utterances with the slot filled")
    examples: list[SlotExample]


class VocabularySummary(BaseModel):
    """Where the vocabulary came from and how big it is."""

    source: str
    products: int
    categories: int
    attribute_keys: int
    brands: int
    tags: int
    terms: int

    @classmethod
    def of(cls, vocabulary: CatalogVocabulary, source: str) -> VocabularySummary:
        """The summary of a vocabulary."""
        return cls(
            source=source,
            products=vocabulary.product_count,
            categories=len(vocabulary.categories),
            attribute_keys=len(vocabulary.attributes),
            brands=len(vocabulary.brands),
            tags=len(vocabulary.tags),
            terms=len(vocabulary.index().terms),
        )


class ParseFailure(BaseModel):
    """An utterance the parser raised on (there should be none)."""

    utterance: str
    error: str


class UtteranceReport(BaseModel):
    """The eval's result: counts, failures, slot fill rates and examples."""

    file: str
    count: int
    exceptions: int
    failures: list[ParseFailure]
    needs_clarification: int = Field(description="Utterances too vague to search")
    truncated: int
    vocabulary: VocabularySummary
    slots: list[SlotReport]
    parse_ms_mean: float
    parse_ms_p95: float

    @property
    def passed(self) -> bool:
        """Whether the parser handled every utterance without raising."""
        return self.exceptions == 0


def run_utterance_eval(
    utterances: Sequence[str],
    *,
    vocabulary: CatalogVocabulary,
    vocabulary_source: str,
    now: datetime | date,
    file: str = "",
    examples_per_slot: int = 3,
) -> UtteranceReport:
    """Parse every utterance and report slot fill rates, examples and failures."""
    vocabulary.index()
    intents: list[tuple[str, ShopperIntent]] = []
    failures: list[ParseFailure] = []
    timings: list[float] = []
    for utterance in utterances:
        started = time.perf_counter()
        try:
            intent = parse(utterance, vocabulary=vocabulary, now=now)
        except Exception as exc:  # the eval counts failures instead of stopping at the first
            failures.append(ParseFailure(utterance=utterance[:300], error=repr(exc)[:300]))
            continue
        timings.append((time.perf_counter() - started) * 1000)
        intents.append((utterance, intent))
    count = len(utterances)
    return UtteranceReport(
        file=file,
        count=count,
        exceptions=len(failures),
        failures=failures[:20],
        needs_clarification=sum(needs_clarification(i) is not None for _, i in intents),
        truncated=sum(i.truncated for _, i in intents),
        vocabulary=VocabularySummary.of(vocabulary, vocabulary_source),
        slots=[_slot_report(slot, intents, count, examples_per_slot) for slot in get_args(Slot)],
        parse_ms_mean=round(statistics.fmean(timings), 3) if timings else 0.0,
        parse_ms_p95=round(_p95(timings), 3),
    )


def _slot_report(
    slot: Slot, intents: list[tuple[str, ShopperIntent]], count: int, examples: int
) -> SlotReport:
    filled = [(u, i) for u, i in intents if slot in i.filled_slots()]
    step = max(1, len(filled) // max(1, examples))
    picked = filled[::step][:examples]
    return SlotReport(
        slot=slot,
        needs_catalog=slot in CATALOG_SLOTS,
        filled=len(filled),
        rate=round(len(filled) / count, 4) if count else 0.0,
        examples=[SlotExample(utterance=u[:300], value=slot_value(i, slot)) for u, i in picked],
    )


def slot_value(intent: ShopperIntent, slot: Slot) -> str:
    """A slot's value as compact text."""
    value: Any = getattr(intent, slot)
    if isinstance(value, BaseModel):
        return json.dumps(value.model_dump(mode="json", exclude_defaults=True), sort_keys=True)
    if isinstance(value, list) and value and isinstance(value[0], BaseModel):
        return json.dumps([v.model_dump(mode="json") for v in value], sort_keys=True)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    return str(value)


def _p95(values: list[float]) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def load_utterances(path: Path) -> list[str]:
    """Utterances from a JSON file (a list of strings or of objects with a text field, or an
    object holding such lists) or a CSV/TSV file with a query, utterance or text column."""
    if not path.is_file():
        raise InputError("file not found", file=str(path))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError("not UTF-8 text", file=str(path)) from exc
    if path.suffix.lower() in (".csv", ".tsv"):
        return _from_table(text, str(path))
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not JSON: {exc.msg}", file=str(path), line=exc.lineno) from exc
    found = _strings(data, str(path))
    if not found:
        raise InputError("no utterances found", file=str(path))
    return found


def _strings(data: Any, file: str) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, list):
        return [s for i, item in enumerate(data) for s in _item(item, file, i)]
    if isinstance(data, dict):
        for key in _LIST_KEYS:
            if isinstance(data.get(key), list):
                return _strings(data[key], file)
        return [
            s for value in data.values() if isinstance(value, list) for s in _strings(value, file)
        ]
    raise InputError("expected a list of utterances", file=file)


def _item(item: Any, file: str, index: int) -> list[str]:
    if isinstance(item, str):
        return [item]
    if isinstance(item, dict):
        for key in _TEXT_KEYS:
            if isinstance(item.get(key), str):
                return [item[key]]
    raise InputError(f"item {index} is neither a string nor an object with a text field", file=file)


def _from_table(text: str, file: str) -> list[str]:
    first = text.split("\n", 1)[0]
    reader = csv.DictReader(io.StringIO(text), delimiter="\t" if "\t" in first else ",")
    column = next((k for k in ("query", *_TEXT_KEYS) if k in (reader.fieldnames or [])), None)
    if column is None:
        raise InputError(f"no column named one of {', '.join(('query', *_TEXT_KEYS))}", file=file)
    return [row[column] or "" for row in reader]
