"""What every engine server shares: construction defaults and how engine errors reach clients."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any, ParamSpec, TypeVar

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

from tools.exceptions import InputError

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")

Lifespan = Callable[[MCPServer[T]], AbstractAsyncContextManager[T]]


def new_server(
    name: str, *, instructions: str, lifespan: Lifespan[T] | None = None
) -> MCPServer[T]:
    """An MCP server with the project's defaults (quiet logging: WARNING, not process-wide INFO)."""
    return MCPServer(name, instructions=instructions, log_level="WARNING", lifespan=lifespan)


def input_errors_as_tool_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Report an engine's InputError to the client as a tool error with its message."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            raise ToolError(str(exc)) from exc

    return wrapper


async def no_lifespan(_server: MCPServer[Any]) -> AsyncIterator[None]:
    """A lifespan that opens nothing."""
    yield None
