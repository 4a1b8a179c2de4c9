"""The HTTP API application: built by `create_app` from settings.

The lifespan opens the store, the API's tables, and the concierge (tool servers, checkpointer and
graph) once; turns run in its task group and are given time to end on shutdown. If the store is
not ready (no schema yet) the API still starts: `/health` says so and the other routes answer 503.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import datetime
from typing import Any

import anyio
import anyio.to_thread
from anyio.abc import TaskGroup
from fastapi import FastAPI
from sqlalchemy import Engine

from config import Settings
from orchestrator.api import errors, health, metrics
from orchestrator.api.auth import Authenticator
from orchestrator.api.gate import Gate
from orchestrator.api.idempotency import Idempotency
from orchestrator.api.keys import refuse_dev_keys_in_prod
from orchestrator.api.limits import RateLimiter
from orchestrator.api.metrics import Metrics, MetricsMiddleware
from orchestrator.api.routes import access, approvals, audit, chat, merch, recommendations, search
from orchestrator.api.routes import threads as thread_routes
from orchestrator.api.services import Services
from orchestrator.api.tables import ensure_schema
from orchestrator.api.threads import ThreadStore
from orchestrator.api.turns import TurnRunner
from tools.store import has_schema, make_engine
from tools.store.types import utcnow

logger = logging.getLogger("orchestrator.api")
SHUTDOWN_GRACE_S = 10.0

TAGS = [
    {"name": "chat", "description": "Shoppers talk to the concierge; turns stream as SSE."},
    {"name": "catalog", "description": "Search and recommendations, as the shopper may see them."},
    {"name": "merchandising", "description": "Merchandisers' tasks: plan, preview, apply."},
    {"name": "approvals", "description": "Escalated actions waiting for a person's verdict."},
    {"name": "audit", "description": "The hash-chained log of every policy decision."},
    {"name": "access", "description": "Who is calling; signed tokens."},
    {"name": "operations", "description": "Health and Prometheus metrics."},
]
DESCRIPTION = """One-to-one retail personalization with a deterministic policy gate.

Authenticate with `Authorization: Bearer <API key or signed token>` (or `X-API-Key`). Roles:
**shopper** (their own threads and picks), **merchandiser** and **admin** (tasks, approvals,
audit). Every error is `{"error": {"status", "reason", "message", "field"}}`. Writes accept an
`Idempotency-Key` header: a retry gets the first response again.
"""


def create_app(
    settings: Settings,
    *,
    clock: Callable[[], datetime] = utcnow,
    concierge_options: Mapping[str, Any] | None = None,
) -> FastAPI:
    """A FastAPI app bound to the store the settings name.

    `clock` is the time turns and tokens are judged at; `concierge_options` go to
    `Concierge.open` (e.g. a policy pack).
    """
    refuse_dev_keys_in_prod(settings)
    svc = Services(
        settings=settings,
        clock=clock,
        limiter=RateLimiter({str(k): v for k, v in settings.api.rate_limits.items()}),
        metrics=Metrics(),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(
            settings.resolved_database_url, busy_timeout_ms=settings.sqlite.busy_timeout_ms
        )
        app.state.engine = engine
        app.state.settings = settings
        try:
            async with anyio.create_task_group() as tasks, AsyncExitStack() as stack:
                await _open(svc, engine, stack, tasks, dict(concierge_options or {}))
                try:
                    yield
                finally:
                    if svc.runner is not None:
                        await svc.runner.drain(SHUTDOWN_GRACE_S)
                        svc.runner.cancel_all()
        finally:
            svc.engine = svc.concierge = svc.runner = svc.authenticator = None
            engine.dispose()

    app = FastAPI(
        title="Retail concierge",
        version="0.1.0",
        description=DESCRIPTION,
        openapi_tags=TAGS,
        lifespan=lifespan,
    )
    app.state.services = svc
    errors.install(app)
    routers = (
        health.router,
        metrics.router,
        access.router,
        chat.router,
        thread_routes.router,
        search.router,
        recommendations.router,
        merch.router,
        approvals.router,
        audit.router,
    )
    for router in routers:
        app.include_router(router)

    from orchestrator.web import pages as web_pages  # the chat page and the console

    app.include_router(web_pages.router)
    routes = [route for router in routers for route in router.routes]
    app.add_middleware(Idempotency, services=svc)
    app.add_middleware(Gate, services=svc)
    app.add_middleware(MetricsMiddleware, metrics=svc.metrics, routes=routes)
    return app


async def _open(
    svc: Services,
    engine: Engine,
    stack: AsyncExitStack,
    tasks: TaskGroup,
    options: dict[str, Any],
) -> None:
    """Open what the routes need; leave the API up (and say why) when the store is not ready."""
    from orchestrator.runtime import Concierge

    try:
        if not await anyio.to_thread.run_sync(has_schema, engine):
            svc.unavailable = "the store has no schema yet: run `concierge init`"
            return
        await anyio.to_thread.run_sync(ensure_schema, engine)
    except Exception as exc:
        svc.unavailable = f"the store cannot be read ({type(exc).__name__})"
        logger.error("store unavailable: %s", exc)
        return
    svc.engine = engine
    svc.authenticator = Authenticator(svc.settings, engine)
    try:
        concierge = await stack.enter_async_context(Concierge.open(svc.settings, **options))
    except Exception as exc:
        svc.unavailable = f"the concierge could not start ({type(exc).__name__}: {exc})"
        logger.error("concierge unavailable: %s", exc)
        return
    svc.concierge = concierge
    svc.runner = TurnRunner(
        concierge, ThreadStore(engine), metrics=svc.metrics, clock=svc.clock, tasks=tasks
    )
