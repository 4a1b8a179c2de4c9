from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from config import Settings
from orchestrator.api.app import create_app
from tools.store import Product, transaction


def _client(url: str) -> TestClient:
    return TestClient(create_app(Settings(database_url=url)))


def test_health_reports_empty_then_ok(sqlite_url: str, sqlite_engine: Engine) -> None:
    with _client(sqlite_url) as client:
        first = client.get("/health").json()
        assert (first["status"], first["database"], first["products"]) == ("ok", "empty", 0)
        with transaction(sqlite_engine) as session:
            session.add(
                Product(
                    sku="A",
                    variant_group="A",
                    title="Tent",
                    category="outdoor/tents",
                    list_price_cents=100,
                    unit_cost_cents=50,
                )
            )
        body = client.get("/health").json()
        assert (body["status"], body["database"], body["products"]) == ("ok", "ok", 1)


def test_health_is_503_when_the_store_is_unreachable(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'no-schema.db'}"
    with _client(url) as client:
        response = client.get("/health")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
    assert response.json()["concierge"] == "unavailable"
    assert "concierge init" in response.json()["detail"]


def test_without_a_store_the_api_answers_503_with_a_reason(tmp_path: Path) -> None:
    with _client(f"sqlite:///{tmp_path / 'no-schema.db'}") as client:
        response = client.get("/v1/me", headers={"Authorization": "Bearer dev-key-admin"})
    assert response.status_code == 503
    assert response.json()["error"]["reason"] == "unavailable"


def test_openapi_documents_every_route(sqlite_url: str, sqlite_engine: Engine) -> None:
    with _client(sqlite_url) as client:
        spec = client.get("/openapi.json").json()
        assert client.get("/docs").status_code == 200
    paths = spec["paths"]
    for path in (
        "/health",
        "/metrics",
        "/v1/chat",
        "/v1/chat/complete",
        "/v1/threads/{thread_id}",
        "/v1/search",
        "/v1/recommendations",
        "/v1/merch/tasks",
        "/v1/approvals",
        "/v1/approvals/{decision_id}",
        "/v1/audit",
        "/v1/tokens",
        "/v1/me",
    ):
        assert path in paths, path
    chat = paths["/v1/chat"]["post"]
    assert "text/event-stream" in chat["responses"]["200"]["content"]
    assert chat["tags"] == ["chat"] and chat["security"]
    schemes = spec["components"]["securitySchemes"]
    assert {"HTTPBearer", "APIKeyHeader"} <= set(schemes)
    complete = paths["/v1/chat/complete"]["post"]["responses"]
    assert complete["200"]["content"]["application/json"]["schema"]["$ref"].endswith("TurnResult")
    assert complete["429"]["content"]["application/json"]["schema"]["$ref"].endswith("ErrorBody")
    assert spec["components"]["schemas"]["ChatRequest"]["examples"]
