"""`GET /health`: is the service up and its store reachable."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

router = APIRouter(tags=["operations"])


class Health(BaseModel):
    """Liveness and store reachability."""

    status: Literal["ok", "degraded"]
    database: Literal["ok", "unreachable", "empty"]
    products: int | None = None
    concierge: Literal["ready", "unavailable"] = "unavailable"
    detail: str | None = Field(default=None, description="Why the concierge is unavailable")


@router.get("/health", response_model=Health)
def get_health(request: Request, response: Response) -> Health:
    """Report whether the store answers, how many products it holds, and if turns can run."""
    engine: Engine = request.app.state.engine
    services = request.app.state.services
    ready = services.concierge is not None
    concierge: Literal["ready", "unavailable"] = "ready" if ready else "unavailable"
    detail = None if ready else services.unavailable
    try:
        with engine.connect() as conn:
            products = int(conn.execute(text("SELECT COUNT(*) FROM products")).scalar_one())
    except SQLAlchemyError:
        response.status_code = 503
        return Health(status="degraded", database="unreachable", concierge=concierge, detail=detail)
    return Health(
        status="ok",
        database="ok" if products else "empty",
        products=products,
        concierge=concierge,
        detail=detail,
    )
