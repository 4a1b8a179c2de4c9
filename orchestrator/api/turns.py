"""Turns run apart from the requests that start them, so that a dropped stream loses nothing.

`TurnRunner.start` checks that the caller may talk in the thread, claims it, and runs the turn in
the app's task group; the request reads its events from a stream while it listens. When the client
goes away the turn still runs to its end and records its result for `GET /v1/threads/{id}`.
"""

from __future__ import annotations

import logging
import math
import time
import uuid
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import anyio
import anyio.to_thread
from anyio.abc import TaskGroup
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

from orchestrator.api.exceptions import ConflictError, NotFoundError
from orchestrator.api.metrics import Metrics
from orchestrator.api.models import TurnResult
from orchestrator.api.principals import Principal
from orchestrator.api.tables import ApiThread
from orchestrator.api.threads import ThreadStatus, ThreadStore
from orchestrator.events import DecisionMade, TurnEvent, TurnFinished
from orchestrator.runtime import Concierge
from orchestrator.state import Mode

logger = logging.getLogger("orchestrator.api.turns")


def new_thread_id(mode: Mode) -> str:
    """A fresh, unguessable thread id."""
    return f"{'task' if mode == 'merch' else 'th'}_{uuid.uuid4().hex}"


@dataclass
class TurnJob:
    """A turn under way: its events while it runs, its result when it ends."""

    thread_id: str
    mode: Mode
    events: MemoryObjectReceiveStream[TurnEvent]
    done: anyio.Event = field(default_factory=anyio.Event)
    result: TurnResult | None = None

    async def wait(self) -> TurnResult:
        """Wait for the end of the turn without reading its events."""
        await self.events.aclose()
        await self.done.wait()
        assert self.result is not None
        return self.result


