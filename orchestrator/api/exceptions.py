"""Errors the HTTP API answers with: each one a status, a reason code and a message.

Raise them anywhere below a route; `errors.py` turns them into the JSON error body. Errors a caller
can fix are 4xx with a reason code they can act on; anything else is a 500 that names no internals.
"""

from __future__ import annotations


class ApiError(Exception):
    """Root of the errors the API answers with."""

    status = 500
    reason = "internal_error"

    def __init__(
        self,
        message: str,
        *,
        reason: str | None = None,
        field: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason or type(self).reason
        self.field = field
        self.headers = headers or {}


class BadRequestError(ApiError):
    """The request cannot be read as given."""

    status = 400
    reason = "bad_request"


class UnauthenticatedError(ApiError):
    """No credentials, or credentials that are not valid."""

    status = 401
    reason = "unauthenticated"

    def __init__(self, message: str, *, reason: str | None = None) -> None:
        super().__init__(message, reason=reason, headers={"WWW-Authenticate": "Bearer"})


class ForbiddenError(ApiError):
    """The caller is known but may not do this."""

    status = 403
    reason = "forbidden"


class NotFoundError(ApiError):
    """No such resource, or none the caller may see (the two are not told apart)."""

    status = 404
    reason = "not_found"


class ConflictError(ApiError):
    """The resource is not in a state that allows this now."""

    status = 409
    reason = "conflict"


class PayloadTooLargeError(ApiError):
    """The request body is over the configured limit."""

    status = 413
    reason = "body_too_large"


class UnprocessableError(ApiError):
    """The request is well-formed but its content is refused."""

    status = 422
    reason = "unprocessable"


class RateLimitedError(ApiError):
    """Too many requests from this caller; retry after the given seconds."""

    status = 429
    reason = "rate_limited"

    def __init__(self, message: str, *, retry_after_s: int) -> None:
        super().__init__(message, headers={"Retry-After": str(retry_after_s)})
        self.retry_after_s = retry_after_s


class UnavailableError(ApiError):
    """The service cannot answer now (the store or the concierge is not ready)."""

    status = 503
    reason = "unavailable"


class UpstreamError(ApiError):
    """An engine behind the API failed to answer."""

    status = 502
    reason = "engine_failed"
