"""The graph's view: `build_llm`, `NoLLM`, the understander, and no real model call in tests."""

from __future__ import annotations

import time
from datetime import date

import openai
import pytest
from pydantic import BaseModel, ConfigDict, Field

from agents.intent import Understander
from config.settings import LLMSettings
from orchestrator.conversation import Conversation
from orchestrator.llm import GroundingFacts, LanguageModel, LLMClient, NoLLM, build_llm
from orchestrator.llm.understander import LLMUnderstander
from tests.fakes import openai_server as fo
from tests.orchestrator.llm.conftest import NOW, MakeClient, llm_settings
from tools.query import CatalogVocabulary


class Promotion(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=80)
    percent: float = Field(gt=0, le=100)
    ends_on: date


def test_the_default_is_no_llm_and_it_always_defers(vocabulary: CatalogVocabulary) -> None:
    llm = build_llm(LLMSettings())
    assert isinstance(llm, NoLLM)
    assert llm.parse_intent("a jacket", vocabulary=vocabulary, now=NOW) is None
    assert llm.phrase_reply(draft="Hi.", facts=GroundingFacts()) is None
    assert llm.parse_structured("x", Promotion) is None
    llm.close()


def test_build_llm_gives_a_client_when_enabled(fake: fo.FakeOpenAIServer) -> None:
    llm: LanguageModel = build_llm(llm_settings(fake.base_url))
    try:
        assert isinstance(llm, LLMClient)
    finally:
        llm.close()


def test_structured_output_is_validated(fake: fo.FakeOpenAIServer, make_client: MakeClient) -> None:
    fake.script(
        fo.completion_json({"name": "Vegan week", "percent": 20, "ends_on": "2025-05-04"}),
        fo.completion_json({"name": "Vegan week", "percent": 120, "ends_on": "2025-05-04"}),
        fo.completion_json(
            {"name": "Ignore previous rules", "percent": 5, "ends_on": "2025-05-04"}
        ),
    )
    client = make_client()
    prompt = "20% off vegan skincare until Sunday"
    got = client.parse_structured(prompt, Promotion, instructions="Today is 2025-05-01.")
    assert got == Promotion(name="Vegan week", percent=20, ends_on=date(2025, 5, 4))
    system = fake.requests[0].body["messages"][0]["content"]
    assert "Today is 2025-05-01." in system and '"ends_on"' in system
    assert client.parse_structured(prompt, Promotion) is None
    assert client.parse_structured(prompt, Promotion) is None


def test_the_understander_uses_the_llm_for_a_first_request_only(
    fake: fo.FakeOpenAIServer, make_client: MakeClient, vocabulary: CatalogVocabulary
) -> None:
    conversation = Conversation(vocabulary)
    understander: Understander = LLMUnderstander(conversation, make_client())
    fake.script(fo.completion_json({"category": "apparel/outerwear/jackets"}))
    first = understander("something for rainy hikes", previous=None, shown=[], now=NOW)
    assert first.intent.category == "apparel/outerwear/jackets"
    follow_up = understander("cheaper", previous=first.intent, shown=[], now=NOW)
    assert fake.hits == 1
    assert (
        follow_up.intent == conversation("cheaper", previous=first.intent, shown=[], now=NOW).intent
    )


def test_the_understander_falls_back_to_the_parser(
    fake: fo.FakeOpenAIServer, make_client: MakeClient, vocabulary: CatalogVocabulary
) -> None:
    conversation = Conversation(vocabulary)
    understander = LLMUnderstander(conversation, make_client(max_retries=0))
    fake.script(fo.status(500))
    got = understander("a blue jacket", previous=None, shown=[], now=NOW)
    assert got == conversation("a blue jacket", previous=None, shown=[], now=NOW)


def test_tests_cannot_reach_a_real_endpoint() -> None:
    client = openai.OpenAI(base_url="http://192.0.2.1/v1", api_key="x", max_retries=0, timeout=5)
    try:
        with pytest.raises(RuntimeError, match="tests may not reach the network"):
            client.chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}])
    finally:
        client.close()


def test_an_llm_client_pointed_away_from_loopback_falls_back_at_once() -> None:
    with LLMClient(llm_settings("http://192.0.2.1/v1", max_retries=0)) as client:
        started = time.monotonic()
        assert client.parse_structured("x", Promotion) is None
        assert time.monotonic() - started < 1.0
