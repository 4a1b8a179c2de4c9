"""Fixtures of the API tests: one app per test module on its own copy of the small demo store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from config import Settings
from config.settings import ApiSettings, RateLimit
from orchestrator.api.app import create_app
from tests.orchestrator.demo import NOW

ROOMY = {
    role: RateLimit(per_minute=100_000, burst=10_000)
    for role in ("shopper", "merchandiser", "admin")
}


def auth(key: str) -> dict[str, str]:
    """The header that presents a key or token."""
    return {"Authorization": f"Bearer {key}"}


SHOPPER_1 = auth("dev-key-shopper-1")
SHOPPER_2 = auth("dev-key-shopper-2")
MERCHANDISER = auth("dev-key-merchandiser")
ADMIN = auth("dev-key-admin")


def with_api(settings: Settings, **api: object) -> Settings:
    """The settings with API settings replaced (roomy rate limits unless given)."""
    values = {"rate_limits": ROOMY, **api}
    return settings.model_copy(update={"api": ApiSettings.model_validate(values)})


@pytest.fixture(scope="module")
def client(demo_settings: Settings) -> Iterator[TestClient]:
    """A client of an app on the module's demo store, its clock at the demo's `NOW`."""
    with TestClient(create_app(with_api(demo_settings), clock=lambda: NOW)) as test_client:
        yield test_client


def sse_events(body: str) -> list[tuple[str, int, dict[str, Any]]]:
    """(event, id, data) of each server-sent event in a body; comments are skipped."""
    found = []
    for block in body.strip().split("\n\n"):
        fields: dict[str, str] = {}
        for line in block.splitlines():
            name, _, value = line.partition(": ")
            if name and not name.startswith(":"):
                fields[name] = value
        if fields:
            found.append((fields["event"], int(fields["id"]), json.loads(fields["data"])))
    return found
