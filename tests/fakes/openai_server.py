"""A real OpenAI-compatible HTTP server on 127.0.0.1 that answers from a script.

Each request to `POST /v1/chat/completions` takes the next scripted `Scripted` answer (the
default one when the script is spent): a normal completion, a raw body, an HTTP error, a slow
or trickling answer, or a dropped connection. Every request is counted and kept for assertions.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Literal

Kind = Literal["completion", "raw", "status", "drop"]


@dataclass(frozen=True)
class Scripted:
    """One scripted answer: what to send, after how long, and how fast."""

    kind: Kind
    body: bytes = b""
    status: int = 200
    content_type: str = "application/json"
    delay_s: float = 0.0
    trickle_s: float = 0.0


def completion(content: str, *, delay_s: float = 0.0) -> Scripted:
    """A normal chat completion whose message is `content`."""
    body = {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": "fake-model",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }
    return Scripted(kind="completion", body=json.dumps(body).encode(), delay_s=delay_s)


def completion_json(value: Any) -> Scripted:
    """A completion whose message is `value` as JSON."""
    return completion(json.dumps(value))


def raw(body: bytes, *, content_type: str = "application/json") -> Scripted:
    """A 200 answer with any body: garbage text, broken JSON, a JSON that is no completion."""
    return Scripted(kind="raw", body=body, content_type=content_type)


def status(code: int, message: str = "scripted failure") -> Scripted:
    """An HTTP error with an OpenAI-style error body."""
    body = json.dumps({"error": {"message": message, "type": "server_error", "code": None}})
    return Scripted(kind="status", body=body.encode(), status=code)


def slow(seconds: float, then: Scripted | None = None) -> Scripted:
    """`then` (a plain completion by default), sent only after `seconds`."""
    base = then or completion("late")
    return Scripted(base.kind, base.body, base.status, base.content_type, delay_s=seconds)


def trickle(every_s: float, then: Scripted | None = None) -> Scripted:
    """`then` with its headers at once and its body one byte every `every_s` seconds."""
    base = then or completion("trickled")
    return Scripted(base.kind, base.body, base.status, base.content_type, trickle_s=every_s)


def drop() -> Scripted:
    """Close the connection without answering."""
    return Scripted(kind="drop")


@dataclass
class Recorded:
    """One request the server received."""

    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=dict)


class FakeOpenAIServer:
    """The server; use as a context manager, or `start()` and `stop()`."""

    def __init__(self, *script: Scripted, default: Scripted | None = None) -> None:
        self._script: deque[Scripted] = deque(script)
        self.default = default or completion("ok")
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """The OpenAI base URL of the running server."""
        if self._httpd is None:
            raise RuntimeError("the fake server is not running")
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    @property
    def hits(self) -> int:
        """Chat completion requests received so far."""
        with self._lock:
            return sum(1 for r in self.requests if r.path.endswith("/chat/completions"))

    def script(self, *answers: Scripted) -> None:
        """Queue answers for the next requests."""
        with self._lock:
            self._script.extend(answers)

    def record(self, recorded: Recorded) -> None:
        """Keep a request that gets no scripted answer."""
        with self._lock:
            self.requests.append(recorded)

    def next_answer(self, recorded: Recorded) -> Scripted:
        """Keep the request and take the next scripted answer (the default when none is left)."""
        with self._lock:
            self.requests.append(recorded)
            return self._script.popleft() if self._script else self.default

    def pause(self, seconds: float) -> bool:
        """Wait `seconds` unless the server stops first; True when it is stopping."""
        return self._stopping.wait(seconds)

    def start(self) -> FakeOpenAIServer:
        """Listen on a free port of 127.0.0.1."""
        self._stopping.clear()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.fake = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; in-flight slow answers are abandoned and every thread is joined."""
        if self._httpd is None:
            return
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join()
        self._httpd = None

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class _Server(ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True
    fake: FakeOpenAIServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that give up mid-answer are expected here; nothing to report."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests assert on `requests` instead."""

    def do_GET(self) -> None:
        self._send(status(404, "not found"))

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        payload = self.rfile.read(length) if length else b""
        try:
            body = json.loads(payload) if payload else {}
        except ValueError:
            body = {"unparsed": payload.decode("utf-8", "replace")}
        headers = {k.lower(): v for k, v in self.headers.items()}
        recorded = Recorded(path=self.path, headers=headers, body=body)
        if not self.path.endswith("/chat/completions"):
            self.server.fake.record(recorded)
            self._send(status(404, "only chat completions are faked"))
            return
        answer = self.server.fake.next_answer(recorded)
        if answer.delay_s and self.server.fake.pause(answer.delay_s):
            return
        self._send(answer)

    def _send(self, answer: Scripted) -> None:
        if answer.kind == "drop":
            self.close_connection = True
            return
        try:
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self._write(answer)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _write(self, answer: Scripted) -> None:
        if not answer.trickle_s:
            self.wfile.write(answer.body)
            return
        for i in range(len(answer.body)):
            self.wfile.write(answer.body[i : i + 1])
            self.wfile.flush()
            if self.server.fake.pause(answer.trickle_s):
                return
