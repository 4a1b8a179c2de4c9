"""A per-agent rate limit for the HTTP transport: a token bucket per authenticated agent.

An agent over its rate gets 429 with Retry-After. Requests without a verified token pass on to
the authentication check, which refuses them anyway.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Callable

from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser
from starlette.types import ASGIApp, Receive, Scope, Send

from config.settings import RateLimit

MAX_TRACKED = 10_000
"""Agents tracked at once; full buckets are forgotten first when there are more."""


class TokenBuckets:
    """Token buckets by key: `per_minute` refill, up to `burst` at once."""

    def __init__(self, limit: RateLimit, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = limit.per_minute / 60.0
        self.burst = float(limit.burst)
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """Take one token for `key`: 0.0 if allowed, else the seconds until one is available."""
        now = self.clock()
        with self._lock:
            tokens, seen = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - seen) * self.rate)
            if tokens < 1.0:
                self._buckets[key] = (tokens, now)
                return (1.0 - tokens) / self.rate
            self._buckets[key] = (tokens - 1.0, now)
            if len(self._buckets) > MAX_TRACKED:
                self._forget_full(now)
            return 0.0

    def _forget_full(self, now: float) -> None:
        for key, (tokens, seen) in list(self._buckets.items()):
            if tokens + (now - seen) * self.rate >= self.burst:
                del self._buckets[key]


class AgentRateLimit:
    """ASGI middleware answering 429 to an agent over its rate (runs after authentication)."""

    def __init__(self, app: ASGIApp, *, buckets: TokenBuckets) -> None:
        self.app = app
        self.buckets = buckets

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        user = scope.get("user")
        if scope["type"] == "http" and isinstance(user, AuthenticatedUser):
            wait = self.buckets.take(user.access_token.client_id)
            if wait > 0:
                await _too_many(send, math.ceil(wait))
                return
        await self.app(scope, receive, send)


async def _too_many(send: Send, retry_after: int) -> None:
    body = json.dumps(
        {"error": "rate_limited", "error_description": f"retry after {retry_after} s"}
    ).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"retry-after", str(retry_after).encode()),
    ]
    await send({"type": "http.response.start", "status": 429, "headers": headers})
    await send({"type": "http.response.body", "body": body})
