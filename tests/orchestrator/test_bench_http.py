"""The HTTP load check's driver: sessions hold conversations on their thread, every answer that
is not 200 is counted as an error, and each level ends by time (against a local fake API)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import anyio
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from orchestrator.bench_http import measure_level, percentile

SEEN: list[dict[str, Any]] = []


async def complete(request: Request) -> JSONResponse:
    body = await request.json()
    SEEN.append({"auth": request.headers.get("authorization"), **body})
    if body["message"] == "fail":
        return JSONResponse({"error": {"status": 500}}, status_code=500)
    thread = body.get("thread_id") or f"th-{len(SEEN)}"
    return JSONResponse({"thread_id": thread, "status": "finished"})


@pytest.fixture(scope="module")
def fake_api() -> Iterator[str]:
    app = Starlette(routes=[Route("/v1/chat/complete", complete, methods=["POST"])])
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=5)


def test_sessions_converse_on_their_threads_until_time_is_up(fake_api: str) -> None:
    SEEN.clear()
    began = time.monotonic()
    level = anyio.run(measure_level, fake_api, ["k1", "k2"], ["shorts"], 0.5, 7)
    assert time.monotonic() - began < 5
    assert level.sessions == 2 and level.errors == 0 and level.turns == len(SEEN) > 6
    assert level.statuses == {"200": level.turns} and level.turns_per_s > 0
    assert {s["auth"] for s in SEEN} == {"Bearer k1", "Bearer k2"}
    # Follow-ups continue the thread the opening started.
    follow = [s for s in SEEN if s["message"] == "cheaper"]
    assert follow and all(s.get("thread_id", "").startswith("th-") for s in follow)


def test_answers_other_than_200_are_errors(fake_api: str) -> None:
    level = anyio.run(measure_level, fake_api, ["k1"], ["fail"], 1.0, 7)
    assert level.errors == level.turns > 0 and level.statuses == {"500": level.turns}


def test_percentiles_are_taken_from_the_sorted_latencies() -> None:
    ordered = [float(i) for i in range(1, 101)]
    assert (percentile(ordered, 0.95), percentile(ordered, 0.99)) == (96.0, 100.0)
