"""Every way the endpoint can fail ends in None (the deterministic answer) within the timeout."""

from __future__ import annotations

import logging
import time

import pytest
from pydantic import BaseModel, ConfigDict

from orchestrator.llm import GroundingFacts, LLMClient
from tests.fakes import openai_server as fo
from tests.orchestrator.llm.conftest import API_KEY, NOW, MakeClient, llm_settings
from tools.query import CatalogVocabulary

TIMEOUT_S = 0.5
MARGIN_S = 1.0


class Pick(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: str
    reason: str


def _timed_structured(make_client: MakeClient, **overrides: object) -> tuple[object, float]:
    client = make_client(timeout_s=TIMEOUT_S, **overrides)
    started = time.monotonic()
    result = client.parse_structured("pick one", Pick)
    return result, time.monotonic() - started


def test_a_normal_answer_is_parsed(fake: fo.FakeOpenAIServer, make_client: MakeClient) -> None:
    fake.script(fo.completion_json({"sku": "SKU-1", "reason": "matches"}))
    result = make_client().parse_structured("pick one", Pick)
    assert result == Pick(sku="SKU-1", reason="matches")
    sent = fake.requests[-1]
    assert sent.body["model"] == "fake-model"
    assert sent.body["response_format"] == {"type": "json_object"}
    assert sent.headers["authorization"] == f"Bearer {API_KEY}"


@pytest.mark.parametrize(
    "answer",
    [
        fo.slow(5.0),
        fo.trickle(0.05, fo.completion_json({"sku": "SKU-1", "reason": "late"})),
    ],
    ids=["slow", "trickle"],
)
def test_a_slow_endpoint_gives_none_within_the_timeout(
    fake: fo.FakeOpenAIServer, make_client: MakeClient, answer: fo.Scripted
) -> None:
    fake.script(answer, answer, answer)
    result, elapsed = _timed_structured(make_client)
    assert result is None
    assert elapsed < TIMEOUT_S + MARGIN_S
    assert fake.hits == 1


@pytest.mark.parametrize(
    "answer",
    [
        fo.raw(b"<html>definitely not json</html>", content_type="text/html"),
        fo.raw(b'{"choices": [ {"message": '),
        fo.raw(b'{"unexpected": true}'),
        fo.completion("Sure! Here is your pick: SKU-1"),
        fo.completion('{"sku": "SKU-1", "reason": '),
        fo.completion_json({"sku": "SKU-1"}),
        fo.completion_json({"sku": "SKU-1", "reason": "x", "price_cents": 1}),
        fo.completion_json(["SKU-1"]),
        fo.completion(""),
    ],
    ids=[
        "garbage-body",
        "broken-body",
        "no-completion",
        "prose",
        "invalid-json",
        "missing-field",
        "extra-field",
        "not-an-object",
        "empty",
    ],
)
def test_garbage_gives_none_without_retrying(
    fake: fo.FakeOpenAIServer, make_client: MakeClient, answer: fo.Scripted
) -> None:
    fake.script(answer)
    result, elapsed = _timed_structured(make_client)
    assert result is None
    assert elapsed < TIMEOUT_S + MARGIN_S
    assert fake.hits == 1


def test_5xx_is_retried_then_gives_none(fake: fo.FakeOpenAIServer, make_client: MakeClient) -> None:
    fake.script(fo.status(500), fo.status(502), fo.status(503), fo.status(500))
    client = make_client(timeout_s=2.0, max_retries=2)
    started = time.monotonic()
    assert client.parse_structured("pick one", Pick) is None
    assert time.monotonic() - started < 2.0 + MARGIN_S
    assert fake.hits == 3


def test_a_dropped_connection_is_retried(
    fake: fo.FakeOpenAIServer, make_client: MakeClient
) -> None:
    fake.script(fo.drop(), fo.completion_json({"sku": "SKU-2", "reason": "second try"}))
    assert make_client(max_retries=1).parse_structured("pick", Pick) == Pick(
        sku="SKU-2", reason="second try"
    )
    assert fake.hits == 2


def test_a_5xx_then_success_answers(fake: fo.FakeOpenAIServer, make_client: MakeClient) -> None:
    fake.script(fo.status(500), fo.completion_json({"sku": "SKU-3", "reason": "ok"}))
    assert make_client(max_retries=2).parse_structured("pick", Pick) is not None
    assert fake.hits == 2


@pytest.mark.parametrize("code", [400, 401, 404, 422, 429])
def test_4xx_is_not_retried(fake: fo.FakeOpenAIServer, make_client: MakeClient, code: int) -> None:
    fake.script(fo.status(code))
    assert make_client(max_retries=3).parse_structured("pick", Pick) is None
    assert fake.hits == 1


def test_retries_stop_when_the_time_is_spent(
    fake: fo.FakeOpenAIServer, make_client: MakeClient
) -> None:
    fake.script(*(fo.slow(0.3, fo.status(500)) for _ in range(10)))
    client = make_client(timeout_s=TIMEOUT_S, max_retries=10)
    started = time.monotonic()
    assert client.parse_structured("pick", Pick) is None
    assert time.monotonic() - started < TIMEOUT_S + MARGIN_S
    assert fake.hits <= 2


def test_an_unreachable_endpoint_gives_none() -> None:
    with fo.FakeOpenAIServer() as server:
        url = server.base_url
    with LLMClient(llm_settings(url, timeout_s=TIMEOUT_S, max_retries=1)) as client:
        started = time.monotonic()
        assert client.parse_structured("pick", Pick) is None
        assert time.monotonic() - started < TIMEOUT_S + MARGIN_S


def test_every_use_falls_back_on_failure(
    fake: fo.FakeOpenAIServer, make_client: MakeClient, vocabulary: CatalogVocabulary
) -> None:
    fake.script(fo.status(500), fo.raw(b"nope", content_type="text/plain"))
    client = make_client(max_retries=0)
    assert client.parse_intent("a blue jacket", vocabulary=vocabulary, now=NOW) is None
    assert client.phrase_reply(draft="Here you go.", facts=GroundingFacts()) is None


def test_the_api_key_is_never_logged(
    fake: fo.FakeOpenAIServer, make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fake.script(fo.status(401, "bad key"), fo.status(500), fo.raw(b"garbage"))
    client = make_client(max_retries=0)
    for _ in range(3):
        assert client.parse_structured("pick", Pick) is None
    assert "fell back" in caplog.text
    assert API_KEY not in caplog.text
    assert API_KEY not in repr(client.settings)
