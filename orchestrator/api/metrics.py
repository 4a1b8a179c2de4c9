"""Prometheus metrics: requests and latency by route and status, turns, policy decisions by effect.

Each app has its own registry (so that two apps in one process do not share counts); `GET /metrics`
serves it in the Prometheus text format. Routes are labelled by their template (`/v1/threads/{id}`),
never by the raw path, so that the number of series stays bounded.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from fastapi import APIRouter, Request, Response
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from orchestrator.api.exceptions import ForbiddenError

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    """The API's metrics in one registry."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.requests = Counter(
            "concierge_http_requests",
            "HTTP requests answered, by method, route template and status",
            ["method", "route", "status"],
            registry=r,
        )
        self.latency = Histogram(
            "concierge_http_request_duration_seconds",
            "Time to answer an HTTP request (to the end of its body), by method and route",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.turns = Counter(
            "concierge_turns",
            "Conversation turns run, by mode and how they ended",
            ["mode", "outcome"],
            registry=r,
        )
        self.turn_seconds = Histogram(
            "concierge_turn_duration_seconds",
            "Time a turn took, by mode",
            ["mode"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.turns_running = Gauge("concierge_turns_in_progress", "Turns running now", registry=r)
        self.decisions = Counter(
            "concierge_policy_decisions",
            "Policy decisions made through the API, by effect and action kind",
            ["effect", "kind"],
            registry=r,
        )
        self.rate_limited = Counter(
            "concierge_rate_limited_requests",
            "Requests refused by a rate limit, by role",
            ["role"],
            registry=r,
        )

    def render(self) -> bytes:
        """The metrics in the Prometheus text format."""
        return generate_latest(self.registry)


def route_label(scope: Scope, routes: Sequence[BaseRoute]) -> str:
    """The template of the route a request matches, or `unmatched`."""
    route = scope.get("route")
    if route is None:  # refused before routing (401, 413, 429): match it here
        route = next((r for r in routes if r.matches(scope)[0] == Match.FULL), None)
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "unmatched"


class MetricsMiddleware:
    """Counts and times every HTTP request, errors and refusals included."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics, routes: Sequence[BaseRoute]) -> None:
        self.app = app
        self.metrics = metrics
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def observe(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, observe)
        finally:
            route, method = route_label(scope, self.routes), scope["method"]
            self.metrics.requests.labels(method, route, str(status)).inc()
            self.metrics.latency.labels(method, route).observe(time.perf_counter() - started)


router = APIRouter(tags=["operations"])


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE_PLAIN_0_0_4: {}}, "description": "Prometheus text"}},
)
def get_metrics(request: Request) -> Response:
    """Request counts and latency by route and status, turns, policy decisions by effect.

    Open to any caller unless `api.metrics_public` is off; then admins only.
    """
    services = request.app.state.services
    if not services.settings.api.metrics_public:
        principal = getattr(request.state, "principal", None)
        if getattr(principal, "role", None) != "admin":
            raise ForbiddenError("metrics are for admins", reason="role_not_allowed")
    metrics: Metrics = services.metrics
    return Response(metrics.render(), media_type=CONTENT_TYPE_PLAIN_0_0_4)
