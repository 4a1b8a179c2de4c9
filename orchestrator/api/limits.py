"""Per-caller rate limits: one token bucket per principal, refilled continuously.

Buckets live in the process (each API worker limits on its own, so N workers allow N times the
rate); idle buckets are dropped so that memory stays bounded by the recent callers.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from config.settings import RateLimit

MAX_BUCKETS = 10_000


@dataclass
class _Bucket:
    tokens: float
    at: float


@dataclass(frozen=True)
class Verdict:
    """Whether a request may go ahead, and if not, after how many seconds it may."""

    allowed: bool
    remaining: int
    retry_after_s: int = 0


class RateLimiter:
    """Token buckets by caller, with the limit of each caller's role."""

    def __init__(
        self, limits: Mapping[str, RateLimit], *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limits = dict(limits)
        self.clock = clock
        self._buckets: dict[str, _Bucket] = {}

    def take(self, caller: str, role: str) -> Verdict:
        """Spend one token of `caller`'s bucket, or say how long until one is back."""
        limit = self.limits.get(role)
        if limit is None:
            return Verdict(allowed=True, remaining=-1)
        now = self.clock()
        rate = limit.per_minute / 60.0
        bucket = self._buckets.get(caller)
        if bucket is None:
            self._prune(now)
            bucket = self._buckets[caller] = _Bucket(tokens=float(limit.burst), at=now)
        bucket.tokens = min(float(limit.burst), bucket.tokens + (now - bucket.at) * rate)
        bucket.at = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return Verdict(allowed=True, remaining=int(bucket.tokens))
        wait = math.ceil((1.0 - bucket.tokens) / rate)
        return Verdict(allowed=False, remaining=0, retry_after_s=max(1, wait))

    def _prune(self, now: float) -> None:
        if len(self._buckets) < MAX_BUCKETS:
            return
        idle = [k for k, b in self._buckets.items() if now - b.at > 600]
        for key in idle or list(self._buckets)[: MAX_BUCKETS // 10]:
            del self._buckets[key]
