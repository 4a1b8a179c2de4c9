"""A thread-safe circuit breaker: stop calling an endpoint that keeps failing, probe it later.

closed → (N consecutive failures) → open → (cool-down) → half-open: one probe call at a time;
its success closes the breaker, its failure opens it for another cool-down.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Literal

BreakerState = Literal["closed", "open", "half_open"]
log = logging.getLogger(__name__)


class CircuitBreaker:
    """Counts consecutive failures; `allow()` says whether a call may go out now."""

    def __init__(
        self,
        *,
        failure_threshold: int,
        cooldown_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if failure_threshold < 1 or cooldown_s <= 0:
            raise ValueError("failure_threshold must be >= 1 and cooldown_s > 0")
        self.failure_threshold = failure_threshold
        self.cooldown_s = cooldown_s
        self._clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._opened_at: float | None = None
        self._probing = False

    @property
    def state(self) -> BreakerState:
        """closed, open, or half_open (the cool-down is over: a probe may go out)."""
        with self._lock:
            return self._state()

    @property
    def failures(self) -> int:
        """Consecutive failures counted so far."""
        with self._lock:
            return self._failures

    def allow(self) -> bool:
        """Whether a call may go out; in half-open, only one probe is let through at a time."""
        with self._lock:
            state = self._state()
            if state == "closed":
                return True
            if state == "open" or self._probing:
                return False
            self._probing = True
            return True

    def record_success(self) -> None:
        """A call succeeded: close the breaker."""
        with self._lock:
            if self._opened_at is not None:
                log.info("LLM circuit breaker closed: the endpoint answers again")
            self._failures = 0
            self._opened_at = None
            self._probing = False

    def record_failure(self) -> None:
        """A call failed: count it, and open the breaker at the threshold or after a probe."""
        with self._lock:
            self._failures += 1
            opens = self._opened_at is None or self._probing
            if self._probing or self._failures >= self.failure_threshold:
                self._opened_at = self._clock()
                if opens:
                    log.warning(
                        "LLM circuit breaker opened after %d consecutive failures; "
                        "next probe in %.0f s",
                        self._failures,
                        self.cooldown_s,
                    )
            self._probing = False

    def release(self) -> None:
        """A probe ended without telling whether the endpoint works: let another one through."""
        with self._lock:
            self._probing = False

    def _state(self) -> BreakerState:
        if self._opened_at is None:
            return "closed"
        if self._clock() - self._opened_at < self.cooldown_s:
            return "open"
        return "half_open"
