"""`GET /v1/me` (who the credentials stand for) and `POST /v1/tokens` (admins sign tokens)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field, model_validator

from orchestrator.api import tokens
from orchestrator.api.auth import current, require
from orchestrator.api.errors import ERROR_RESPONSES
from orchestrator.api.exceptions import UnprocessableError
from orchestrator.api.principals import Principal, Role
from orchestrator.api.services import Services, services

router = APIRouter(prefix="/v1", tags=["access"])


class Me(BaseModel):
    """The caller as the API knows them."""

    subject: str
    role: Role
    shopper_id: str | None
    category_scopes: list[str]
    via: str = Field(description="key, token or dev_key")


class TokenRequest(BaseModel):
    """Who a new token stands for, and for how long."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "role": "shopper",
                    "subject": "web-session-42",
                    "shopper_id": "shopper-000001",
                    "ttl_s": 3600,
                }
            ]
        },
    )

    role: Role
    subject: str = Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:@-]+$")
    shopper_id: str | None = Field(default=None, min_length=1, max_length=64)
    category_scopes: list[str] = Field(default_factory=list, max_length=200)
    ttl_s: int = Field(default=3600, ge=60, le=30 * 86_400)

    @model_validator(mode="after")
    def _shopper_fields(self) -> TokenRequest:
        if self.role != "shopper" and self.shopper_id is not None:
            raise ValueError("shopper_id is for shopper tokens only")
        if self.role == "shopper" and self.category_scopes:
            raise ValueError("category_scopes are for staff tokens only")
        return self


class IssuedToken(BaseModel):
    """A signed bearer token."""

    token: str = Field(description="Send as Authorization: Bearer <token>")
    expires_at: datetime


@router.get("/me", response_model=Me, responses=ERROR_RESPONSES)
async def me(principal: Annotated[Principal, Depends(current)]) -> Me:
    """Who the presented key or token stands for."""
    return Me(
        subject=principal.subject,
        role=principal.role,
        shopper_id=principal.shopper_id,
        category_scopes=list(principal.category_scopes),
        via=principal.via,
    )


@router.post("/tokens", response_model=IssuedToken, status_code=201, responses=ERROR_RESPONSES)
async def issue_token(
    body: TokenRequest,
    principal: Annotated[Principal, Depends(require("admin"))],
    svc: Annotated[Services, Depends(services)],
) -> IssuedToken:
    """Sign a token for a shopper (a storefront session) or a staff member.

    A shopper token without `shopper_id` is a guest: it can chat and search, with no personal data.
    """
    if body.ttl_s > svc.settings.api.token_max_ttl_s:
        raise UnprocessableError(
            f"ttl_s may be at most {svc.settings.api.token_max_ttl_s}", field="body.ttl_s"
        )
    subject = Principal(
        subject=body.subject,
        role=body.role,
        shopper_id=body.shopper_id,
        category_scopes=tuple(body.category_scopes),
        via="token",
    )
    now = svc.clock()
    token = tokens.issue(svc.settings, subject, ttl_s=body.ttl_s, now=now)
    expires = datetime.fromtimestamp(int(now.timestamp()) + body.ttl_s, tz=UTC)
    return IssuedToken(token=token, expires_at=expires)