class TurnRunner:
    """Starts turns and resumptions on the concierge, one at a time per thread."""

    def __init__(
        self,
        concierge: Concierge,
        threads: ThreadStore,
        *,
        metrics: Metrics,
        clock: Callable[[], datetime],
        tasks: TaskGroup,
    ) -> None:
        self.concierge = concierge
        self.threads = threads
        self.metrics = metrics
        self.clock = clock
        self.tasks = tasks
        self.running = 0
        self._scopes: set[anyio.CancelScope] = set()

    async def start(
        self, principal: Principal, *, text: str, thread_id: str | None, mode: Mode
    ) -> TurnJob:
        """Start a turn in the caller's thread (a new one without `thread_id`)."""
        thread_id = thread_id or new_thread_id(mode)
        row = await self._own(principal, thread_id, mode)
        if row.status == "awaiting_approval":
            raise ConflictError(
                "the thread waits for an approval; start a new thread or wait for the decision",
                reason="awaiting_approval",
            )
        await self._claim(thread_id, resume=False)
        now = self.clock()
        events = self.concierge.stream(
            text,
            thread_id=thread_id,
            shopper_id=principal.shopper_id,
            actor=principal.actor(),
            mode=mode,
            now=now,
        )
        return self._launch(thread_id, mode, events)

    async def resume(
        self, thread_id: str, verdicts: Callable[[], Mapping[str, Mapping[str, Any]]]
    ) -> TurnJob:
        """Resume a turn paused for approval with the verdicts read once the thread is claimed."""
        await self._claim(thread_id, resume=True)
        row = await anyio.to_thread.run_sync(self.threads.get, thread_id)
        given = await anyio.to_thread.run_sync(verdicts)
        mode: Mode = "merch" if row is not None and row.mode == "merch" else "shopper"
        return self._launch(thread_id, mode, self.concierge.resume(thread_id, given))

    async def drain(self, timeout_s: float) -> None:
        """Wait (up to `timeout_s`) for the running turns to end."""
        with anyio.move_on_after(timeout_s):
            while self.running:
                await anyio.sleep(0.05)

    def cancel_all(self) -> None:
        """Cancel the turns still running (at shutdown, after `drain`)."""
        for scope in list(self._scopes):
            scope.cancel()

    async def _own(self, principal: Principal, thread_id: str, mode: Mode) -> ApiThread:
        row = await anyio.to_thread.run_sync(self.threads.get, thread_id)
        if row is None:
            await self._not_someone_elses(principal, thread_id)
            now = self.clock()
            row = await anyio.to_thread.run_sync(
                self.threads.create, thread_id, principal, mode, now
            )
        if row.owner != principal.ref or row.mode != mode:
            raise NotFoundError(f"no thread {thread_id!r}", field="thread_id")
        return row

    async def _not_someone_elses(self, principal: Principal, thread_id: str) -> None:
        """A thread started outside the API (e.g. the CLI) belongs to whoever spoke in it."""
        state = await self.concierge.thread(thread_id)
        request = state.get("request") if state else None
        if request is not None and request.actor.id != principal.id:
            raise NotFoundError(f"no thread {thread_id!r}", field="thread_id")

    async def _claim(self, thread_id: str, *, resume: bool) -> None:
        now = self.clock()
        claimed = await anyio.to_thread.run_sync(
            lambda: self.threads.begin(thread_id, resume=resume, now=now)
        )
        if not claimed:
            reason = "not_awaiting_approval" if resume else "thread_busy"
            message = (
                "the thread is not waiting for an approval"
                if resume
                else "a turn is already running in this thread"
            )
            raise ConflictError(message, reason=reason, headers={"Retry-After": "1"})

    def _launch(self, thread_id: str, mode: Mode, events: AsyncIterator[TurnEvent]) -> TurnJob:
        send, receive = anyio.create_memory_object_stream[TurnEvent](math.inf)
        job = TurnJob(thread_id=thread_id, mode=mode, events=receive)
        self.running += 1
        self.metrics.turns_running.inc()
        self.tasks.start_soon(self._run, job, events, send)
        return job

    async def _run(
        self,
        job: TurnJob,
        events: AsyncIterator[TurnEvent],
        send: MemoryObjectSendStream[TurnEvent],
    ) -> None:
        started = time.perf_counter()
        finished: TurnFinished | None = None
        error: str | None = None
        scope = anyio.CancelScope()
        self._scopes.add(scope)
        try:
            with scope:
                finished = await self._relay(events, send)
        except Exception as exc:
            logger.exception("turn failed in thread %s", job.thread_id)
            error = f"the turn failed ({type(exc).__name__}); nothing more was done"
        finally:
            self._scopes.discard(scope)
            if scope.cancel_called:
                error = "the turn was stopped by a shutdown"
            with anyio.CancelScope(shield=True):
                await self._record(job, finished, error, started)

    async def _relay(
        self, events: AsyncIterator[TurnEvent], send: MemoryObjectSendStream[TurnEvent]
    ) -> TurnFinished | None:
        """Pass the turn's events on while anyone listens; the last `turn_finished`."""
        finished: TurnFinished | None = None
        async with send:
            async for event in events:
                finished = event if isinstance(event, TurnFinished) else finished
                if isinstance(event, DecisionMade):
                    self.metrics.decisions.labels(event.effect, event.kind).inc()
                # A client that stopped listening does not stop the turn.
                with suppress(anyio.BrokenResourceError, anyio.ClosedResourceError):
                    send.send_nowait(event)
        return finished

    async def _record(
        self, job: TurnJob, finished: TurnFinished | None, error: str | None, started: float
    ) -> None:
        if finished is not None and error is None:
            result = TurnResult.of(finished)
        else:
            result = TurnResult.failed(job.thread_id, error or "the turn ended without a result")
        status: ThreadStatus = result.status
        try:
            await anyio.to_thread.run_sync(
                self.threads.finish,
                job.thread_id,
                status,
                result.model_dump(mode="json"),
                self.clock(),
            )
        except Exception:
            logger.exception("could not record the end of the turn in %s", job.thread_id)
        self.metrics.turns.labels(job.mode, status).inc()
        self.metrics.turn_seconds.labels(job.mode).observe(time.perf_counter() - started)
        self.metrics.turns_running.dec()
        self.running -= 1
        job.result = result
        job.done.set()
