"""An `Understander` that lets the LLM read a thread's first request, checked, with the
deterministic conversation as the fallback and for every follow-up ("cheaper", "in blue").
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from agents.intent import Understanding
from orchestrator.conversation import Conversation
from orchestrator.llm.protocol import LanguageModel
from tools.query import ShopperIntent, ShownItem, needs_clarification


class LLMUnderstander:
    """Understands with the LLM where it can, deterministically where it cannot."""

    def __init__(self, conversation: Conversation, llm: LanguageModel) -> None:
        self.conversation = conversation
        self.llm = llm

    def __call__(
        self,
        text: str,
        *,
        previous: ShopperIntent | None,
        shown: Sequence[ShownItem],
        now: datetime,
    ) -> Understanding:
        """The LLM's checked reading of a first request, else the deterministic one."""
        if previous is None:
            intent = self.llm.parse_intent(text, vocabulary=self.conversation.vocabulary, now=now)
            if intent is not None:
                return Understanding(intent=intent, clarification=needs_clarification(intent))
        return self.conversation(text, previous=previous, shown=shown, now=now)
