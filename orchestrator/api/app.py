"""The HTTP API application: built by `create_app` from settings."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from config import Settings
from orchestrator.api import health
from tools.store import make_engine


def create_app(settings: Settings) -> FastAPI:
    """A FastAPI app bound to the store the settings name."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(
            settings.resolved_database_url, busy_timeout_ms=settings.sqlite.busy_timeout_ms
        )
        app.state.engine = engine
        app.state.settings = settings
        try:
            yield
        finally:
            engine.dispose()

    app = FastAPI(
        title="Retail concierge",
        version="0.1.0",
        description="One-to-one retail personalization with a deterministic policy gate.",
        lifespan=lifespan,
    )
    app.include_router(health.router)
    return app
