"""Progress of a long encoding, as one line with a bar and the throughput, and its summary."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

BAR_WIDTH = 24

logger = logging.getLogger(__name__)


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}m {secs:02d}s" if minutes else f"{secs}s"


class EncodingProgress:
    """A `progress(done, total)` callback that reports lines like
    `embedding ━━━━━━━━━━━━╸─────────── 51,200/100,000 texts · 262 texts/s · 3m 06s left`.

    Without a `report` function the lines are logged (at most every `every_s` seconds).
    `summary()` gives what was encoded and how fast, for benchmark reports.
    """

    def __init__(
        self,
        report: Callable[[str], None] | None = None,
        *,
        label: str = "embedding",
        every_s: float = 10.0,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self._report = report
        self._label = label
        self._every_s = every_s
        self._clock = clock
        self._started: float | None = None
        self._last_line = float("-inf")
        self.done = 0
        self.total = 0

    def __call__(self, done: int, total: int) -> None:
        now = self._clock()
        if self._started is None:
            self._started = now
        self.done, self.total = done, total
        if self._report is not None:
            self._report(self.line(now))
        elif done == total or now - self._last_line >= self._every_s:
            self._last_line = now
            logger.info("%s", self.line(now))

    def start(self) -> None:
        """Start the clock now (else it starts at the first report)."""
        self._started = self._clock()

    @property
    def seconds(self) -> float:
        """Seconds since the start."""
        return 0.0 if self._started is None else self._clock() - self._started

    @property
    def rate(self) -> float:
        """Texts encoded per second so far."""
        seconds = self.seconds
        return self.done / seconds if seconds > 0 else 0.0

    def line(self, now: float | None = None) -> str:
        """The progress line as of `now`."""
        elapsed = (now if now is not None else self._clock()) - (self._started or 0.0)
        share = self.done / self.total if self.total else 1.0
        filled = share * BAR_WIDTH
        bar = "━" * int(filled) + ("╸" if filled % 1 >= 0.5 else "")
        bar += "─" * (BAR_WIDTH - len(bar))
        rate = self.done / elapsed if elapsed > 0 else 0.0
        left = self.total - self.done
        until = f" · {_duration(left / rate)} left" if rate > 0 and left > 0 else ""
        counts = f"{self.done:,}/{self.total:,} texts · {rate:,.0f} texts/s"
        return f"{self._label} {bar} {counts}{until}"

    def summary(self) -> dict[str, float | int]:
        """Texts encoded, seconds taken and texts per second (0 texts when all were cached)."""
        return {
            "encoded_texts": self.done,
            "encode_s": round(self.seconds, 2),
            "texts_per_s": round(self.rate, 1),
        }
