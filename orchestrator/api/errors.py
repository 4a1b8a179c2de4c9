"""Every error is one JSON object: `{"error": {"status", "reason", "message", "field", ...}}`.

Validation errors name the offending field (`body.text`, `query.k`, `header.Idempotency-Key`) and
list every problem; unknown routes and methods answer in the same shape; an unexpected exception is
logged and answered as a bare 500 that reveals nothing about the code.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from orchestrator.api.exceptions import ApiError

logger = logging.getLogger("orchestrator.api")

REASONS = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "body_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "rate_limited",
}


class Problem(BaseModel):
    """One thing wrong with a request."""

    field: str = Field(description="Where: body.text, query.k, path.thread_id, header.X")
    message: str
    type: str = Field(description="Machine-readable kind of problem")


class ErrorDetail(BaseModel):
    """What went wrong, in a form a client can act on."""

    status: int
    reason: str = Field(description="Stable reason code, e.g. rate_limited, thread_busy")
    message: str
    field: str | None = Field(default=None, description="The field at fault, if one is")
    problems: list[Problem] = Field(default_factory=list)


class ErrorBody(BaseModel):
    """The body of every error response."""

    error: ErrorDetail


def error_json(
    status: int,
    reason: str,
    message: str,
    *,
    field: str | None = None,
    problems: list[Problem] | None = None,
) -> dict[str, Any]:
    """The JSON body of an error."""
    detail = ErrorDetail(
        status=status, reason=reason, message=message, field=field, problems=problems or []
    )
    return ErrorBody(error=detail).model_dump(mode="json")


def error_response(exc: ApiError) -> JSONResponse:
    """An `ApiError` as a response."""
    body = error_json(exc.status, exc.reason, exc.message, field=exc.field)
    return JSONResponse(body, status_code=exc.status, headers=exc.headers)


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(part) for part in loc) or "body"


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc)


async def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [
        Problem(field=_field(e.get("loc", ())), message=str(e.get("msg", "")), type=e["type"])
        for e in exc.errors()
    ]
    first = problems[0] if problems else Problem(field="body", message="invalid", type="invalid")
    message = f"{first.field}: {first.message}"
    body = error_json(422, "validation_failed", message, field=first.field, problems=problems)
    return JSONResponse(body, status_code=422)


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    reason = REASONS.get(exc.status_code, "error")
    message = exc.detail if isinstance(exc.detail, str) else reason.replace("_", " ")
    body = error_json(exc.status_code, reason, message)
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unhandled error on %s %s", request.method, request.url.path)
    body = error_json(500, "internal_error", "the server failed to answer; it was logged")
    return JSONResponse(body, status_code=500)


def install(app: FastAPI) -> None:
    """Answer every error of the app in the one JSON shape."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": description}
    for status, description in {
        400: "The body cannot be read (not JSON)",
        401: "No key or token, or one that is not valid",
        403: "The caller's role may not do this",
        413: "The request body is over the limit",
        422: "A field is invalid (the error names it)",
        429: "Too many requests; retry after `Retry-After` seconds",
    }.items()
}
"""Error responses every authenticated route may give, for the OpenAPI document."""


def json_errors(responses: dict[int | str, dict[str, Any]]) -> dict[int | str, dict[str, Any]]:
    """Error responses documented as JSON on a route whose own media type is not JSON (SSE)."""
    ref = {"schema": {"$ref": "#/components/schemas/ErrorBody"}}
    return {
        status: {"description": spec["description"], "content": {"application/json": ref}}
        for status, spec in responses.items()
    }
