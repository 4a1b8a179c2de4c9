"""`LLMClient`: the optional LLM, used only where its output can be checked.

It may read a request into a `ShopperIntent` (checked against the catalog and never looser than
the deterministic parse), rephrase a grounded reply (checked against the approved facts) and fill
a typed structure (validated by pydantic). It never decides a price, a ranking or a policy. Every
method returns None on any failure (timeout, 5xx, circuit open, garbage, invalid or ungrounded
output) so that the caller's deterministic path answers; none of them raises.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from types import TracebackType
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from config.settings import LLMSettings
from orchestrator.llm import prompts
from orchestrator.llm.backend import ChatBackend, ChatRequest, OpenAIBackend
from orchestrator.llm.breaker import CircuitBreaker
from orchestrator.llm.cassette import RecordingBackend, ReplayBackend
from orchestrator.llm.exceptions import CircuitOpenError, InvalidOutputError, LLMError
from orchestrator.llm.facts import GroundingFacts
from orchestrator.llm.intent_draft import IntentDraft, sanitize
from orchestrator.llm.intent_merge import merge_intent
from orchestrator.llm.phrasing import validate_phrasing
from orchestrator.llm.resilience import ResilientCaller
from orchestrator.llm.safety import suspicious_value
from tools.query import CatalogVocabulary, ShopperIntent, parse

log = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


class LLMClient:
    """The optional LLM behind deadlines, retries, a circuit breaker and output validation."""

    def __init__(
        self,
        settings: LLMSettings,
        *,
        backend: ChatBackend | None = None,
        breaker: CircuitBreaker | None = None,
    ) -> None:
        if not settings.model:
            raise ValueError("the LLM client needs llm.model")
        self.settings = settings
        self.model = settings.model
        self.breaker = breaker or CircuitBreaker(
            failure_threshold=settings.breaker_failures, cooldown_s=settings.breaker_cooldown_s
        )
        self._caller = ResilientCaller(
            backend or backend_for(settings),
            timeout_s=settings.timeout_s,
            max_retries=settings.max_retries,
            breaker=self.breaker,
        )

    def parse_intent(
        self, text: str, *, vocabulary: CatalogVocabulary, now: datetime | date
    ) -> ShopperIntent | None:
        """The request as an intent no looser than the deterministic parse, or None."""
        today = now.date() if isinstance(now, datetime) else now
        request = prompts.intent_request(
            text, vocabulary=vocabulary, today=today, model=self.model, tokens=self._tokens
        )
        draft = self._ask("parse_intent", request, _json_reader(IntentDraft))
        if draft is None:
            return None

        def check() -> ShopperIntent:
            _refuse_suspicious(draft)
            base = parse(text, vocabulary=vocabulary, now=now)
            clean, dropped = sanitize(draft, vocabulary=vocabulary, text=base.normalized_text)
            if dropped:
                log.info("LLM intent: dropped %d words not in the catalog", len(dropped))
            return merge_intent(clean, base=base, today=today)

        return _checked("parse_intent", check)

    def phrase_reply(self, *, draft: str, facts: GroundingFacts) -> str | None:
        """The draft reworded, with every name, price and offer grounded in `facts`, or None."""
        request = prompts.phrase_request(draft, facts, model=self.model, tokens=self._tokens)
        reply = self._ask("phrase_reply", request, _text_reader)
        if reply is None:
            return None
        return _checked("phrase_reply", lambda: validate_phrasing(reply, draft=draft, facts=facts))

    def parse_structured(
        self, prompt: str, model_type: type[M], *, instructions: str = ""
    ) -> M | None:
        """`prompt` as a validated `model_type`, or None."""
        request = prompts.structured_request(
            prompt, model_type, instructions=instructions, model=self.model, tokens=self._tokens
        )
        value = self._ask("parse_structured", request, _json_reader(model_type))
        if value is None:
            return None
        return _checked("parse_structured", lambda: _refuse_suspicious(value))

    def close(self) -> None:
        """Release the worker threads and HTTP connections."""
        self._caller.close()

    def __enter__(self) -> LLMClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def _tokens(self) -> int:
        return self.settings.max_output_tokens

    def _ask(self, use: str, request: ChatRequest, read: Callable[[str], T]) -> T | None:
        try:
            return self._caller.call(request, read)
        except LLMError as exc:
            _log_fallback(use, exc)
            return None


def backend_for(settings: LLMSettings) -> ChatBackend:
    """The backend the settings ask for: the endpoint, recorded, or a cassette alone."""
    if settings.cassette_mode == "replay" and settings.cassette_path is not None:
        return ReplayBackend(settings.cassette_path)
    backend = OpenAIBackend(settings)
    if settings.cassette_mode == "record" and settings.cassette_path is not None:
        return RecordingBackend(backend, settings.cassette_path)
    return backend


def _checked(use: str, check: Callable[[], T]) -> T | None:
    """`check()`, or None when it refuses the output (or fails: the LLM path must never crash)."""
    try:
        return check()
    except LLMError as exc:
        _log_fallback(use, exc)
    except ValidationError:
        _log_fallback(use, InvalidOutputError("the checked output does not validate"))
    except Exception:
        log.exception("LLM %s fell back to the deterministic path: the check failed", use)
    return None


def _refuse_suspicious(value: M) -> M:
    if suspicious_value(value):
        raise InvalidOutputError("injection-like output")
    return value


def _log_fallback(use: str, exc: LLMError) -> None:
    level = logging.DEBUG if isinstance(exc, CircuitOpenError) else logging.WARNING
    log.log(level, "LLM %s fell back to the deterministic path (%s): %s", use, exc.reason, exc)


def _text_reader(text: str) -> str:
    return text.strip()


def _json_reader(model_type: type[M]) -> Callable[[str], M]:
    """Reads an answer as `model_type` (a ```json fence around it is tolerated)."""

    def read(text: str) -> M:
        body = text.strip()
        if body.startswith("```"):
            body = body.removeprefix("```json").removeprefix("```").removesuffix("```").strip()
        if not body.startswith("{"):
            raise InvalidOutputError("the LLM answer is not a JSON object")
        try:
            return model_type.model_validate_json(body)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "answer"
            raise InvalidOutputError(
                f"the LLM answer does not fit {model_type.__name__}: {where}: {first['type']}"
            ) from None

    return read
