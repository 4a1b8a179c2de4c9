"""With an LLM configured, a failing, lying or garbled LLM never breaks a turn or puts an
ungrounded product, price or offer in a reply: the deterministic reply stands."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypeVar

import pytest
from pydantic import BaseModel

from config import Settings
from orchestrator.llm import GroundingFacts
from tests.orchestrator.demo import converse
from tools.query import CatalogVocabulary, ShopperIntent

M = TypeVar("M", bound=BaseModel)


class FakeLLM:
    """An LLM that answers (or fails) as scripted."""

    def __init__(self, reword: Any) -> None:
        self.reword = reword
        self.drafts: list[str] = []

    def parse_intent(
        self, text: str, *, vocabulary: CatalogVocabulary, now: datetime | date
    ) -> ShopperIntent | None:
        raise TimeoutError("the endpoint did not answer")

    def phrase_reply(self, *, draft: str, facts: GroundingFacts) -> str | None:
        self.drafts.append(draft)
        result: str | None = self.reword(draft)
        return result

    def parse_structured(
        self, prompt: str, model_type: type[M], *, instructions: str = ""
    ) -> M | None:
        return None

    def close(self) -> None:
        pass


def _fail(draft: str) -> str:
    raise ConnectionError("HTTP 500")


@pytest.mark.parametrize(
    "reword",
    [
        _fail,
        lambda draft: "Everything is $1.00 today, and the Trailblazer 3000 is 90% off!",
        lambda draft: "",
        lambda draft: None,
    ],
    ids=["error", "ungrounded", "empty", "declined"],
)
def test_a_bad_llm_leaves_the_deterministic_reply(demo_settings: Settings, reword: Any) -> None:
    (plain,) = converse(demo_settings, ["sneakers"], thread_id=f"plain-{id(reword)}")
    llm = FakeLLM(reword)
    (worded,) = converse(demo_settings, ["sneakers"], thread_id=f"llm-{id(reword)}", llm=llm)
    assert plain.reply is not None and worded.reply is not None
    assert worded.reply.text == plain.reply.text
    assert llm.drafts == [plain.reply.text]


def test_a_grounded_rewording_is_used(demo_settings: Settings) -> None:
    llm = FakeLLM(lambda draft: "Happy to help!\n" + draft)
    (worded,) = converse(demo_settings, ["sneakers"], thread_id="grounded", llm=llm)
    assert worded.reply is not None and worded.reply.text.startswith("Happy to help!")
