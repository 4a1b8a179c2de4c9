"""Body size (413) and per-caller rate limits (429 with Retry-After), before any work is done."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from config import Settings
from config.settings import RateLimit
from orchestrator.api.app import create_app
from orchestrator.api.limits import RateLimiter
from tests.orchestrator.api.conftest import SHOPPER_1, SHOPPER_2, with_api
from tests.orchestrator.demo import NOW, count


@pytest.fixture(scope="module")
def tight(demo_settings: Settings) -> Iterator[TestClient]:
    """An app whose shoppers may make 2 requests at once, then 1 a minute; bodies up to 2 KiB."""
    limits = {"shopper": {"per_minute": 1, "burst": 2}}
    settings = with_api(demo_settings, rate_limits=limits, max_body_bytes=2048)
    with TestClient(create_app(settings, clock=lambda: NOW)) as client:
        yield client


def test_a_declared_body_over_the_limit_is_refused_before_authentication(
    tight: TestClient,
) -> None:
    response = tight.post("/v1/chat/complete", content=b"x" * 4096)
    assert response.status_code == 413
    error = response.json()["error"]
    assert (error["reason"], error["field"]) == ("body_too_large", "body")


def test_a_streamed_body_over_the_limit_is_refused(tight: TestClient) -> None:
    chunks = (b"y" * 1024 for _ in range(3))
    response = tight.post(
        "/v1/chat/complete",
        content=chunks,
        headers={**SHOPPER_2, "Content-Type": "application/json"},
    )
    assert response.status_code == 413


def test_over_the_rate_a_caller_gets_429_and_no_turn_runs(
    tight: TestClient, demo_settings: Settings
) -> None:
    threads_before = count(tight_settings(tight), "api_threads")
    assert tight.get("/v1/me", headers=SHOPPER_1).status_code == 200
    assert tight.get("/v1/me", headers=SHOPPER_1).status_code == 200
    refused = tight.post("/v1/chat/complete", json={"message": "toner"}, headers=SHOPPER_1)
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    assert refused.json()["error"]["reason"] == "rate_limited"
    assert count(tight_settings(tight), "api_threads") == threads_before
    metrics = tight.get("/metrics").text
    assert 'concierge_rate_limited_requests_total{role="shopper"} 1.0' in metrics
    other = tight.get("/v1/me", headers=SHOPPER_2)
    assert other.status_code == 200, "each caller has a bucket of their own"


def tight_settings(client: TestClient) -> Settings:
    settings: Settings = client.app.state.services.settings  # type: ignore[attr-defined]
    return settings


def test_buckets_refill_at_the_configured_rate() -> None:
    now = [0.0]
    limiter = RateLimiter({"shopper": RateLimit(per_minute=60, burst=2)}, clock=lambda: now[0])
    assert limiter.take("a", "shopper").allowed and limiter.take("a", "shopper").allowed
    refused = limiter.take("a", "shopper")
    assert not refused.allowed and refused.retry_after_s == 1
    now[0] = 1.0
    assert limiter.take("a", "shopper").allowed
    assert not limiter.take("a", "shopper").allowed
    now[0] = 100.0
    assert limiter.take("a", "shopper").remaining == 1, "refills up to the burst only"
    assert limiter.take("b", "unknown-role").allowed
