"""The decision log: append-only, hash-chained records of every policy decision."""

from policies.audit.chain import ChainProblem, ChainReport, record_hash, verify_chain
from policies.audit.log import DecisionLog, RecordFilter, to_record
from policies.audit.table import GENESIS_HASH, AuditHead, AuditRecord, ensure_schema

__all__ = [
    "GENESIS_HASH",
    "AuditHead",
    "AuditRecord",
    "ChainProblem",
    "ChainReport",
    "DecisionLog",
    "RecordFilter",
    "ensure_schema",
    "record_hash",
    "to_record",
    "verify_chain",
]
