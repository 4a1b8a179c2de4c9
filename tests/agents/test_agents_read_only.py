"""Agents never write: they only propose. Statically (no write path is imported) and at run time
(every agent run against the real servers leaves the store byte for byte as it was)."""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path
from typing import Any

import anyio
import pytest

from agents import intent, inventory, messaging, preference, pricing
from agents.intent import Understanding
from agents.tool_client import BoundedTools
from agents.tool_hub import ToolHub
from config import Settings
from mcp_servers.registry import build_server, server_names
from tests.orchestrator.demo import NOW, SHOPPER, rows
from tools.query import CatalogVocabulary, needs_clarification, parse
from tools.store import make_engine

AGENT_MODULES = [intent, inventory, messaging, preference, pricing]
ROOT = Path(__file__).resolve().parents[2] / "agents"
FORBIDDEN_MODULES = ("sqlalchemy", "sqlmodel", "tools.store", "orchestrator")
FORBIDDEN_NAMES = {"enqueue", "apply_hold", "record_quote", "transaction", "Session"}


def _imports(path: Path) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [(alias.name, "") for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found += [(node.module or "", alias.name) for alias in node.names]
    return found


@pytest.mark.parametrize("path", sorted(ROOT.glob("*.py")), ids=lambda p: p.name)
def test_agent_modules_import_no_way_to_write(path: Path) -> None:
    for module, name in _imports(path):
        assert not module.startswith(FORBIDDEN_MODULES), f"{path.name} imports {module}"
        assert name not in FORBIDDEN_NAMES, f"{path.name} imports {module}.{name}"


def _fingerprint(settings: Settings) -> str:
    digest = hashlib.sha256()
    tables = rows(settings, "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
    for (table,) in tables:
        for row in rows(settings, f'SELECT * FROM "{table}" ORDER BY rowid'):
            digest.update(repr((table, row)).encode())
    return digest.hexdigest()


async def _every_agent(hub: ToolHub, settings: Settings) -> list[Any]:
    engine = make_engine(settings.resolved_database_url)
    vocabulary = CatalogVocabulary.from_store(engine)
    engine.dispose()
    wanted = parse("shorts", vocabulary=vocabulary, now=NOW)
    understood = Understanding(intent=wanted, clarification=needs_clarification(wanted))
    found = await intent.run(BoundedTools(hub, intent.SPEC), understood)
    ranked = await preference.run(
        BoundedTools(hub, preference.SPEC),
        shopper_id=SHOPPER,
        candidates=found.candidates,
        query="shorts",
        now=NOW,
    )
    ask = inventory.InventoryRequest(
        candidates=ranked.ranked, shopper_id=SHOPPER, hold=True, pickup=True, now=NOW
    )
    stocked = await inventory.run(BoundedTools(hub, inventory.SPEC), ask)
    first, gone = stocked.shown[0].sku, stocked.out_of_stock[0].sku
    offer = await pricing.run(
        BoundedTools(hub, pricing.SPEC),
        pricing.PricingRequest(sku=first, shopper_id=SHOPPER, now=NOW),
    )
    message = await messaging.run(
        BoundedTools(hub, messaging.SPEC),
        messaging.MessagingRequest(
            shopper_id=SHOPPER, skus=(gone,), postal_address="1 Main St", now=NOW
        ),
    )
    return [found, ranked, stocked, offer, message]


def test_running_every_agent_leaves_the_store_unchanged(demo_settings: Settings) -> None:
    before = _fingerprint(demo_settings)

    async def main() -> list[Any]:
        servers = {name: build_server(name, demo_settings) for name in server_names()}
        async with ToolHub.open(servers) as hub:
            return await _every_agent(hub, demo_settings)

    found, ranked, stocked, offer, message = anyio.run(main)
    assert found.candidates and ranked.ranked
    assert stocked.show is not None and stocked.fulfilment is not None
    assert offer.quote.sku == stocked.shown[0].sku
    assert message.message.purpose == "back_in_stock"
    assert _fingerprint(demo_settings) == before


def test_the_pricing_agent_cannot_send_a_protected_attribute() -> None:
    assert set(pricing.PricingRequest.model_fields) == {"sku", "shopper_id", "quantity", "now"}
    source = (ROOT / "pricing.py").read_text()
    call = source[source.index("args = {") : source.index("}", source.index("args = {"))]
    assert [k for k in ("sku", "shopper_id", "quantity") if f'"{k}"' in call] == [
        "sku",
        "shopper_id",
        "quantity",
    ]
    assert call.count(":") == 3
