"""Record a conversation against the endpoint, then replay it with no endpoint at all."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict, ValidationError

from config.settings import LLMSettings
from orchestrator.llm import GroundingFacts, LLMClient
from orchestrator.llm.exceptions import CassetteError
from tests.fakes import openai_server as fo
from tests.orchestrator.llm.conftest import API_KEY, DRAFT, FACTS, FAITHFUL, NOW, llm_settings
from tools.query import CatalogVocabulary


class Boost(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tag: str
    percent: float


def _conversation(client: LLMClient, vocabulary: CatalogVocabulary) -> list[object]:
    return [
        client.parse_intent("a jacket for my sister", vocabulary=vocabulary, now=NOW),
        client.phrase_reply(draft=DRAFT, facts=FACTS),
        client.parse_structured("boost vegan 20%", Boost),
        client.phrase_reply(draft="Here you go.", facts=GroundingFacts()),
    ]


def test_replay_gives_the_recorded_results_without_a_server(
    tmp_path: Path, vocabulary: CatalogVocabulary
) -> None:
    cassette = tmp_path / "llm.jsonl"
    with fo.FakeOpenAIServer(
        fo.completion_json({"category": "apparel/outerwear/jackets", "gift": True}),
        fo.completion(FAITHFUL),
        fo.completion_json({"tag": "vegan", "percent": 20}),
        fo.completion("Here you go, enjoy 50% off!"),
    ) as server:
        settings = llm_settings(server.base_url, cassette_mode="record", cassette_path=cassette)
        with LLMClient(settings) as client:
            recorded = _conversation(client, vocabulary)
        url = server.base_url
    assert recorded[0] is not None and recorded[1] == FAITHFUL
    assert recorded[2] == Boost(tag="vegan", percent=20) and recorded[3] is None
    lines = cassette.read_text().splitlines()
    assert len(lines) == 4
    assert API_KEY not in cassette.read_text()

    replay = llm_settings(url, cassette_mode="replay", cassette_path=cassette)
    with LLMClient(replay) as client:
        assert _conversation(client, vocabulary) == recorded


def test_replay_needs_no_endpoint_address(tmp_path: Path, vocabulary: CatalogVocabulary) -> None:
    cassette = tmp_path / "llm.jsonl"
    cassette.write_text("")
    settings = llm_settings(None, cassette_mode="replay", cassette_path=cassette)
    with LLMClient(settings) as client:
        assert client.parse_structured("boost vegan 20%", Boost) is None


def test_a_request_missing_from_the_cassette_is_a_clear_fallback(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cassette = tmp_path / "llm.jsonl"
    with fo.FakeOpenAIServer(fo.completion_json({"tag": "vegan", "percent": 20})) as server:
        settings = llm_settings(server.base_url, cassette_mode="record", cassette_path=cassette)
        with LLMClient(settings) as client:
            assert client.parse_structured("boost vegan 20%", Boost) is not None
    caplog.set_level(logging.WARNING)
    replay = llm_settings(None, cassette_mode="replay", cassette_path=cassette, breaker_failures=1)
    with LLMClient(replay) as client:
        assert client.parse_structured("boost vegan 30%", Boost) is None
        assert "no recorded LLM answer" in caplog.text
        assert "cassette_miss" in caplog.text
        assert client.breaker.state == "closed", "a miss says nothing about the endpoint"
        assert client.parse_structured("boost vegan 20%", Boost) == Boost(tag="vegan", percent=20)


def test_failures_are_not_recorded(tmp_path: Path) -> None:
    cassette = tmp_path / "llm.jsonl"
    with fo.FakeOpenAIServer(fo.status(500), fo.raw(b"garbage")) as server:
        settings = llm_settings(
            server.base_url, cassette_mode="record", cassette_path=cassette, max_retries=0
        )
        with LLMClient(settings) as client:
            assert client.parse_structured("x", Boost) is None
            assert client.parse_structured("x", Boost) is None
    assert not cassette.exists() or cassette.read_text() == ""


def test_a_damaged_cassette_is_refused_at_start(tmp_path: Path) -> None:
    cassette = tmp_path / "llm.jsonl"
    with pytest.raises(CassetteError, match="does not exist"):
        LLMClient(llm_settings(None, cassette_mode="replay", cassette_path=cassette))
    cassette.write_text("not json\n")
    with pytest.raises(CassetteError, match="line 1"):
        LLMClient(llm_settings(None, cassette_mode="replay", cassette_path=cassette))
    line = {
        "key": "0" * 64,
        "request": {"model": "m", "messages": [{"role": "user", "content": "x"}]},
        "response": "y",
    }
    cassette.write_text(json.dumps(line) + "\n")
    with pytest.raises(CassetteError, match="key does not match"):
        LLMClient(llm_settings(None, cassette_mode="replay", cassette_path=cassette))


def test_settings_for_recording_and_replay() -> None:
    with pytest.raises(ValidationError, match=r"needs llm\.cassette_path"):
        LLMSettings(cassette_mode="replay")
    with pytest.raises(ValidationError, match=r"needs llm\.base_url"):
        LLMSettings(enabled=True, model="m")
    replay = LLMSettings(enabled=True, model="m", cassette_mode="replay", cassette_path=Path("c"))
    assert replay.base_url is None
    assert LLMSettings().cassette_mode == "off"
