"""Calls that end in time: one deadline per use, retries on transient errors, a circuit breaker.

The whole use of the LLM (every attempt and every pause between them) fits in `timeout_s`: each
attempt gets what is left of it, and runs in a worker thread that is abandoned when the time is
up, so even an endpoint that trickles its answer byte by byte cannot hold the caller longer.
Every attempt that fails (including an answer `read` rejects) counts toward opening the breaker;
one that never left because every worker was busy does not.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TypeVar

from tenacity import RetryCallState, Retrying, retry_if_exception_type

from orchestrator.llm.backend import ChatBackend, ChatRequest
from orchestrator.llm.breaker import CircuitBreaker
from orchestrator.llm.exceptions import (
    CassetteMissError,
    CircuitOpenError,
    DeadlineExceededError,
    LLMCallError,
    LLMError,
    TransientLLMError,
)

T = TypeVar("T")
MIN_ATTEMPT_S = 0.05
"""An attempt with less time than this left is not started."""
BACKOFF_S = (0.1, 0.25, 0.5, 1.0)


class ResilientCaller:
    """Sends chat requests through a backend within a deadline, with retries and a breaker."""

    def __init__(
        self,
        backend: ChatBackend,
        *,
        timeout_s: float,
        max_retries: int,
        breaker: CircuitBreaker,
        workers: int = 16,
    ) -> None:
        self.backend = backend
        self.timeout_s = timeout_s
        self.max_retries = max_retries
        self.breaker = breaker
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="llm-call")

    def call(self, request: ChatRequest, read: Callable[[str], T]) -> T:
        """`read` of the answer to `request`, or the `LLMError` that ended the last attempt."""
        deadline = time.monotonic() + self.timeout_s
        retrying = Retrying(
            stop=lambda state: self._should_stop(state, deadline),
            wait=lambda state: _pause(state, deadline),
            retry=retry_if_exception_type(TransientLLMError),
            reraise=True,
        )
        result: T = retrying(self._attempt, request, read, deadline)
        return result

    def close(self) -> None:
        """Stop the workers (an abandoned attempt ends by its own HTTP timeout) and the backend."""
        self._executor.shutdown(wait=False, cancel_futures=True)
        self.backend.close()

    def _should_stop(self, state: RetryCallState, deadline: float) -> bool:
        out_of_attempts = state.attempt_number > self.max_retries
        return out_of_attempts or deadline - time.monotonic() < MIN_ATTEMPT_S

    def _attempt(self, request: ChatRequest, read: Callable[[str], T], deadline: float) -> T:
        if not self.breaker.allow():
            raise CircuitOpenError("the LLM circuit breaker is open")
        remaining = deadline - time.monotonic()
        if remaining < MIN_ATTEMPT_S:
            self.breaker.release()
            raise DeadlineExceededError()
        try:
            future = self._executor.submit(self.backend.complete, request, timeout_s=remaining)
            value = read(future.result(timeout=remaining))
        except FutureTimeout:
            if future.cancel():
                self.breaker.release()
                raise DeadlineExceededError("every LLM worker is busy; not sent") from None
            self.breaker.record_failure()
            raise DeadlineExceededError() from None
        except CassetteMissError:
            self.breaker.release()
            raise
        except LLMError:
            self.breaker.record_failure()
            raise
        except Exception as exc:
            self.breaker.record_failure()
            raise LLMCallError(f"the LLM call failed: {type(exc).__name__}") from exc
        self.breaker.record_success()
        return value


def _pause(state: RetryCallState, deadline: float) -> float:
    """A short backoff that always leaves time for the next attempt."""
    step = BACKOFF_S[min(state.attempt_number, len(BACKOFF_S)) - 1]
    room = deadline - time.monotonic() - MIN_ATTEMPT_S
    return max(0.0, min(step, room))
