"""`concierge eval utterances`: run the query parser over a file of shopping requests."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from orchestrator.cli.context import console, emit_json, handle_errors, state
from tools.exceptions import InputError

if TYPE_CHECKING:
    from evals.utterances import UtteranceReport
    from tools.query import CatalogVocabulary


def register(eval_app: typer.Typer) -> None:
    """Add `utterances` to the `eval` command group."""
    eval_app.command("utterances")(utterances)


@handle_errors
def utterances(
    file: Annotated[Path, typer.Option("--file", help="JSON list of utterances, or CSV/TSV.")],
    vocabulary_from_store: Annotated[
        bool,
        typer.Option(
            "--vocabulary-from-store",
            help="Match catalog words from the configured store (else only catalog-free slots).",
        ),
    ] = False,
    vocabulary_file: Annotated[
        Path | None, typer.Option("--vocabulary", help="A vocabulary saved as JSON.")
    ] = None,
    now: Annotated[
        str | None, typer.Option(help="ISO date-time that 'today' and 'by Friday' refer to.")
    ] = None,
    examples: Annotated[int, typer.Option(min=0, max=20, help="Examples per slot.")] = 3,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    out: Annotated[Path | None, typer.Option(help="Also write the JSON to this file.")] = None,
) -> None:
    """Parse every utterance; report exceptions (must be 0) and how often each slot was filled.

    Catalog slots (category, attributes, brands, tags) use the configured store's vocabulary
    with --vocabulary-from-store, or a saved one with --vocabulary; budget, quantity, negations,
    fulfilment, gift, occasion, recipient and sort need no catalog and are reported either way.
    """
    from evals.utterances import load_utterances, run_utterance_eval

    vocabulary, source = _vocabulary(vocabulary_from_store, vocabulary_file)
    report = run_utterance_eval(
        load_utterances(file),
        vocabulary=vocabulary,
        vocabulary_source=source,
        now=_now(now),
        file=str(file),
        examples_per_slot=examples,
    )
    emit_json(report.model_dump(mode="json"), as_json=as_json, out=out)
    if not as_json:
        _print(report)
    if not report.passed:
        raise typer.Exit(code=1)


def _vocabulary(from_store: bool, path: Path | None) -> tuple[CatalogVocabulary, str]:
    from tools.query import CatalogVocabulary

    if from_store and path is not None:
        raise InputError("give either --vocabulary-from-store or --vocabulary, not both")
    if path is not None:
        if not path.is_file():
            raise InputError("file not found", file=str(path))
        return CatalogVocabulary.from_json(path.read_bytes()), str(path)
    if not from_store:
        return CatalogVocabulary(), "none (catalog-free slots only)"
    from tools.store.engine import has_schema

    engine = state.engine()
    try:
        if not has_schema(engine):
            raise InputError("the store is empty: run `concierge init` or `concierge import`")
        return CatalogVocabulary.from_store(engine), state.settings.resolved_database_url
    finally:
        engine.dispose()


def _now(text: str | None) -> datetime:
    if text is None:
        return datetime.now(UTC)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise InputError(f"not an ISO date-time: {text!r}", field="now") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _print(report: UtteranceReport) -> None:
    from rich.markup import escape
    from rich.table import Table

    v = report.vocabulary
    console.print(
        f"{report.count:,} utterances from {escape(report.file)}: {report.exceptions} exceptions, "
        f"{report.needs_clarification:,} too vague to search, {report.truncated} truncated; "
        f"parse {report.parse_ms_mean:.2f} ms mean, {report.parse_ms_p95:.2f} ms p95",
        highlight=False,
    )
    console.print(
        f"vocabulary: {escape(v.source)} ({v.products:,} products, {v.categories:,} categories, "
        f"{v.attribute_keys:,} attribute keys, {v.brands:,} brands, {v.tags:,} tags)",
        highlight=False,
    )
    table = Table("slot", "catalog", "filled", "rate", "example")
    for slot in report.slots:
        example = slot.examples[0] if slot.examples else None
        table.add_row(
            slot.slot,
            "yes" if slot.needs_catalog else "no",
            f"{slot.filled:,}",
            f"{slot.rate:.1%}",
            escape(f"{example.utterance[:60]!r} -> {example.value[:50]}") if example else "",
        )
    console.print(table)
