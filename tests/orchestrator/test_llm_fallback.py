"""With an LLM configured, a failing, lying or garbled LLM never breaks a turn or puts an
ungrounded product, price or offer in a reply: the deterministic reply stands."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypeVar

import pytest
from pydantic import BaseModel

from agents.merchandising import MerchTaskSpec, ScopeSpec
from config import Settings
from orchestrator.llm import GroundingFacts
from orchestrator.runtime import Concierge, TurnOutcome
from policies.context import ActorFacts
from tests.orchestrator.demo import NOW, converse, with_concierge
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


class TaskReader(FakeLLM):
    """An LLM that reads every merchandising task as the given spec."""

    def __init__(self, spec: MerchTaskSpec) -> None:
        super().__init__(lambda draft: None)
        self.spec = spec

    def parse_structured(
        self, prompt: str, model_type: type[M], *, instructions: str = ""
    ) -> M | None:
        assert model_type is MerchTaskSpec
        return self.spec  # type: ignore[return-value]


MIA = ActorFacts(id="mia", kind="staff", role="merchandiser", category_scopes=("*",))
LOOSE = "give our vegan skin care line a 20 percent lift through the weekend"
BOOST = MerchTaskSpec(
    kind="boost",
    scope=ScopeSpec(text="vegan skincare", attributes={"vegan": (True,)}),
    weight=0.2,
)


def _task(settings: Settings, text: str, llm: Any) -> TurnOutcome:
    async def work(concierge: Concierge) -> TurnOutcome:
        return await concierge.turn(
            text, thread_id=f"merch-{id(llm)}", actor=MIA, mode="merch", now=NOW
        )

    return with_concierge(settings, work, llm=llm)


def test_the_llm_reads_a_task_the_rules_cannot_and_the_same_gate_judges_it(
    demo_settings: Settings,
) -> None:
    plain = _task(demo_settings, LOOSE, None)
    assert plain.reply is not None and "did not understand" in plain.reply.text
    read = _task(demo_settings, LOOSE, TaskReader(BOOST))
    kinds = [(e.kind, e.effect) for e in read.events if e.type == "decision"]
    assert kinds and kinds[0][0] == "merch_rule"
    # No end date was read, so the same rule as for any open-ended change asks for a person.
    assert read.interrupted and [a["kind"] for a in read.approvals] == ["merch_rule"]


def test_an_llm_reading_with_numbers_not_in_the_task_is_not_used(demo_settings: Settings) -> None:
    invented = BOOST.model_copy(update={"weight": 0.9})
    outcome = _task(demo_settings, LOOSE, TaskReader(invented))
    assert not [e for e in outcome.events if e.type == "proposal"]
    assert outcome.reply is not None and "did not understand" in outcome.reply.text
