"""The circuit breaker opens after N consecutive failures, stops calls, and probes after a while."""

from __future__ import annotations

import threading

import pytest
from pydantic import BaseModel

from orchestrator.llm import CircuitBreaker
from tests.fakes import openai_server as fo
from tests.orchestrator.llm.conftest import FakeClock, MakeClient


class Answer(BaseModel):
    text: str


def _state(breaker: CircuitBreaker) -> str:
    return breaker.state


def _breaker(clock: FakeClock, failures: int = 3) -> CircuitBreaker:
    return CircuitBreaker(failure_threshold=failures, cooldown_s=30.0, clock=clock)


def test_opens_after_consecutive_failures_and_a_success_resets_the_count() -> None:
    breaker = _breaker(FakeClock())
    breaker.record_failure()
    breaker.record_failure()
    breaker.record_success()
    breaker.record_failure()
    breaker.record_failure()
    assert _state(breaker) == "closed" and breaker.allow()
    breaker.record_failure()
    assert _state(breaker) == "open"
    assert not breaker.allow()


def test_half_open_lets_one_probe_through_and_its_outcome_decides() -> None:
    clock = FakeClock()
    breaker = _breaker(clock, failures=1)
    breaker.record_failure()
    clock.advance(29.9)
    assert not breaker.allow()
    clock.advance(0.2)
    assert _state(breaker) == "half_open"
    assert breaker.allow()
    assert not breaker.allow(), "only one probe at a time"
    breaker.record_failure()
    assert _state(breaker) == "open"
    clock.advance(30.0)
    assert breaker.allow()
    breaker.record_success()
    assert _state(breaker) == "closed" and breaker.failures == 0


def test_failures_from_many_threads_are_all_counted() -> None:
    breaker = CircuitBreaker(failure_threshold=10_000, cooldown_s=1.0)

    def fail() -> None:
        for _ in range(500):
            breaker.record_failure()

    threads = [threading.Thread(target=fail) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert breaker.failures == 4000


def test_only_one_of_many_concurrent_callers_gets_the_probe() -> None:
    clock = FakeClock()
    breaker = _breaker(clock, failures=1)
    breaker.record_failure()
    clock.advance(31.0)
    allowed: list[bool] = []
    threads = [threading.Thread(target=lambda: allowed.append(breaker.allow())) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert allowed.count(True) == 1


def test_refuses_unsafe_thresholds() -> None:
    with pytest.raises(ValueError):
        CircuitBreaker(failure_threshold=0, cooldown_s=1.0)


def test_an_open_breaker_stops_calling_the_server_then_probes_after_the_cool_down(
    fake: fo.FakeOpenAIServer, make_client: MakeClient
) -> None:
    clock = FakeClock()
    fake.default = fo.status(500)
    client = make_client(max_retries=0, breaker=_breaker(clock, failures=3))
    for _ in range(3):
        assert client.parse_structured("go", Answer) is None
    assert fake.hits == 3
    assert _state(client.breaker) == "open"
    for _ in range(5):
        assert client.parse_structured("go", Answer) is None
    assert fake.hits == 3, "no call while the breaker is open"

    clock.advance(31.0)
    fake.script(fo.completion_json({"text": "back"}))
    assert client.parse_structured("go", Answer) == Answer(text="back")
    assert fake.hits == 4
    assert _state(client.breaker) == "closed"


def test_a_failed_probe_opens_the_breaker_again(
    fake: fo.FakeOpenAIServer, make_client: MakeClient
) -> None:
    clock = FakeClock()
    fake.default = fo.status(503)
    client = make_client(max_retries=0, breaker=_breaker(clock, failures=2))
    for _ in range(4):
        client.parse_structured("go", Answer)
    assert fake.hits == 2
    clock.advance(31.0)
    assert client.parse_structured("go", Answer) is None
    assert fake.hits == 3
    assert client.parse_structured("go", Answer) is None
    assert fake.hits == 3


def test_retries_count_toward_opening_and_stop_when_it_opens(
    fake: fo.FakeOpenAIServer, make_client: MakeClient
) -> None:
    fake.default = fo.status(500)
    client = make_client(max_retries=5, breaker=_breaker(FakeClock(), failures=3))
    assert client.parse_structured("go", Answer) is None
    assert fake.hits == 3
    assert client.parse_structured("go", Answer) is None
    assert fake.hits == 3


def test_garbage_and_timeouts_open_the_breaker_too(
    fake: fo.FakeOpenAIServer, make_client: MakeClient
) -> None:
    fake.script(fo.raw(b"garbage", content_type="text/plain"), fo.slow(5.0))
    client = make_client(timeout_s=0.3, max_retries=0, breaker=_breaker(FakeClock(), failures=2))
    assert client.parse_structured("go", Answer) is None
    assert client.parse_structured("go", Answer) is None
    assert _state(client.breaker) == "open"
    assert client.parse_structured("go", Answer) is None
    assert fake.hits == 2


def test_breaker_settings_come_from_the_llm_settings(make_client: MakeClient) -> None:
    client = make_client(breaker_failures=7, breaker_cooldown_s=12.5)
    assert client.breaker.failure_threshold == 7
    assert client.breaker.cooldown_s == 12.5
