"""Errors of the orchestrator's entry points."""

from __future__ import annotations


class OrchestratorError(Exception):
    """Root of orchestrator errors."""


class UsageError(OrchestratorError):
    """A command or request was used wrongly; the message says how to fix it."""
