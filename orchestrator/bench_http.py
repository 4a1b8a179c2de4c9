"""A bounded loopback load check of the HTTP API: shoppers chatting at several concurrencies.

The API runs as its own process (`concierge serve` on 127.0.0.1 and a free port) over a demo store
of the given size; each session is one shopper with an API key of their own, holding
conversations of three turns (a search, "cheaper", "any deal on the first one?") on
`POST /v1/chat/complete` for a fixed time, after an untimed warm-up. Reports turns per second,
p50/p95/p99 and every answer that was not 200, per concurrency. The per-caller rate limit is
lifted for the run, since each session sends as fast as the answers come. Nothing leaves
127.0.0.1, and every loop ends by time.
"""

from __future__ import annotations

import os
import random
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

import anyio
import httpx

from config import Settings
from orchestrator.bench_turn import FOLLOW_UPS, bench_store, queries
from tools.store import make_engine
from tools.store.types import utcnow

HOST = "127.0.0.1"
START_TIMEOUT_S = 900.0
TURN_TIMEOUT_S = 30.0
WARMUP_S = 5.0


@dataclass
class Level:
    """The outcome at one concurrency."""

    sessions: int
    seconds: float
    turns: int
    turns_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    statuses: dict[str, int] = field(default_factory=dict)


@dataclass
class HttpBench:
    """Every concurrency level measured, and the store it ran on."""

    skus: int
    levels: list[Level]

    @property
    def errors(self) -> int:
        """Answers other than 200 at any level."""
        return sum(level.errors for level in self.levels)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "skus": self.skus,
            "errors": self.errors,
            "levels": [asdict(x) for x in self.levels],
        }


def run(
    base: Settings,
    *,
    skus: int,
    shoppers: int,
    sessions: list[int],
    seconds: float,
    seed: int,
) -> HttpBench:
    """Serve the API on a bench store and measure each concurrency in turn."""
    settings = bench_store(base, skus=skus, shoppers=shoppers, seed=seed)
    keys = _keys(settings, count=max(sessions), shoppers=shoppers, seed=seed)
    openings = queries(settings)
    port = _free_port()
    server = _serve(settings, port)
    try:
        url = f"http://{HOST}:{port}"
        _wait_ready(url, server)
        # Untimed: the first turns load what the server loads lazily (the query encoder).
        anyio.run(measure_level, url, keys[:2], openings, WARMUP_S, seed)
        levels = [
            anyio.run(measure_level, url, keys[:n], openings, seconds, seed)
            for n in sorted(set(sessions))
        ]
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    return HttpBench(skus=skus, levels=levels)


def _keys(settings: Settings, *, count: int, shoppers: int, seed: int) -> list[str]:
    """One shopper key per session, for distinct shoppers of the store."""
    from orchestrator.api.keys import create_key

    rng = random.Random(seed)
    chosen = rng.sample(range(shoppers), k=min(count, shoppers))
    engine = make_engine(settings.resolved_database_url)
    try:
        return [
            create_key(
                engine,
                role="shopper",
                subject=f"bench-{i:06d}",
                shopper_id=f"shopper-{i:06d}",
                category_scopes=[],
                label="bench http",
                now=utcnow(),
            ).key
            for i in chosen
        ]
    finally:
        engine.dispose()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


def _serve(settings: Settings, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "CONCIERGE_DATA_DIR": str(settings.data_dir),
        "CONCIERGE_DATABASE_URL": settings.resolved_database_url,
        "CONCIERGE_CHECKPOINTS__URL": settings.resolved_checkpoint_url,
        "CONCIERGE_API__RATE_LIMITS__SHOPPER__PER_MINUTE": "1000000",
        "CONCIERGE_API__RATE_LIMITS__SHOPPER__BURST": "100000",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }
    command = [sys.executable, "-m", "orchestrator.cli", "serve", "--host", HOST]
    return subprocess.Popen(
        [*command, "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait_ready(url: str, server: subprocess.Popen[bytes]) -> None:
    """Until the concierge answers (the first start builds the search index)."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the API server exited with code {server.returncode}")
        try:
            health = httpx.get(f"{url}/health", timeout=5).json()
            if health.get("concierge") == "ready":
                return
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the API was not ready within {START_TIMEOUT_S:g} s")


async def measure_level(
    url: str, keys: list[str], openings: list[str], seconds: float, seed: int
) -> Level:
    latencies: list[float] = []
    statuses: Counter[str] = Counter()
    limits = httpx.Limits(max_connections=len(keys) + 4)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=TURN_TIMEOUT_S) as client:
        stop = time.monotonic() + seconds

        async def session(index: int, key: str) -> None:
            rng = random.Random(seed * 1000 + index)
            headers = {"Authorization": f"Bearer {key}"}
            while time.monotonic() < stop:
                thread: str | None = None
                for words in (rng.choice(openings), *(w for _, w in FOLLOW_UPS)):
                    body: dict[str, Any] = {"message": words}
                    if thread:
                        body["thread_id"] = thread
                    started = time.perf_counter()
                    try:
                        answer = await client.post("/v1/chat/complete", json=body, headers=headers)
                        status = str(answer.status_code)
                    except httpx.HTTPError as exc:
                        status, answer = type(exc).__name__, None
                    latencies.append((time.perf_counter() - started) * 1000)
                    statuses[status] += 1
                    if answer is None or answer.status_code != 200:
                        break
                    thread = answer.json().get("thread_id") or answer.headers.get("X-Thread-Id")
                    if time.monotonic() >= stop:
                        return

        began = time.monotonic()
        async with anyio.create_task_group() as group:
            for i, key in enumerate(keys):
                group.start_soon(session, i, key)
        elapsed = time.monotonic() - began
    ordered = sorted(latencies) or [0.0]
    return Level(
        sessions=len(keys),
        seconds=round(elapsed, 2),
        turns=len(latencies),
        turns_per_s=round(len(latencies) / elapsed, 2) if elapsed else 0.0,
        p50_ms=round(statistics.median(ordered), 2),
        p95_ms=round(percentile(ordered, 0.95), 2),
        p99_ms=round(percentile(ordered, 0.99), 2),
        errors=sum(n for s, n in statuses.items() if s != "200"),
        statuses=dict(statuses),
    )


def percentile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]
