"""Chat over SSE and JSON, threads fetched afterwards, and one shopper kept out of another's."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from tests.orchestrator.api.conftest import ADMIN, MERCHANDISER, SHOPPER_1, SHOPPER_2, sse_events


def test_a_streamed_turn_sends_its_events_in_order_and_ends_with_turn_finished(
    client: TestClient,
) -> None:
    body = {"message": "vegan shampoo under $20"}
    with client.stream("POST", "/v1/chat", json=body, headers=SHOPPER_1) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        thread_id = response.headers["x-thread-id"]
        events = sse_events(response.read().decode())
    kinds = [kind for kind, _, _ in events]
    assert kinds[0] == "node_started" and kinds[-1] == "turn_finished"
    assert kinds.count("turn_finished") == 1
    assert [i for _, i, _ in events] == list(range(len(events)))
    assert all(data["type"] == kind for kind, _, data in events)
    assert kinds.index("decision") < kinds.index("execution") < kinds.index("reply_chunk")
    finished = events[-1][2]
    assert finished["thread_id"] == thread_id and finished["reply"]["kind"] == "results"
    chunks = "".join(data["text"] for kind, _, data in events if kind == "reply_chunk")
    assert chunks == finished["reply"]["text"]


def test_complete_answers_json_and_the_thread_keeps_its_last_turn(client: TestClient) -> None:
    first = client.post("/v1/chat/complete", json={"message": "running shoes"}, headers=SHOPPER_1)
    assert first.status_code == 200
    result = first.json()
    assert result["status"] == "finished" and result["reply"]["skus"]
    thread_id = result["thread_id"]
    again = client.post(
        "/v1/chat/complete",
        json={"message": "cheaper", "thread_id": thread_id},
        headers=SHOPPER_1,
    )
    assert again.status_code == 200 and again.json()["thread_id"] == thread_id
    thread = client.get(f"/v1/threads/{thread_id}", headers=SHOPPER_1).json()
    assert (thread["mode"], thread["status"], thread["turns"]) == ("shopper", "finished", 2)
    assert thread["last_turn"] == again.json()


def test_another_shoppers_thread_is_not_found(client: TestClient) -> None:
    mine = client.post("/v1/chat/complete", json={"message": "toner"}, headers=SHOPPER_1).json()
    thread = mine["thread_id"]
    assert client.get(f"/v1/threads/{thread}", headers=SHOPPER_2).status_code == 404
    posted = client.post(
        "/v1/chat/complete", json={"message": "cheaper", "thread_id": thread}, headers=SHOPPER_2
    )
    assert posted.status_code == 404
    assert posted.json()["error"]["reason"] == "not_found"
    assert client.get(f"/v1/threads/{thread}", headers=ADMIN).status_code == 200
    assert client.get("/v1/threads/th_nobody", headers=SHOPPER_1).status_code == 404


def test_chat_is_for_shoppers(client: TestClient) -> None:
    response = client.post("/v1/chat/complete", json={"message": "toner"}, headers=MERCHANDISER)
    assert response.status_code == 403
    assert response.json()["error"]["reason"] == "role_not_allowed"


def test_a_client_that_drops_the_stream_finds_the_result_later(client: TestClient) -> None:
    body = {"message": "moisturizer for dry skin"}
    with client.stream("POST", "/v1/chat", json=body, headers=SHOPPER_2) as response:
        thread_id = response.headers["x-thread-id"]
        next(response.iter_lines())
    deadline = time.monotonic() + 20
    thread = client.get(f"/v1/threads/{thread_id}", headers=SHOPPER_2).json()
    while thread["status"] == "running" and time.monotonic() < deadline:
        time.sleep(0.05)
        thread = client.get(f"/v1/threads/{thread_id}", headers=SHOPPER_2).json()
    assert thread["status"] == "finished"
    assert thread["last_turn"]["reply"]["kind"] == "results"


def test_validation_errors_name_the_field(client: TestClient) -> None:
    response = client.post("/v1/chat/complete", json={"message": ""}, headers=SHOPPER_1)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["reason"] == "validation_failed" and error["field"] == "body.message"
    unknown = client.post("/v1/chat/complete", json={"message": "x", "tone": 1}, headers=SHOPPER_1)
    assert unknown.json()["error"]["field"] == "body.tone"
    bad_id = client.post(
        "/v1/chat/complete", json={"message": "x", "thread_id": "a b"}, headers=SHOPPER_1
    )
    assert bad_id.json()["error"]["field"] == "body.thread_id"
