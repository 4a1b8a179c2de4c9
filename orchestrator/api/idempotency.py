"""`Idempotency-Key` on writes: a retry gets the first response again, byte for byte.

A POST under `/v1/` with the header is claimed under (caller, key) before it runs. A retry with
the same method, path, query and body replays the stored response (`Idempotent-Replayed: true`);
the same key with anything else is refused with 422; a retry while the first still runs gets 409.
A 5xx response is not kept, so the write may be tried again. Once claimed, a request runs to its
end even if the client goes away (a streamed turn too), so that its retry can be answered.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

import anyio
import anyio.to_thread
from sqlalchemy import Engine, delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from orchestrator.api.errors import error_response
from orchestrator.api.exceptions import ConflictError, UnprocessableError
from orchestrator.api.principals import Principal
from orchestrator.api.services import Services
from orchestrator.api.tables import IdempotentResponse, transaction

logger = logging.getLogger("orchestrator.api.idempotency")

HEADER = "idempotency-key"
MAX_KEY_LENGTH = 255
MAX_STORED_BYTES = 4 * 1024 * 1024
DROPPED_HEADERS = {b"date", b"server"}
PRUNE_EVERY = 500

Claim = Literal["new", "replay", "mismatch", "in_progress"]


@dataclass(frozen=True)
class Stored:
    """A response kept for replay."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


class IdempotencyStore:
    """Claims, completes and forgets idempotency keys in the store."""

    def __init__(self, engine: Engine, *, ttl: timedelta) -> None:
        self.engine = engine
        self.ttl = ttl
        self._claims = 0

    def claim(
        self, owner: str, key: str, fingerprint: str, now: datetime
    ) -> tuple[Claim, Stored | None]:
        """Claim a key for a new request, or say what the earlier request with it left."""
        self._claims += 1
        if self._claims % PRUNE_EVERY == 0:
            self.prune(now)
        row = IdempotentResponse(owner=owner, key=key, fingerprint=fingerprint, created_at=now)
        try:
            with transaction(self.engine) as session:
                existing = session.get(IdempotentResponse, (owner, key))
                if existing is not None and existing.created_at < now - self.ttl:
                    session.delete(existing)
                    session.flush()
                    existing = None
                if existing is None:
                    session.add(row)
                    return "new", None
        except IntegrityError:
            pass  # claimed meanwhile by a concurrent request: read what it is
        with Session(self.engine) as session:
            existing = session.get(IdempotentResponse, (owner, key))
        if existing is None:
            return "in_progress", None
        if existing.fingerprint != fingerprint:
            return "mismatch", None
        if existing.state != "done":
            return "in_progress", None
        headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in existing.headers]
        return "replay", Stored(existing.status_code, headers, existing.body)

    def complete(self, owner: str, key: str, stored: Stored) -> None:
        """Keep the response of a claimed request."""
        with transaction(self.engine) as session:
            row = session.get(IdempotentResponse, (owner, key))
            if row is None:
                return
            row.state = "done"
            row.status_code = stored.status
            row.headers = [[k.decode("latin-1"), v.decode("latin-1")] for k, v in stored.headers]
            row.body = stored.body
            session.add(row)

    def release(self, owner: str, key: str) -> None:
        """Forget a claim whose request failed, so that it may be tried again."""
        with transaction(self.engine) as session:
            row = session.get(IdempotentResponse, (owner, key))
            if row is not None:
                session.delete(row)

    def prune(self, now: datetime) -> int:
        """Forget responses older than the retention."""
        cutoff = now - self.ttl
        with transaction(self.engine) as session:
            stmt = delete(IdempotentResponse).where(col(IdempotentResponse.created_at) < cutoff)
            return int(session.execute(stmt).rowcount or 0)  # type: ignore[attr-defined]


