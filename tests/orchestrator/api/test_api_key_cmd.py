"""`concierge api-key create|list|revoke|token`, and the keys it makes opening the API."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from typer.testing import CliRunner

from config import Settings
from orchestrator.api.app import create_app
from orchestrator.api.verdicts import VerdictStore
from orchestrator.cli.app import app
from tests.orchestrator.api.conftest import auth
from tests.orchestrator.demo import NOW


def _run(url: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--database-url", url, *args])
    return result.exit_code, result.stdout, result.stderr


def test_created_keys_open_the_api_until_revoked(sqlite_url: str, sqlite_engine: Engine) -> None:
    code, out, err = _run(sqlite_url, "api-key", "create", "--role", "shopper", "--shopper", "S1")
    assert code == 0, err
    key = out.strip()
    assert key.startswith("ck_") and "shown once" in err
    code, listed, _ = _run(sqlite_url, "api-key", "list")
    assert code == 0 and "shopper" in listed and "S1" in listed and key not in listed
    key_id = key.split("_")[1]
    settings = Settings(database_url=sqlite_url, api={"dev_keys": False})
    with TestClient(create_app(settings, clock=lambda: NOW)) as client:
        me = client.get("/v1/me", headers=auth(key)).json()
        assert (me["role"], me["shopper_id"]) == ("shopper", "S1")
        assert _run(sqlite_url, "api-key", "revoke", key_id)[0] == 0
        assert client.get("/v1/me", headers=auth(key)).status_code == 401
    assert _run(sqlite_url, "api-key", "revoke", key_id)[0] == 2


def test_bad_roles_are_refused_and_tokens_are_signed(
    sqlite_url: str, sqlite_engine: Engine
) -> None:
    code, _, err = _run(sqlite_url, "api-key", "create", "--role", "owner")
    assert code == 2 and "--role" in err
    code, _, _ = _run(sqlite_url, "api-key", "create", "--role", "admin", "--shopper", "S1")
    assert code == 2
    code, out, _ = _run(
        sqlite_url, "api-key", "token", "--role", "merchandiser", "--subject", "mia"
    )
    assert code == 0 and out.strip().count(".") == 2


def test_verdicts_are_held_once_per_decision(sqlite_engine: Engine) -> None:
    from orchestrator.api.tables import ensure_schema

    ensure_schema(sqlite_engine)
    store = VerdictStore(sqlite_engine)
    assert store.hold("d1", thread_id="t", approve=True, by="lead", note="ok", now=NOW)
    assert not store.hold("d1", thread_id="t", approve=False, by="other", note="", now=NOW)
    assert store.held(["d1", "d2"]) == {"d1": {"approve": True, "by": "lead", "note": "ok"}}
    store.forget(["d1"])
    assert store.held(["d1"]) == {}
