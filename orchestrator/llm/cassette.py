"""Record and replay LLM exchanges as JSONL, so conversations replay in CI without a network.

Each line is one exchange: the request's key (a hash of model, messages and options), the request
itself, and the answer text. Only answers are recorded, never credentials or failures. Replay
answers from the file alone; a request it has no answer for raises `CassetteMissError`.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from orchestrator.llm.backend import ChatBackend, ChatRequest
from orchestrator.llm.exceptions import CassetteError, CassetteMissError


class Exchange(BaseModel):
    """One recorded request and its answer."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    request: ChatRequest
    response: str


class RecordingBackend:
    """Passes requests to a real backend and appends every answered exchange to the cassette."""

    def __init__(self, inner: ChatBackend, path: Path) -> None:
        self._inner = inner
        self._path = path
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)

    def complete(self, request: ChatRequest, *, timeout_s: float) -> str:
        """The inner backend's answer, recorded."""
        response = self._inner.complete(request, timeout_s=timeout_s)
        line = Exchange(key=request.key(), request=request, response=response).model_dump_json()
        with self._lock, self._path.open("a", encoding="utf-8") as out:
            out.write(line + "\n")
        return response

    def close(self) -> None:
        """Close the inner backend."""
        self._inner.close()


class ReplayBackend:
    """Answers from a cassette only; the network is never used."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._answers = load_cassette(path)

    def complete(self, request: ChatRequest, *, timeout_s: float) -> str:
        """The recorded answer to this exact request, or `CassetteMissError`."""
        key = request.key()
        try:
            return self._answers[key]
        except KeyError:
            raise CassetteMissError(key, str(self._path)) from None

    def close(self) -> None:
        """Nothing to close."""


def load_cassette(path: Path) -> dict[str, str]:
    """Answers by request key (a later recording of the same request wins)."""
    if not path.is_file():
        raise CassetteError(f"LLM cassette {path} does not exist; record one first")
    answers: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            exchange = Exchange.model_validate(json.loads(line))
        except (ValueError, ValidationError) as exc:
            raise CassetteError(f"LLM cassette {path}, line {number}: not an exchange") from exc
        if exchange.key != exchange.request.key():
            raise CassetteError(f"LLM cassette {path}, line {number}: key does not match request")
        answers[exchange.key] = exchange.response
    return answers
