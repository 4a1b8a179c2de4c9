"""The storefront through a real MCP client in memory: tools, scopes, proposals, resources."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError

from config import Settings
from mcp_servers.storefront.identity import AgentIdentity
from mcp_servers.storefront.server import create_server
from orchestrator.approvals import human_decision
from policies.actions import parse_action, sha256_hex
from policies.actions.base import canonical_json
from policies.audit import AuditRecord, DecisionLog
from policies.decision import Effect, PolicyDecision, Reason
from policies.loader import BUILTIN_DIR, load_pack
from tests.mcp_servers.storefront.conftest import (
    JACKET,
    OTHER_SHOPPER,
    SHOPPER,
    call,
    error,
    identity,
)
from tests.orchestrator.demo import engine_of, rows
from tools.pricing import Quote, honour_quote
from tools.store.types import utcnow

READ = {"search_products", "get_product", "check_availability", "get_quote", "proposal_status"}
PROPOSE = {"personal_picks", "propose_offer", "propose_cart"}


def _store_fingerprint(settings: Settings) -> str:
    digest = hashlib.sha256()
    tables = rows(settings, "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
    for (table,) in tables:
        if not table.startswith("audit_"):
            for row in rows(settings, f'SELECT * FROM "{table}" ORDER BY rowid'):
                digest.update(repr((table, row)).encode())
    return digest.hexdigest()


def _with(settings: Settings, who: AgentIdentity | None, work: Any, **server: Any) -> Any:
    async def main() -> Any:
        async with Client(create_server(settings, identity=who, **server)) as client:
            return await work(client)

    return anyio.run(main)


def test_tools_say_what_they_do_and_whether_they_change_anything(store: Settings) -> None:
    async def work(client: Client) -> None:
        tools = {t.name: t for t in (await client.list_tools()).tools}
        assert set(tools) == READ | PROPOSE
        for name, tool in tools.items():
            assert tool.description and tool.output_schema and tool.annotations
            assert tool.annotations.read_only_hint is (name in READ)
            assert tool.annotations.destructive_hint in (None, False)
        resources = {str(r.uri) for r in (await client.list_resources()).resources}
        assert resources == {"storefront://categories", "storefront://policies"}

    _with(store, identity("lister"), work)


def test_read_only_tools_answer_from_the_store(store: Settings) -> None:
    async def work(client: Client) -> None:
        found = await call(client, "search_products", {"query": "shorts", "k": 3})
        assert 0 < len(found["products"]) <= 3
        assert all("shorts" in p["category"] for p in found["products"])
        cheap = await call(client, "search_products", {"query": "", "max_price_cents": 1500})
        assert cheap["products"] and all(p["price_cents"] <= 1500 for p in cheap["products"])
        product = await call(client, "get_product", {"sku": JACKET})
        assert product["price_cents"] == 20999 and product["available_units"] > 0
        assert not any("cost" in key for key in product)
        mine = await call(client, "check_availability", {"sku": JACKET, "quantity": 2})
        assert mine["for_shopper"] and mine["options"] and mine["total_available"] > 0
        there = {"sku": JACKET, "latitude": 37.78, "longitude": -122.4, "timezone": "UTC"}
        elsewhere = await call(client, "check_availability", there)
        assert not elsewhere["for_shopper"]
        assert sum(loc["available"] for loc in mine["locations"]) == mine["total_available"]
        quote = Quote.model_validate(await call(client, "get_quote", {"sku": JACKET}))
        assert (quote.price_cents, quote.shopper_id, quote.offer) == (20999, SHOPPER, "none")
        assert quote.expires_at - quote.created_at == timedelta(minutes=30)
        assert honour_quote(quote=quote, now=quote.created_at) == 20999
        assert "no product" in await error(client, "get_product", {"sku": "NOPE"})
        assert "unknown sku" in await error(client, "get_quote", {"sku": "NOPE"})
        bad = {"min_price_cents": 500, "max_price_cents": 100}
        assert "above" in await error(client, "search_products", bad)

    _with(store, identity("reader"), work)


def test_every_tool_checks_its_scope(store: Settings) -> None:
    async def narrow(client: Client) -> None:
        await call(client, "get_product", {"sku": JACKET})
        for tool, args in (
            ("get_quote", {"sku": JACKET}),
            ("propose_offer", {"sku": JACKET}),
            ("personal_picks", {}),
            ("propose_cart", {"lines": [{"sku": JACKET, "quantity": 1}]}),
        ):
            assert "insufficient_scope" in await error(client, tool, args), tool

    _with(store, identity("narrow", "catalog:read"), narrow)

    async def anonymous(client: Client) -> None:
        assert "acts for a shopper" in await error(client, "personal_picks", {})
        assert (await call(client, "get_quote", {"sku": JACKET}))["shopper_id"] is None

    _with(
        store,
        identity("anon", "catalog:read", "price:quote", "shopper:read", shopper_id=None),
        anonymous,
    )

    async def nobody(client: Client) -> None:
        assert "unauthenticated" in await error(client, "get_product", {"sku": JACKET})
        with pytest.raises(MCPError, match="unauthenticated"):
            await client.read_resource("storefront://policies")

    _with(store, None, nobody)
    expired = AgentIdentity(
        "late", frozenset({"catalog:read"}), None, int(utcnow().timestamp()) - 1
    )

    async def late(client: Client) -> None:
        assert "expired" in await error(client, "get_product", {"sku": JACKET})

    _with(store, expired, late)


def _cart(sku: str = JACKET, quantity: int = 1, **line: Any) -> dict[str, Any]:
    return {"lines": [{"sku": sku, "quantity": quantity, **line}]}


def _codes(verdict: dict[str, Any]) -> list[str]:
    return [r["code"] for r in verdict["reasons"]]


def test_carts_are_decided_by_the_policy_checker_and_never_written(store: Settings) -> None:
    before = _store_fingerprint(store)

    async def work(client: Client) -> None:
        ok = await call(client, "propose_cart", _cart(quantity=2))
        assert (ok["effect"], ok["executable"], _codes(ok)) == ("approve", True, ["CART_ALLOWED"])
        assert ok["total_cents"] == 41998 and ok["cart"]["lines"][0]["unit_price_cents"] == 20999
        cheap = await call(client, "propose_cart", _cart(unit_price_cents=15000))
        assert (cheap["effect"], cheap["cart"]) == ("deny", None)
        assert _codes(cheap) == ["CART_PRICE_NOT_CURRENT"]
        assert "list price" in cheap["reasons"][0]["message"]
        too_many = await call(client, "propose_cart", _cart(quantity=11))
        assert "LINE_QUANTITY_LIMIT" in _codes(too_many) and too_many["effect"] == "deny"
        ghost = await call(client, "propose_cart", _cart(sku="NOPE"))
        assert "UNKNOWN_PRODUCT" in _codes(ghost) and ghost["effect"] == "deny"
        status = await call(client, "proposal_status", {"decision_id": cheap["decision_id"]})
        assert (status["kind"], status["effect"], status["resolution"]) == (
            "propose_cart",
            "deny",
            None,
        )
        assert status["decision_hash"] == cheap["decision_hash"]

    _with(store, identity("cart-bot"), work)
    assert _store_fingerprint(store) == before  # only the decision log grew
    logged = rows(
        store, "SELECT actor, effect, context FROM audit_records WHERE actor = 'cart-bot'"
    )
    assert [effect for _, effect, _ in logged] == ["approve", "deny", "deny", "deny"]
    assert all('"kind":"external_agent"' in context.replace(" ", "") for _, _, context in logged)


def test_the_daily_spend_limit_is_per_agent(store: Settings) -> None:
    async def big_spender(client: Client) -> None:
        first = await call(client, "propose_cart", _cart(quantity=4))  # $839.96 of $1,000
        assert first["effect"] == "approve"
        over = await call(client, "propose_cart", _cart(quantity=1))
        assert (over["effect"], _codes(over)) == ("deny", ["SPEND_LIMIT_EXCEEDED"])
        small = await call(client, "propose_cart", _cart(sku="SKU-0000102", quantity=1))
        assert small["effect"] == "approve"  # denied carts spent nothing: $18.99 still fits

    _with(store, identity("spender"), big_spender)

    async def another_agent(client: Client) -> None:
        assert (await call(client, "propose_cart", _cart(quantity=1)))["effect"] == "approve"

    _with(store, identity("frugal"), another_agent)


def test_personal_picks_need_the_shoppers_consent(store: Settings) -> None:
    async def consented(client: Client) -> None:
        picks = await call(client, "personal_picks", {"k": 4})
        assert (picks["effect"] in ("approve", "modify")) and picks["shopper_id"] == SHOPPER
        assert 0 < len(picks["items"]) <= 4
        assert [p["rank"] for p in picks["items"]] == list(range(1, len(picks["items"]) + 1))
        assert all(p["reasons"] and p["price_cents"] > 0 for p in picks["items"])

    _with(store, identity("picker"), consented)

    async def refused(client: Client) -> None:
        picks = await call(client, "personal_picks", {"k": 4})
        assert (picks["effect"], picks["items"]) == ("deny", [])
        assert _codes(picks) == ["NO_PERSONALIZATION_CONSENT"]

    _with(store, identity("picker", shopper_id=OTHER_SHOPPER), refused)


def test_an_offer_is_the_engines_choice_as_the_checker_decided(store: Settings) -> None:
    async def work(client: Client) -> None:
        offer = await call(client, "propose_offer", {"sku": "SKU-0000102"})
        assert offer["effect"] in ("approve", "modify") and offer["executable"]
        quote = offer["quote"]
        assert (quote["kind"], quote["shopper_id"], quote["sku"]) == (
            "quote_offer",
            SHOPPER,
            "SKU-0000102",
        )
        assert quote["price_cents"] <= 1899 and offer["pricing_decision_id"].startswith("od-")
        if quote["personalised"]:
            assert quote["disclosure"]  # the checker attached the pricing disclosure
        status = await call(client, "proposal_status", {"decision_id": offer["decision_id"]})
        assert status["action"] == quote and status["kind"] == "quote_offer"
        assert "unknown sku" in await error(client, "propose_offer", {"sku": "NOPE"})

    _with(store, identity("offer-bot"), work)


def test_a_proposal_is_visible_only_to_its_agent_and_shopper(store: Settings) -> None:
    async def propose(client: Client) -> str:
        return str((await call(client, "propose_cart", _cart()))["decision_id"])

    decision_id = _with(store, identity("owner"), propose)

    async def look(client: Client) -> str:
        return await error(client, "proposal_status", {"decision_id": decision_id})

    not_found = f"no proposal {decision_id!r}"
    assert not_found in _with(store, identity("intruder"), look)
    assert not_found in _with(store, identity("owner", shopper_id=OTHER_SHOPPER), look)

    async def missing(client: Client) -> str:
        return await error(client, "proposal_status", {"decision_id": "0" * 32})

    assert f"no proposal {'0' * 32!r}" in _with(store, identity("owner"), missing)


def test_an_escalated_cart_shows_a_persons_verdict(store: Settings, tmp_path: Path) -> None:
    pack_dir = tmp_path / "pack"
    shutil.copytree(BUILTIN_DIR / "default", pack_dir)
    (pack_dir / "review.yaml").write_text(
        "rules:\n"
        "  - id: test.cart_review\n    version: 1\n"
        "    description: Big carts wait for a person.\n"
        "    applies_to: [propose_cart]\n    when: 'd.spend_cents > 50000'\n"
        "    effect: escalate\n    reason: CART_NEEDS_REVIEW\n"
    )
    pack = load_pack(pack_dir)

    async def propose(client: Client) -> dict[str, Any]:
        return await call(client, "propose_cart", _cart(quantity=3))

    escalated = _with(store, identity("reviewed"), propose, pack=pack)
    assert (escalated["effect"], _codes(escalated)) == ("escalate", ["CART_NEEDS_REVIEW"])
    assert not escalated["executable"] and escalated["cart"] is not None
    with engine_of(store) as engine:
        log = DecisionLog(engine)
        record = log.get(escalated["decision_id"])
        assert record is not None
        human_decision(
            _decision(record), approver="manager", approved=True, note="ok", now=utcnow(), log=log
        )

    async def look(client: Client) -> dict[str, Any]:
        return await call(client, "proposal_status", {"decision_id": escalated["decision_id"]})

    status = _with(store, identity("reviewed"), look, pack=pack)
    assert status["effect"] == "escalate"
    resolution = status["resolution"]
    assert resolution["effect"] == "approve" and resolution["executable"]
    assert [r["code"] for r in resolution["reasons"]] == ["HUMAN_APPROVED"]


def _decision(record: AuditRecord) -> PolicyDecision:
    assert record.final_action is not None
    return PolicyDecision(
        decision_id=record.decision_id,
        actor=record.actor,
        action_kind=record.action_kind,
        action_hash=record.action_hash,
        effect=Effect(record.effect),
        action=parse_action(record.final_action),
        final_action_hash=sha256_hex(canonical_json(record.final_action)),
        reasons=tuple(Reason.model_validate(r) for r in record.reasons),
        evaluated_rules=tuple(record.evaluated_rules),
        policy_version=record.policy_version,
        latency_ms=record.latency_ms,
        decided_at=record.created_at,
        decision_hash=record.decision_hash,
    )


def test_resources_describe_categories_and_policies(store: Settings) -> None:
    async def work(client: Client) -> tuple[str, str]:
        categories = await client.read_resource("storefront://categories")
        policies = await client.read_resource("storefront://policies")
        return getattr(categories.contents[0], "text", ""), getattr(
            policies.contents[0], "text", ""
        )

    categories_text, policies_text = _with(store, identity("browser", "catalog:read"), work)

    categories = json.loads(categories_text)["categories"]
    assert (
        sum(c["products"] for c in categories) == rows(store, "SELECT count(*) FROM products")[0][0]
    )
    assert all(c["min_price_cents"] <= c["max_price_cents"] for c in categories)
    policies = json.loads(policies_text)
    assert policies["agent_daily_spend_cents"] == 100_000
    assert policies["max_line_quantity"] == 10 and policies["quote_minutes"] == 30
    assert set(policies["scopes"]) == {"catalog:read", "price:quote", "shopper:read", "cart:write"}
    stores = rows(store, "SELECT id FROM locations WHERE kind = 'store' ORDER BY id")
    assert [p["location_id"] for p in policies["pickup_locations"]] == [s for (s,) in stores]
    assert "cost" not in policies_text
