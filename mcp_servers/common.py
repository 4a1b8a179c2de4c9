"""What every engine server shares: construction defaults and how engine errors reach clients."""

from __future__ import annotations

import functools
import inspect
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, ParamSpec, TypeVar, cast

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations
from sqlalchemy import Engine

from config import Settings
from tools.exceptions import InputError, StoreError
from tools.store import has_schema, make_engine

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
    if inspect.iscoroutinefunction(func):

        @functools.wraps(func)
        async def async_wrapper(*args: P.args, **kwargs: P.kwargs) -> Any:
            try:
                return await func(*args, **kwargs)
            except InputError as exc:
                raise ToolError(str(exc)) from exc

        return cast(Callable[P, R], async_wrapper)

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


@asynccontextmanager
async def open_store(settings: Settings) -> AsyncIterator[Engine]:
    """The configured store's engine for a server's lifetime; refuses a store with no schema."""
    url = settings.resolved_database_url
    engine = make_engine(url, busy_timeout_ms=settings.sqlite.busy_timeout_ms)
    try:
        if not has_schema(engine):
            raise StoreError(f"no store at {url}: run `concierge init` first")
        yield engine
    finally:
        engine.dispose()


def add_read_only_tools(server: MCPServer[Any], tools: Iterable[Callable[..., Any]]) -> None:
    """Register tools that change nothing, reporting engines' InputErrors as tool errors."""
    read_only = ToolAnnotations(read_only_hint=True)
    for tool in tools:
        server.add_tool(input_errors_as_tool_errors(tool), annotations=read_only)
