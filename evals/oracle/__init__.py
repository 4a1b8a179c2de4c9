"""Judging executed actions after the fact: the invariants no action may break, and store audits."""

from evals.oracle.invariants import Facts, violations
from evals.oracle.scan import StoreAudit, Violation, audit_settings, audit_store

__all__ = [
    "Facts",
    "StoreAudit",
    "Violation",
    "audit_settings",
    "audit_store",
    "violations",
]
