"""Errors of the bounded agents: refused tool calls and tools that failed or timed out."""

from __future__ import annotations


class AgentError(Exception):
    """Root of every error an agent raises."""


class ToolRefused(AgentError):  # noqa: N818 - a refusal, not a failure of the tool
    """A tool call the agent may not make: not allowed, over budget, or its schema changed."""

    def __init__(self, code: str, *, agent: str, tool: str, reason: str) -> None:
        super().__init__(f"{code}: {agent} may not call {tool}: {reason}")
        self.code = code
        self.agent = agent
        self.tool = tool
        self.reason = reason


class ToolCallError(AgentError):
    """A tool answered with an error, timed out, or returned data of the wrong shape."""

    def __init__(self, code: str, *, tool: str, reason: str) -> None:
        super().__init__(f"{code}: {tool}: {reason}")
        self.code = code
        self.tool = tool
        self.reason = reason
