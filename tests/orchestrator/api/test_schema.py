"""Property-based requests generated from the OpenAPI document: no answer is a server error,
and every answer matches the document (status codes, content types, response schemas)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

from config import Settings
from orchestrator.api.app import create_app
from tests.orchestrator.api.conftest import ADMIN, SHOPPER_1, with_api
from tests.orchestrator.demo import NOW

AUTH = {"authorization", "x-api-key"}
SPEC = create_app(Settings(database_url="sqlite://")).openapi()
schema = schemathesis.openapi.from_dict(SPEC)


@pytest.fixture(scope="module")
def api(demo_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(with_api(demo_settings), clock=lambda: NOW)) as client:
        yield client


@schema.parametrize()
@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_generated_requests_get_documented_answers(
    case: schemathesis.Case[Any], api: TestClient
) -> None:
    headers = SHOPPER_1 if case.path.startswith("/v1/chat") else ADMIN
    kwargs = case.as_transport_kwargs()
    kwargs.pop("base_url", None)
    generated = {k: v for k, v in kwargs.get("headers", {}).items() if k.lower() not in AUTH}
    kwargs["headers"] = {**generated, **headers}
    if not kwargs.get("cookies"):
        kwargs.pop("cookies", None)
    if "data" in kwargs:
        kwargs["content"] = kwargs.pop("data")
    response = api.request(**kwargs)
    assert response.status_code < 500, response.text
    # Credentials are ours (a valid key each time), so the generated-auth check does not apply;
    # some constraints span fields (min price <= max price), so a valid-looking query may get 422.
    case.validate_response(response, excluded_checks=[ignored_auth, positive_data_acceptance])
