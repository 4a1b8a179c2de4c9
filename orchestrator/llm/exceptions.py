"""Errors of one LLM call; `LLMClient` turns every one of them into a deterministic fallback."""

from __future__ import annotations


class LLMError(Exception):
    """Root of LLM errors; `reason` is a short code for logs and counters."""

    reason = "error"


class TransientLLMError(LLMError):
    """A timeout, a 5xx answer or a connection error: worth another try."""

    reason = "transient"

    def __init__(self, message: str, *, reason: str = "transient") -> None:
        super().__init__(message)
        self.reason = reason


class LLMCallError(LLMError):
    """The endpoint refused the request (4xx) or the client failed; not retried."""

    reason = "refused"


class InvalidOutputError(LLMError):
    """The answer is not what was asked for: garbage, invalid JSON, wrong schema, injection-like."""

    reason = "invalid_output"


class CircuitOpenError(LLMError):
    """The circuit breaker is open: the endpoint is not called until its cool-down ends."""

    reason = "circuit_open"


class DeadlineExceededError(TransientLLMError):
    """The whole time budget of the call is spent."""

    def __init__(self, message: str = "the LLM time budget is spent") -> None:
        super().__init__(message, reason="timeout")


class CassetteMissError(LLMError):
    """Replay mode has no recorded answer for this exact request."""

    reason = "cassette_miss"

    def __init__(self, key: str, path: str) -> None:
        super().__init__(
            f"no recorded LLM answer for request {key[:16]} in {path}; "
            "record it with llm.cassette_mode=record"
        )
        self.key = key
        self.path = path


class CassetteError(LLMError):
    """A cassette file is missing or damaged (a configuration error: raised at start-up)."""

    reason = "cassette_error"


class IntentRejectedError(LLMError):
    """The LLM's reading of a request would loosen or contradict what the parser found."""

    reason = "rejected"


class UngroundedOutputError(LLMError):
    """A phrased reply states something the approved facts do not back, or reads like an attack."""

    reason = "ungrounded"