def fingerprint(scope: Scope, body: bytes) -> str:
    """SHA-256 of what makes two requests the same: method, path, query and body."""
    digest = hashlib.sha256()
    for part in (scope["method"].encode(), scope["path"].encode(), scope["query_string"], body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _key(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == HEADER.encode():
            text = str(value.decode("latin-1"))
            if not 1 <= len(text) <= MAX_KEY_LENGTH or not text.isprintable():
                raise UnprocessableError(
                    f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} printable characters",
                    reason="idempotency_key_invalid",
                    field="header.Idempotency-Key",
                )
            return text
    return None


async def _body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


class Idempotency:
    """Replays the response of a write retried with the same Idempotency-Key."""

    def __init__(self, app: ASGIApp, *, services: Services) -> None:
        self.app = app
        self.services = services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        principal = scope.get("state", {}).get("principal")
        applies = (
            scope["type"] == "http"
            and scope["method"] == "POST"
            and isinstance(principal, Principal)
            and self.services.engine is not None
        )
        try:
            key = _key(scope) if applies else None
        except UnprocessableError as exc:
            await error_response(exc)(scope, receive, send)
            return
        if key is None or not isinstance(principal, Principal):
            await self.app(scope, receive, send)
            return
        await self._once(scope, receive, send, principal.ref, key)

    async def _once(self, scope: Scope, receive: Receive, send: Send, owner: str, key: str) -> None:
        assert self.services.engine is not None
        store = IdempotencyStore(
            self.services.engine,
            ttl=timedelta(seconds=self.services.settings.api.idempotency_ttl_s),
        )
        body = await _body(receive)
        now = self.services.clock()
        claim, stored = await anyio.to_thread.run_sync(
            store.claim, owner, key, fingerprint(scope, body), now
        )
        if claim == "replay" and stored is not None:
            await _send_stored(send, stored)
        elif claim == "mismatch":
            refusal = UnprocessableError(
                "this Idempotency-Key was used with a different request",
                reason="idempotency_key_reused",
                field="header.Idempotency-Key",
            )
            await error_response(refusal)(scope, receive, send)
        elif claim == "in_progress":
            busy = ConflictError(
                "a request with this Idempotency-Key is still running",
                reason="idempotency_in_progress",
                headers={"Retry-After": "1"},
            )
            await error_response(busy)(scope, receive, send)
        else:
            await self._run(scope, body, send, store, owner, key)

    async def _run(
        self, scope: Scope, body: bytes, send: Send, store: IdempotencyStore, owner: str, key: str
    ) -> None:
        captured = _Capture(send)
        try:
            await self.app(scope, _detached(body), captured.send)
        except BaseException:
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(store.release, owner, key)
            raise
        with anyio.CancelScope(shield=True):
            result = captured.result()
            if result is None:
                await anyio.to_thread.run_sync(store.release, owner, key)
            else:
                await anyio.to_thread.run_sync(store.complete, owner, key, result)


def _detached(body: bytes) -> Receive:
    """The body, then silence: a claimed request finishes even if its client leaves."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await anyio.sleep_forever()
        raise AssertionError("unreachable")

    return receive


class _Capture:
    """Passes the response on to the client (while it listens) and keeps a copy of it."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self.status = 0
        self.headers: list[tuple[bytes, bytes]] = []
        self.chunks: list[bytes] = []
        self.size = 0
        self.complete = False
        self.client_gone = False

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = int(message["status"])
            self.headers = [
                (k, v) for k, v in message.get("headers", []) if k not in DROPPED_HEADERS
            ]
        elif message["type"] == "http.response.body":
            chunk = message.get("body", b"")
            self.size += len(chunk)
            if self.size <= MAX_STORED_BYTES:
                self.chunks.append(chunk)
            self.complete = not message.get("more_body", False)
        if self.client_gone:
            return
        try:
            await self._send(message)
        except OSError:
            self.client_gone = True

    def result(self) -> Stored | None:
        """The response to keep, or None when it must not be replayed."""
        if not self.complete or self.status >= 500 or self.size > MAX_STORED_BYTES:
            return None
        return Stored(self.status, self.headers, b"".join(self.chunks))


async def _send_stored(send: Send, stored: Stored) -> None:
    headers = [*stored.headers, (b"idempotent-replayed", b"true")]
    await send({"type": "http.response.start", "status": stored.status, "headers": headers})
    await send({"type": "http.response.body", "body": stored.body, "more_body": False})
