"""`LanguageModel`: what the graph asks of the optional LLM, and `build_llm` to get one.

Every method returns None when the LLM cannot help (off, failing, or its output did not pass the
checks); the caller then answers deterministically. Calls block for at most `llm.timeout_s`; from
async code run them with `asyncio.to_thread`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol, TypeVar

from pydantic import BaseModel

from config.settings import LLMSettings
from orchestrator.llm.facts import GroundingFacts
from tools.query import CatalogVocabulary, ShopperIntent

M = TypeVar("M", bound=BaseModel)


class LanguageModel(Protocol):
    """Reads requests, rewords replies and fills schemas; None means: answer deterministically."""

    def parse_intent(
        self, text: str, *, vocabulary: CatalogVocabulary, now: datetime | date
    ) -> ShopperIntent | None: ...

    def phrase_reply(self, *, draft: str, facts: GroundingFacts) -> str | None: ...

    def parse_structured(
        self, prompt: str, model_type: type[M], *, instructions: str = ""
    ) -> M | None: ...

    def close(self) -> None: ...


class NoLLM:
    """The default: no LLM, so every answer is the deterministic one."""

    def parse_intent(
        self, text: str, *, vocabulary: CatalogVocabulary, now: datetime | date
    ) -> ShopperIntent | None:
        """Always None."""
        return None

    def phrase_reply(self, *, draft: str, facts: GroundingFacts) -> str | None:
        """Always None."""
        return None

    def parse_structured(
        self, prompt: str, model_type: type[M], *, instructions: str = ""
    ) -> M | None:
        """Always None."""
        return None

    def close(self) -> None:
        """Nothing to close."""


def build_llm(settings: LLMSettings) -> LanguageModel:
    """The configured LLM client, or `NoLLM` when `llm.enabled` is off."""
    if not settings.enabled:
        return NoLLM()
    from orchestrator.llm.client import LLMClient

    return LLMClient(settings)
