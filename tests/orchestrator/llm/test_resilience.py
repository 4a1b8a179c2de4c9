"""The deadline, retries and breaker around any backend, and the client under concurrent use."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from pydantic import BaseModel

from orchestrator.llm import CircuitBreaker
from orchestrator.llm.backend import ChatMessage, ChatRequest
from orchestrator.llm.exceptions import DeadlineExceededError, LLMCallError
from orchestrator.llm.resilience import ResilientCaller
from tests.fakes import openai_server as fo
from tests.orchestrator.llm.conftest import MakeClient

REQUEST = ChatRequest(model="m", messages=(ChatMessage(role="user", content="hi"),))


class BlockingBackend:
    """Hangs (whatever the timeout) until closed, then answers "ok"; counts calls."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.calls = 0

    def complete(self, request: ChatRequest, *, timeout_s: float) -> str:
        self.calls += 1
        self.release.wait(10.0)
        return "ok"

    def close(self) -> None:
        self.release.set()


class BrokenBackend:
    """Fails the way a bug would."""

    def complete(self, request: ChatRequest, *, timeout_s: float) -> str:
        raise KeyError("bug")

    def close(self) -> None:
        """Nothing to close."""


def _caller(backend: BlockingBackend | BrokenBackend, **kw: int) -> ResilientCaller:
    breaker = CircuitBreaker(failure_threshold=5, cooldown_s=30.0)
    return ResilientCaller(backend, timeout_s=0.3, max_retries=0, breaker=breaker, **kw)


def test_a_request_waiting_for_a_busy_worker_does_not_count_against_the_endpoint() -> None:
    backend = BlockingBackend()
    caller = _caller(backend, workers=1)
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            first = pool.submit(caller.call, REQUEST, str)
            time.sleep(0.05)
            second = pool.submit(caller.call, REQUEST, str)
            with pytest.raises(DeadlineExceededError, match="busy"):
                second.result()
            with pytest.raises(DeadlineExceededError):
                first.result()
        assert backend.calls == 1
        assert caller.breaker.failures == 1
    finally:
        caller.close()


def test_a_failing_backend_never_escapes_as_anything_but_an_llm_error() -> None:
    caller = _caller(BrokenBackend())
    try:
        with pytest.raises(LLMCallError):
            caller.call(REQUEST, str)
        assert caller.breaker.failures == 1
    finally:
        caller.close()


class Echo(BaseModel):
    n: int


def test_concurrent_calls_are_all_answered(
    fake: fo.FakeOpenAIServer, make_client: MakeClient
) -> None:
    fake.default = fo.completion_json({"n": 7})
    client = make_client()
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: client.parse_structured("n", Echo), range(24)))
    assert results == [Echo(n=7)] * 24
    assert fake.hits == 24
