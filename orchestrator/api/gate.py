"""What every request passes before any route runs: size, who is calling, and how often.

In this order, each refusal a JSON error and nothing else done:
1. a declared body over the limit → 413;
2. on protected paths (`/v1/...`): no valid key or token → 401; over the caller's rate → 429;
3. the body is read up to the limit (413 beyond it) and handed on to the app.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from orchestrator.api.auth import credential
from orchestrator.api.errors import error_response
from orchestrator.api.exceptions import (
    ApiError,
    BadRequestError,
    PayloadTooLargeError,
    RateLimitedError,
    UnavailableError,
)
from orchestrator.api.principals import Principal
from orchestrator.api.services import Services

BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def protected(path: str, services: Services) -> bool:
    """Whether a path needs credentials."""
    if path.startswith("/v1/"):
        return True
    return path == "/metrics" and not services.settings.api.metrics_public


class Gate:
    """Body limit, authentication and rate limit, before the app sees the request."""

    def __init__(self, app: ASGIApp, *, services: Services) -> None:
        self.app = app
        self.services = services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            self._check_declared_size(scope)
            if protected(scope["path"], self.services):
                principal = await self._authenticate(scope)
                self._limit(principal)
                scope.setdefault("state", {})["principal"] = principal
            if scope["method"] in BODY_METHODS:
                receive = _replay(await self._read_body(receive), receive)
        except ApiError as exc:
            await error_response(exc)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _check_declared_size(self, scope: Scope) -> None:
        limit = self.services.settings.api.max_body_bytes
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    raise BadRequestError("Content-Length is not a number") from None
                if declared > limit:
                    raise PayloadTooLargeError(
                        f"the body is {declared} bytes; the limit is {limit}", field="body"
                    )

    async def _authenticate(self, scope: Scope) -> Principal:
        authenticator = self.services.authenticator
        if authenticator is None:
            raise UnavailableError(f"the API is not ready: {self.services.unavailable}")
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        return await authenticator.authenticate(credential(headers), now=self.services.clock())

    def _limit(self, principal: Principal) -> None:
        verdict = self.services.limiter.take(principal.ref, principal.role)
        if not verdict.allowed:
            self.services.metrics.rate_limited.labels(principal.role).inc()
            raise RateLimitedError(
                f"rate limit of the {principal.role} role reached; retry in "
                f"{verdict.retry_after_s} s",
                retry_after_s=verdict.retry_after_s,
            )

    async def _read_body(self, receive: Receive) -> bytes:
        limit = self.services.settings.api.max_body_bytes
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise PayloadTooLargeError(
                    f"the body is over the limit of {limit} bytes", field="body"
                )
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)


def _replay(body: bytes, then: Receive) -> Receive:
    """A `receive` that hands the app the body already read, then the client's messages."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await then()

    return receive
