"""What the routes share, opened once by the app's lifespan: the store, the concierge, the runner.

Routes reach it with `services(request)`; the middlewares hold the same object from the start, and
find its parts filled in once the lifespan has opened them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from fastapi import Request
from sqlalchemy import Engine

from config import Settings
from orchestrator.api.exceptions import UnavailableError
from orchestrator.api.limits import RateLimiter
from orchestrator.api.metrics import Metrics

if TYPE_CHECKING:
    from orchestrator.api.auth import Authenticator
    from orchestrator.api.turns import TurnRunner
    from orchestrator.runtime import Concierge


@dataclass
class Services:
    """The API's long-lived parts; `engine` and the rest are set while the app runs."""

    settings: Settings
    clock: Callable[[], datetime]
    limiter: RateLimiter
    metrics: Metrics
    engine: Engine | None = None
    authenticator: Authenticator | None = None
    concierge: Concierge | None = None
    runner: TurnRunner | None = None
    unavailable: str = field(default="the API is starting")

    def ready(self) -> tuple[Engine, Concierge, TurnRunner]:
        """The store, the concierge and the turn runner, or 503 when they could not be opened."""
        if self.engine is None or self.concierge is None or self.runner is None:
            raise UnavailableError(f"the concierge is not available: {self.unavailable}")
        return self.engine, self.concierge, self.runner


def services(request: Request) -> Services:
    """The app's services (a FastAPI dependency)."""
    found: Services = request.app.state.services
    return found
