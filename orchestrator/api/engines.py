"""Calls from the API to the engines' tool servers, through the concierge's in-process hub.

The API uses the same servers (and so the same loaded search index and fitted recommenders) as the
agents. A tool that refuses its arguments is the caller's problem (422); any other failure is 502.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from orchestrator.api.exceptions import UnprocessableError, UpstreamError
from orchestrator.runtime import Concierge

M = TypeVar("M", bound=BaseModel)


async def call_tool(
    concierge: Concierge, tool: str, arguments: dict[str, Any], returns: type[M]
) -> M:
    """Call `server.tool` and read its structured result as `returns`."""
    try:
        result = await concierge.deps.hub.call(tool, arguments)
    except Exception as exc:
        raise UpstreamError(f"{tool} failed: {type(exc).__name__}") from exc
    if result.is_error:
        text = " ".join(getattr(c, "text", "") for c in result.content).strip()
        raise UnprocessableError(text or f"{tool} refused the request", reason="engine_refused")
    try:
        return returns.model_validate(result.structured_content)
    except ValidationError as exc:
        raise UpstreamError(f"{tool} answered in an unexpected shape") from exc
