"""Who may call what: keys (dev, configured, stored), signed tokens, roles, prod refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from config import Settings, UnsafeSettingError
from orchestrator.api import tokens
from orchestrator.api.app import create_app
from orchestrator.api.keys import create_key, revoke_key, sha256_hex
from orchestrator.api.principals import Principal
from tests.orchestrator.api.conftest import ADMIN, MERCHANDISER, SHOPPER_1, auth, with_api
from tests.orchestrator.demo import NOW, engine_of

PROTECTED = [
    ("GET", "/v1/me"),
    ("POST", "/v1/chat"),
    ("POST", "/v1/chat/complete"),
    ("GET", "/v1/threads/th_x"),
    ("GET", "/v1/search"),
    ("GET", "/v1/recommendations"),
    ("POST", "/v1/merch/tasks"),
    ("GET", "/v1/merch/tasks/task_x"),
    ("GET", "/v1/approvals"),
    ("POST", "/v1/approvals/abc"),
    ("GET", "/v1/audit"),
    ("POST", "/v1/tokens"),
]
STAFF_ONLY = [
    ("POST", "/v1/merch/tasks", {"task": "boost vegan skincare 20%"}),
    ("GET", "/v1/merch/tasks/task_x", None),
    ("GET", "/v1/approvals", None),
    ("POST", "/v1/approvals/abc", {"approve": True}),
    ("GET", "/v1/audit", None),
]


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_every_route_under_v1_needs_credentials(client: TestClient, method: str, path: str) -> None:
    response = client.request(method, path, json={})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["error"]["reason"] == "credentials_missing"


def test_unknown_keys_and_bad_tokens_are_refused(client: TestClient) -> None:
    assert client.get("/v1/me", headers=auth("dev-key-nobody")).json()["error"]["reason"] == (
        "key_invalid"
    )
    assert client.get("/v1/me", headers={"X-API-Key": "ck_000000000000_x"}).status_code == 401
    assert client.get("/v1/me", headers={"Authorization": "Basic abc"}).status_code == 401
    forged = tokens.issue(
        Settings(secret_key="another-secret"),
        Principal(subject="x", role="admin"),
        ttl_s=600,
        now=NOW,
    )
    response = client.get("/v1/me", headers=auth(forged))
    assert response.status_code == 401 and response.json()["error"]["reason"] == "token_invalid"


@pytest.mark.parametrize(("method", "path", "body"), STAFF_ONLY)
def test_shoppers_get_403_on_staff_routes(
    client: TestClient, method: str, path: str, body: dict[str, object] | None
) -> None:
    response = client.request(method, path, json=body, headers=SHOPPER_1)
    assert response.status_code == 403
    assert response.json()["error"]["reason"] == "role_not_allowed"


def test_only_admins_sign_tokens_and_tokens_work_until_they_expire(
    client: TestClient, demo_settings: Settings
) -> None:
    body = {"role": "shopper", "subject": "web-1", "shopper_id": "shopper-000003", "ttl_s": 600}
    assert client.post("/v1/tokens", json=body, headers=MERCHANDISER).status_code == 403
    issued = client.post("/v1/tokens", json=body, headers=ADMIN)
    assert issued.status_code == 201
    token = issued.json()["token"]
    me = client.get("/v1/me", headers=auth(token)).json()
    assert (me["role"], me["shopper_id"], me["via"]) == ("shopper", "shopper-000003", "token")
    expired = tokens.issue(
        demo_settings,
        Principal(subject="s", role="shopper", shopper_id="shopper-000003"),
        ttl_s=60,
        now=NOW - timedelta(minutes=2),
    )
    refused = client.get("/v1/me", headers=auth(expired)).json()["error"]
    assert refused["reason"] == "token_invalid" and "expired" in refused["message"]
    tampered = token[:-3] + ("AAA" if token[-3:] != "AAA" else "BBB")
    assert client.get("/v1/me", headers=auth(tampered)).status_code == 401


def test_token_requests_are_validated(client: TestClient) -> None:
    bad = {"role": "merchandiser", "subject": "m", "shopper_id": "shopper-000001"}
    response = client.post("/v1/tokens", json=bad, headers=ADMIN)
    assert response.status_code == 422 and "shopper" in response.json()["error"]["message"]
    too_long = {"role": "admin", "subject": "a", "ttl_s": 10**9}
    assert client.post("/v1/tokens", json=too_long, headers=ADMIN).json()["error"]["field"] == (
        "body.ttl_s"
    )


def test_stored_keys_work_until_revoked(client: TestClient, demo_settings: Settings) -> None:
    with engine_of(demo_settings) as engine:
        made = create_key(
            engine,
            role="merchandiser",
            subject="mia",
            shopper_id=None,
            category_scopes=["beauty"],
            label="test",
            now=NOW,
        )
        me = client.get("/v1/me", headers={"X-API-Key": made.key}).json()
        assert (me["subject"], me["role"], me["category_scopes"]) == (
            "mia",
            "merchandiser",
            ["beauty"],
        )
        assert made.row.sha256 == sha256_hex(made.key) and made.key not in made.row.sha256
        assert client.get("/v1/me", headers=auth(made.key[:-1] + "x")).status_code == 401
        assert revoke_key(engine, made.row.id, now=NOW)
        assert client.get("/v1/me", headers=auth(made.key)).status_code == 401
        assert not revoke_key(engine, made.row.id, now=NOW)


def test_configured_keys_are_matched_by_hash(demo_settings: Settings) -> None:
    entry = {"id": "ops", "sha256": sha256_hex("s3cret-ops-key"), "role": "admin", "subject": "ops"}
    settings = with_api(demo_settings, keys=[entry], dev_keys=False)
    with TestClient(create_app(settings, clock=lambda: NOW)) as client:
        assert client.get("/v1/me", headers=auth("s3cret-ops-key")).json()["subject"] == "ops"
        assert client.get("/v1/me", headers=ADMIN).status_code == 401


def test_prod_refuses_the_development_keys(demo_settings: Settings) -> None:
    prod = {
        "mode": "prod",
        "secret_key": "p" * 40,
        "store": {"postal_address": "1 Real Road, Portland, OR 97201, USA"},
    }
    settings = Settings.model_validate({**with_api(demo_settings).model_dump(), **prod})
    with TestClient(create_app(settings, clock=lambda: NOW)) as client:
        assert settings.api.dev_keys
        assert client.get("/v1/me", headers=ADMIN).status_code == 401
    published = {"id": "x", "sha256": sha256_hex("dev-key-admin"), "role": "admin", "subject": "x"}
    with pytest.raises(UnsafeSettingError, match="development key"):
        create_app(with_api(settings, keys=[published]))
