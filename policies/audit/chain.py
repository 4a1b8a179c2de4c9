"""The hash chain of the decision log: how a record is hashed, and how the chain is verified."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC

from sqlalchemy import Engine, select
from sqlmodel import Session, col

from policies.actions import canonical_json, sha256_hex
from policies.audit.table import GENESIS_HASH, AuditHead, AuditRecord

_HASHED = (
    "seq",
    "decision_id",
    "actor",
    "action_kind",
    "action_hash",
    "effect",
    "reasons",
    "rule_ids",
    "evaluated_rules",
    "policy_version",
    "latency_ms",
    "action",
    "final_action",
    "context",
    "decision_hash",
    "prev_hash",
)


def record_hash(record: AuditRecord) -> str:
    """SHA-256 over the record's canonical content, which includes the previous record's hash."""
    content = {name: getattr(record, name) for name in _HASHED}
    content["created_at"] = record.created_at.astimezone(UTC).isoformat()
    return sha256_hex(canonical_json(content))


@dataclass(frozen=True)
class ChainProblem:
    """One place where the chain does not hold."""

    seq: int
    code: str
    message: str


@dataclass
class ChainReport:
    """The result of verifying the whole chain."""

    records: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS_HASH
    problems: list[ChainProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether no record was edited, removed or inserted out of order."""
        return not self.problems


def verify_chain(engine: Engine, *, expect_head: str | None = None) -> ChainReport:
    """Walk the chain from the first record; report every edit, gap and broken link."""
    report = ChainReport()
    prev_seq, prev_hash = 0, GENESIS_HASH
    with Session(engine) as session:
        for record in _records(session):
            report.records += 1
            _check_link(record, prev_seq, prev_hash, report.problems)
            prev_seq, prev_hash = record.seq, record.record_hash
        head = session.get(AuditHead, 1) or AuditHead(seq=-1, record_hash="")
    report.head_seq, report.head_hash = head.seq, head.record_hash
    if (head.seq, head.record_hash) != (prev_seq, prev_hash):
        report.problems.append(
            ChainProblem(head.seq, "HEAD_MISMATCH", "newest records were removed or replaced")
        )
    if expect_head is not None and expect_head != head.record_hash:
        report.problems.append(
            ChainProblem(head.seq, "ANCHOR_MISMATCH", "the head differs from the expected hash")
        )
    return report


def _records(session: Session) -> Iterator[AuditRecord]:
    yield from session.scalars(select(AuditRecord).order_by(col(AuditRecord.seq))).yield_per(500)


def _check_link(
    record: AuditRecord, prev_seq: int, prev_hash: str, problems: list[ChainProblem]
) -> None:
    if record.seq != prev_seq + 1:
        problems.append(
            ChainProblem(record.seq, "GAP", f"records {prev_seq + 1}..{record.seq - 1} missing")
        )
    if record.prev_hash != prev_hash:
        problems.append(ChainProblem(record.seq, "BROKEN_LINK", "prev_hash does not match"))
    if record_hash(record) != record.record_hash:
        problems.append(ChainProblem(record.seq, "EDITED", "content does not match its hash"))
