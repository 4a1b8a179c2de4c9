"""`GET /metrics`: Prometheus text with requests by route and status, turns, decisions by effect."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from config import Settings
from orchestrator.api.app import create_app
from tests.orchestrator.api.conftest import ADMIN, SHOPPER_1, with_api
from tests.orchestrator.demo import NOW


def _samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_metrics_count_requests_turns_and_decisions(client: TestClient) -> None:
    client.get("/v1/threads/th_none", headers=SHOPPER_1)
    client.post("/v1/chat/complete", json={"message": "vegan shampoo under $20"}, headers=SHOPPER_1)
    client.get("/v1/me")
    client.get("/v1/search", params={"q": "toner"}, headers=SHOPPER_1)
    response = client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    samples = _samples(response.text)
    route = frozenset(
        {"method": "GET", "route": "/v1/threads/{thread_id}", "status": "404"}.items()
    )
    assert samples[("concierge_http_requests_total", route)] == 1
    unauthenticated = frozenset({"method": "GET", "route": "/v1/me", "status": "401"}.items())
    assert samples[("concierge_http_requests_total", unauthenticated)] == 1
    turns = frozenset({"mode": "shopper", "outcome": "finished"}.items())
    assert samples[("concierge_turns_total", turns)] >= 1
    approved = [
        v
        for (name, labels), v in samples.items()
        if name == "concierge_policy_decisions_total" and ("effect", "approve") in labels
    ]
    assert sum(approved) >= 1
    shown = [
        v
        for (name, labels), v in samples.items()
        if name == "concierge_policy_decisions_total" and ("kind", "show_recommendations") in labels
    ]
    assert sum(shown) >= 2, "a turn's list and the search list were both decided"
    latency = frozenset({"method": "POST", "route": "/v1/chat/complete", "le": "+Inf"}.items())
    assert samples[("concierge_http_request_duration_seconds_bucket", latency)] >= 1


@pytest.fixture
def private(demo_settings: Settings) -> Iterator[TestClient]:
    settings = with_api(demo_settings, metrics_public=False)
    with TestClient(create_app(settings, clock=lambda: NOW)) as client:
        yield client


def test_private_metrics_are_for_admins(private: TestClient) -> None:
    assert private.get("/metrics").status_code == 401
    assert private.get("/metrics", headers=SHOPPER_1).status_code == 403
    assert private.get("/metrics", headers=ADMIN).status_code == 200
