"""Errors of the policy checker: a root error, caller-fixable input errors, and refusals."""

from __future__ import annotations


class PolicyError(Exception):
    """Root of every error raised by the policy package."""


class PolicyInputError(PolicyError):
    """Input the caller gave (an action, a context, a file) is invalid; the message says where."""


class PackError(PolicyError):
    """A rule pack cannot be loaded: bad YAML, unknown fields, a condition that does not compile."""

    def __init__(self, source: str, reason: str, *, rule_id: str | None = None) -> None:
        where = f"{source} rule {rule_id!r}" if rule_id else source
        super().__init__(f"{where}: {reason}")
        self.source = source
        self.reason = reason
        self.rule_id = rule_id


class ExecutionRefused(PolicyError):  # noqa: N818 - a refusal, not a failure of the checker
    """An action may not execute under the decision presented for it."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason


class AuditError(PolicyError):
    """The decision log cannot be written or read."""
