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
        assert client.get("/health").json() == {"status": "ok", "database": "empty", "products": 0}
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
        assert body == {"status": "ok", "database": "ok", "products": 1}


def test_health_is_503_when_the_store_is_unreachable(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'no-schema.db'}"
    with _client(url) as client:
        response = client.get("/health")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_openapi_documents_health(sqlite_url: str, sqlite_engine: Engine) -> None:
    with _client(sqlite_url) as client:
        spec = client.get("/openapi.json").json()
        assert "/health" in spec["paths"]
        assert client.get("/docs").status_code == 200
