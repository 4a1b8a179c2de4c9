"""The respond node: the reply of the turn, grounded in what was approved, streamed in chunks.

It also keeps the thread's memory: the products shown become what "the second one" refers to.
An LLM, when configured, may reword the reply; its text is used only if it states nothing beyond
the grounding (checked by the LLM client and again here), else the templated reply stands.
"""

from __future__ import annotations

import logging

import anyio.to_thread
from langgraph.runtime import Runtime

from orchestrator.events import ReplyChunk
from orchestrator.grounding import Grounding, ground, ungrounded
from orchestrator.llm import facts_from
from orchestrator.nodes.context import TurnDeps, Update, emit, node
from orchestrator.reply import compose
from orchestrator.state import Reply, TurnState

logger = logging.getLogger("orchestrator.respond")


@node("respond")
async def respond(state: TurnState, *, runtime: Runtime[TurnDeps]) -> Update:
    """Compose the reply from the grounding and remember what was shown."""
    deps = runtime.context
    grounding = ground(state)
    reply = compose(state, grounding, symbol=deps.settings.store.currency_symbol)
    reply = await _phrased(deps, state, reply, grounding)
    for line in reply.text.splitlines(keepends=True):
        emit(runtime, ReplyChunk(text=line))
    update: Update = {"reply": reply}
    if grounding.shown:
        update["shown"] = list(grounding.shown)
    return update


async def _phrased(deps: TurnDeps, state: TurnState, reply: Reply, grounding: Grounding) -> Reply:
    """The LLM's wording of the reply if it states nothing beyond the grounding, else the draft."""
    llm = deps.llm
    if llm is None or reply.kind == "question":
        return reply
    facts = facts_from(candidates=grounding.shown, quotes=[quote for quote, _ in grounding.quotes])
    try:
        text = await anyio.to_thread.run_sync(
            lambda: llm.phrase_reply(draft=reply.text, facts=facts)
        )
    except Exception as exc:  # an LLM failure never fails the turn
        logger.warning("LLM phrasing failed: %s", exc)
        return reply
    catalog = [*state.get("candidates", []), *state.get("out_of_stock", [])]
    if (
        not isinstance(text, str)
        or not text.strip()
        or ungrounded(text, grounding, catalog=catalog)
    ):
        return reply
    return reply.model_copy(update={"text": text.strip()})
