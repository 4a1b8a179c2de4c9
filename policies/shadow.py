"""Shadow mode: re-evaluate recorded actions under a candidate pack and report what would change."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from pydantic import ValidationError

from policies.actions import canonical_json, parse_action, sha256_hex
from policies.audit.table import AuditRecord
from policies.context import PolicyContext
from policies.decision import Effect, Reason
from policies.engine import check
from policies.exceptions import PolicyInputError
from policies.pack import Pack

UNCHANGED = "unchanged"
CATEGORY_BY_EFFECT = {
    Effect.DENY: "newly_denied",
    Effect.APPROVE: "newly_approved",
    Effect.ESCALATE: "newly_escalated",
    Effect.MODIFY: "modified",
}


@dataclass(frozen=True)
class ShadowChange:
    """One recorded decision that the candidate pack would decide differently."""

    seq: int
    decision_id: str
    actor: str
    action_kind: str
    category: str
    old_effect: str
    new_effect: str
    old_reasons: tuple[str, ...]
    new_reasons: tuple[str, ...]


@dataclass
class ShadowReport:
    """The decision diff of a candidate pack over recorded actions."""

    candidate: str
    baselines: Counter[str] = field(default_factory=Counter)
    counts: Counter[str] = field(default_factory=Counter)
    changes: list[ShadowChange] = field(default_factory=list)
    unreadable: list[int] = field(default_factory=list)

    @property
    def evaluated(self) -> int:
        """How many recorded actions were re-evaluated."""
        return sum(self.counts.values())


def shadow(records: Iterable[AuditRecord], candidate: Pack) -> ShadowReport:
    """Decide every recorded action again under `candidate`, with the facts recorded with it."""
    report = ShadowReport(candidate=candidate.version)
    for record in records:
        try:
            action = parse_action(record.action)
            context = PolicyContext.model_validate(record.context)
        except (PolicyInputError, ValidationError):
            report.unreadable.append(record.seq)
            continue
        report.baselines[record.policy_version] += 1
        decision = check(action, context, candidate)
        old_final = sha256_hex(canonical_json(record.final_action)) if record.final_action else ""
        same = decision.effect.value == record.effect and decision.final_action_hash == old_final
        category = UNCHANGED if same else CATEGORY_BY_EFFECT[decision.effect]
        report.counts[category] += 1
        if not same:
            report.changes.append(_change(record, category, decision.effect, decision.reasons))
    return report


def _change(
    record: AuditRecord, category: str, effect: Effect, reasons: tuple[Reason, ...]
) -> ShadowChange:
    return ShadowChange(
        seq=record.seq,
        decision_id=record.decision_id,
        actor=record.actor,
        action_kind=record.action_kind,
        category=category,
        old_effect=record.effect,
        new_effect=effect.value,
        old_reasons=tuple(str(r.get("code", "")) for r in record.reasons),
        new_reasons=tuple(r.code for r in reasons),
    )
