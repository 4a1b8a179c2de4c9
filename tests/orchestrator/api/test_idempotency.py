"""`Idempotency-Key`: a retry replays the first response; the key with another body is refused."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from config import Settings
from orchestrator.api.idempotency import IdempotencyStore, Stored
from orchestrator.api.tables import IdempotentResponse, ensure_schema
from tests.orchestrator.api.conftest import SHOPPER_1, SHOPPER_2, sse_events
from tests.orchestrator.demo import NOW, engine_of, rows


def _turns(settings: Settings, thread_id: str) -> int:
    return int(
        rows(settings, "SELECT turns FROM api_threads WHERE thread_id = :t", t=thread_id)[0][0]
    )


def test_a_retried_write_gets_the_same_response_and_runs_once(
    client: TestClient, demo_settings: Settings
) -> None:
    headers = {**SHOPPER_1, "Idempotency-Key": "order-7f3a"}
    body = {"message": "vegan shampoo under $20"}
    first = client.post("/v1/chat/complete", json=body, headers=headers)
    again = client.post("/v1/chat/complete", json=body, headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert _turns(demo_settings, first.json()["thread_id"]) == 1


def test_the_same_key_with_another_body_is_refused(client: TestClient) -> None:
    headers = {**SHOPPER_1, "Idempotency-Key": "k-mismatch"}
    assert client.post("/v1/chat/complete", json={"message": "toner"}, headers=headers).is_success
    refused = client.post("/v1/chat/complete", json={"message": "soap"}, headers=headers)
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert (error["reason"], error["field"]) == ("idempotency_key_reused", "header.Idempotency-Key")


def test_keys_belong_to_their_caller(client: TestClient) -> None:
    body = {"message": "toner"}
    mine = client.post(
        "/v1/chat/complete", json=body, headers={**SHOPPER_1, "Idempotency-Key": "shared"}
    )
    theirs = client.post(
        "/v1/chat/complete", json=body, headers={**SHOPPER_2, "Idempotency-Key": "shared"}
    )
    assert theirs.status_code == 200 and "idempotent-replayed" not in theirs.headers
    assert theirs.json()["thread_id"] != mine.json()["thread_id"]


def test_a_streamed_turn_is_replayed_whole(client: TestClient, demo_settings: Settings) -> None:
    headers = {**SHOPPER_2, "Idempotency-Key": "stream-1"}
    body = {"message": "running shoes"}
    first = client.post("/v1/chat", json=body, headers=headers)
    again = client.post("/v1/chat", json=body, headers=headers)
    assert again.text == first.text and sse_events(again.text)[-1][0] == "turn_finished"
    assert again.headers["x-thread-id"] == first.headers["x-thread-id"]
    assert _turns(demo_settings, first.headers["x-thread-id"]) == 1


def test_client_errors_are_kept_and_keys_are_checked(client: TestClient) -> None:
    headers = {**SHOPPER_1, "Idempotency-Key": "bad-then-good"}
    invalid = client.post("/v1/chat/complete", json={"message": ""}, headers=headers)
    assert invalid.status_code == 422
    replay = client.post("/v1/chat/complete", json={"message": ""}, headers=headers)
    assert replay.headers.get("idempotent-replayed") == "true", "4xx answers are kept too"
    too_long = {**SHOPPER_1, "Idempotency-Key": "k" * 300}
    refused = client.post("/v1/chat/complete", json={"message": "x"}, headers=too_long)
    assert refused.json()["error"]["reason"] == "idempotency_key_invalid"


def test_the_store_claims_once_replays_and_forgets(demo_settings: Settings) -> None:
    with engine_of(demo_settings) as engine:
        ensure_schema(engine)
        store = IdempotencyStore(engine, ttl=timedelta(hours=1))
        assert store.claim("shopper:a", "k1", "f1", NOW) == ("new", None)
        assert store.claim("shopper:a", "k1", "f1", NOW) == ("in_progress", None)
        store.release("shopper:a", "k1")
        assert store.claim("shopper:a", "k1", "f1", NOW)[0] == "new", "a 5xx frees the key"
        store.complete("shopper:a", "k1", Stored(201, [(b"x-a", b"1")], b"{}"))
        assert store.claim("shopper:a", "k1", "f1", NOW) == (
            "replay",
            Stored(201, [(b"x-a", b"1")], b"{}"),
        )
        assert store.claim("shopper:a", "k1", "f2", NOW) == ("mismatch", None)
        later = NOW + timedelta(hours=2)
        assert store.claim("shopper:a", "k1", "f2", later)[0] == "new", "expired keys are reused"
        assert store.prune(later + timedelta(hours=2)) >= 1
        with Session(engine) as session:
            assert session.get(IdempotentResponse, ("shopper:a", "k1")) is None
