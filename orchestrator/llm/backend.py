"""One chat completion over the network: the request, the backend protocol, the `openai` backend.

The backend makes exactly one attempt; retries, the deadline and the circuit breaker live in
`resilience`. Errors are mapped to `TransientLLMError` (worth a retry), `LLMCallError` (refused)
and `InvalidOutputError` (an answer that is no chat completion).
"""

from __future__ import annotations

import hashlib
import json
from typing import Literal, Protocol

import openai
from openai.types.chat import ChatCompletion
from pydantic import BaseModel, ConfigDict, Field

from config.settings import LLMSettings
from orchestrator.llm.exceptions import InvalidOutputError, LLMCallError, TransientLLMError


class ChatMessage(BaseModel):
    """One message of a chat request."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    role: Literal["system", "user", "assistant"]
    content: str


class ChatRequest(BaseModel):
    """Everything that decides the answer: equal requests have equal keys (for the cassette)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    model: str
    messages: tuple[ChatMessage, ...]
    json_output: bool = Field(default=False, description="Ask for a JSON object as the answer")
    max_tokens: int = Field(default=600, ge=1)
    temperature: float = 0.0

    def key(self) -> str:
        """A stable hash of the request (sorted-key JSON), never of any credential."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=True)
        return hashlib.sha256(canonical.encode()).hexdigest()


class ChatBackend(Protocol):
    """Answers one chat request with the assistant's text, within `timeout_s`."""

    def complete(self, request: ChatRequest, *, timeout_s: float) -> str: ...

    def close(self) -> None: ...


class OpenAIBackend:
    """A chat backend over the `openai` client (any OpenAI-compatible base URL)."""

    def __init__(self, settings: LLMSettings) -> None:
        key = settings.api_key.get_secret_value() if settings.api_key else "not-needed"
        self._client = openai.OpenAI(
            base_url=settings.base_url,
            api_key=key,
            timeout=settings.timeout_s,
            max_retries=0,
        )

    def complete(self, request: ChatRequest, *, timeout_s: float) -> str:
        """The assistant's text for one request; one attempt, no retry."""
        try:
            response = self._client.chat.completions.create(
                model=request.model,
                messages=[m.model_dump() for m in request.messages],  # type: ignore[misc]
                temperature=request.temperature,
                max_tokens=request.max_tokens,
                response_format={"type": "json_object"} if request.json_output else openai.omit,
                timeout=timeout_s,
            )
        except openai.APITimeoutError as exc:
            raise TransientLLMError("the LLM endpoint timed out", reason="timeout") from exc
        except openai.APIConnectionError as exc:
            raise TransientLLMError("the LLM endpoint is unreachable", reason="connection") from exc
        except openai.APIStatusError as exc:
            if exc.status_code >= 500:
                raise TransientLLMError(
                    f"the LLM endpoint answered {exc.status_code}", reason="server_error"
                ) from exc
            raise LLMCallError(f"the LLM endpoint refused the request ({exc.status_code})") from exc
        except openai.OpenAIError as exc:
            raise LLMCallError(f"the LLM client failed: {type(exc).__name__}") from exc
        except ValueError as exc:
            raise InvalidOutputError("the LLM endpoint sent a body that is not JSON") from exc
        return _content_of(response)

    def close(self) -> None:
        """Close the HTTP connections."""
        self._client.close()


def _content_of(response: object) -> str:
    """The first choice's text, or `InvalidOutputError` for anything that is no completion."""
    if not isinstance(response, ChatCompletion) or not isinstance(response.choices, list):
        raise InvalidOutputError("the LLM endpoint sent something that is no chat completion")
    if not response.choices:
        raise InvalidOutputError("the LLM answer has no choices")
    message = getattr(response.choices[0], "message", None)
    content = getattr(message, "content", None)
    if not isinstance(content, str) or not content.strip():
        raise InvalidOutputError("the LLM answer has no text")
    return content
