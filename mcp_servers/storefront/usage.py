"""What an external agent has already done, read from the decision log: its proposals in the
last minute (rate limit) and the value of its carts since midnight UTC (daily spend limit).

Carts approved, repaired or waiting for a person count against the spend limit; denied ones don't.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from policies.actions import ProposeCart
from policies.audit.table import AuditRecord
from policies.context import AgentUsage

MINUTE = timedelta(minutes=1)
SPENDING = ("approve", "modify", "escalate")


def start_of_day(now: datetime) -> datetime:
    """Midnight UTC of the day `now` falls on."""
    return now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def agent_usage(engine: Engine, *, agent: str, now: datetime) -> AgentUsage:
    """The agent's proposals in the last minute and its cart value today."""
    with Session(engine) as session:
        recent = session.exec(
            select(func.count())
            .select_from(AuditRecord)
            .where(col(AuditRecord.actor) == agent, col(AuditRecord.created_at) > now - MINUTE)
        ).one()
        carts = session.exec(
            select(AuditRecord.final_action).where(
                col(AuditRecord.actor) == agent,
                col(AuditRecord.action_kind) == "propose_cart",
                col(AuditRecord.effect).in_(SPENDING),
                col(AuditRecord.created_at) >= start_of_day(now),
            )
        ).all()
    spend = sum(ProposeCart.model_validate(cart).total_cents() for cart in carts if cart)
    return AgentUsage(actions_last_minute=int(recent), spend_today_cents=spend)
