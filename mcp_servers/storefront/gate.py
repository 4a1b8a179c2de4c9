"""The policy gate for external agents' proposals: each is decided by the policy checker on facts
read from the store, with the agent's usage so far, and recorded in the decision log.

Nothing is executed here: an approved proposal waits in the decision log for the executor. The
gate fails closed: if the facts cannot be read, the proposal is denied. Decisions are serialised
within the process, so two proposals of one agent cannot both pass the same spend limit.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime

from sqlalchemy import Engine

from mcp_servers.storefront.identity import AgentIdentity
from mcp_servers.storefront.usage import agent_usage
from policies.actions import ActionBase
from policies.audit import DecisionLog, ensure_schema
from policies.checker import PolicyChecker
from policies.context import PolicyContext
from policies.decision import PolicyDecision
from policies.engine import refuse
from policies.pack import Pack
from tools.policy_facts import PolicyFacts

logger = logging.getLogger("mcp_servers.storefront")


class ProposalGate:
    """Decides on external agents' proposals under one pack and records every decision."""

    def __init__(self, engine: Engine, *, pack: Pack) -> None:
        self.engine = engine
        self.facts = PolicyFacts(engine)
        self.log = DecisionLog(engine, create=False)
        self.checker = PolicyChecker(pack, self.log)
        self._lock = threading.Lock()
        self._schema_lock = threading.Lock()
        self._log_ready = False

    def ensure_log(self) -> None:
        """Create the decision log's tables if the store has none yet (at the first proposal)."""
        with self._schema_lock:
            if not self._log_ready:
                ensure_schema(self.engine)
                self._log_ready = True

    def decide(self, action: ActionBase, who: AgentIdentity, *, now: datetime) -> PolicyDecision:
        """The recorded decision on one proposal by this agent."""
        actor = who.actor()
        with self._lock:
            self.ensure_log()
            try:
                context = self.facts.context([action], actor=actor, now=now)
                usage = agent_usage(self.engine, agent=who.agent, now=now)
            except Exception as exc:  # fail closed: no facts, no approval
                logger.error("policy facts unavailable: %s", exc)
                bare = PolicyContext(now=now, actor=actor)
                refused = refuse(
                    action,
                    bare,
                    self.checker.pack,
                    code="FACTS_UNAVAILABLE",
                    message=str(exc)[:300],
                )
                try:
                    self.log.record(refused, proposed=action, context=bare)
                except Exception as record_exc:
                    logger.error("refusal %s not recorded: %s", refused.decision_id, record_exc)
                return refused
            return self.checker.check(action, context.model_copy(update={"agent": usage}))
