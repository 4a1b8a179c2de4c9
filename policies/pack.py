"""Rule packs: rules as data (YAML) with ids and versions, validated and compiled once."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from policies.actions import ACTION_KINDS, canonical_json, sha256_hex
from policies.conditions import Condition
from policies.decision import Effect, Reason
from policies.modifiers import MODIFIERS, Modifier
from policies.params import PackParams
from policies.views import RECORDS, Reads, reads_of

RuleId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")]
ReasonCode = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9_]*$")]
ALL_KINDS = "*"


class Rule(BaseModel):
    """One rule: when its condition holds for an action of a kind it applies to, its effect."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: RuleId
    version: int = Field(ge=1)
    description: str = Field(min_length=1)
    applies_to: tuple[str, ...] = Field(min_length=1, description="Action kinds, or '*'")
    when: str = Field(min_length=1, description="CEL condition; the rule fires when true")
    effect: Effect
    reason: ReasonCode
    message: str = ""
    modify: str | None = Field(default=None, description="Registered modifier (effect: modify)")

    @model_validator(mode="after")
    def _consistent(self) -> Rule:
        unknown = set(self.applies_to) - ACTION_KINDS - {ALL_KINDS}
        if unknown:
            raise ValueError(f"unknown action kinds {sorted(unknown)}")
        if (self.effect is Effect.MODIFY) != (self.modify is not None):
            raise ValueError("a rule names a modifier exactly when its effect is modify")
        if self.modify is not None and self.modify not in MODIFIERS:
            raise ValueError(f"unknown modifier {self.modify!r}; known: {sorted(MODIFIERS)}")
        return self

    @property
    def ref(self) -> str:
        """'id@version', as decisions list evaluated rules."""
        return f"{self.id}@{self.version}"


class PackSpec(BaseModel):
    """A pack as written: its name, version, parameters and rules."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]*$")]
    version: Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z.+-]+$")]
    description: str = ""
    timeout_ms: float = Field(default=50.0, gt=0, description="Longest a check may take")
    max_passes: int = Field(default=3, ge=1, le=10, description="Evaluate-modify rounds")
    params: PackParams
    rules: tuple[Rule, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> PackSpec:
        seen: set[str] = set()
        for rule in self.rules:
            if rule.id in seen:
                raise ValueError(f"duplicate rule id {rule.id!r}")
            seen.add(rule.id)
        return self


@dataclass(frozen=True)
class CompiledRule:
    """A rule with its condition compiled and its modifier resolved."""

    rule: Rule
    condition: Condition
    modifier: Modifier | None
    ref: str
    reason: Reason


@dataclass(frozen=True)
class Pack:
    """A loaded pack: the spec, its content digest, and its rules compiled and indexed by kind."""

    spec: PackSpec
    digest: str
    source: str
    by_kind: dict[str, tuple[CompiledRule, ...]] = field(repr=False)
    reads_by_kind: dict[str, Reads] = field(repr=False)

    @property
    def version(self) -> str:
        """What a decision names: 'name@version+digest12'."""
        return f"{self.spec.name}@{self.spec.version}+{self.digest[:12]}"

    def rules_for(self, kind: str) -> tuple[CompiledRule, ...]:
        """The rules that apply to an action kind, in pack order."""
        return self.by_kind.get(kind, ())

    def reads_for(self, kind: str) -> Reads:
        """The variables the rules of an action kind read (only those are handed to them)."""
        return self.reads_by_kind.get(kind, ())


def compile_pack(spec: PackSpec, *, source: str) -> Pack:
    """Compile every condition of a pack (a `ValueError` names the rule that does not compile)."""
    compiled: list[CompiledRule] = []
    constants = spec.params.model_dump(mode="json")
    for rule in spec.rules:
        try:
            condition = Condition(rule.when, constants=constants, records=RECORDS)
        except ValueError as exc:
            raise ValueError(f"rule {rule.id!r}: {_first_line(exc)}") from exc
        modifier = MODIFIERS[rule.modify] if rule.modify else None
        reason = Reason(
            rule_id=rule.id,
            rule_version=rule.version,
            code=rule.reason,
            effect=rule.effect,
            message=rule.message,
        )
        compiled.append(CompiledRule(rule, condition, modifier, rule.ref, reason))
    by_kind = {
        kind: tuple(
            c for c in compiled if kind in c.rule.applies_to or ALL_KINDS in c.rule.applies_to
        )
        for kind in sorted(ACTION_KINDS)
    }
    digest = sha256_hex(canonical_json(spec.model_dump(mode="json")))
    return Pack(
        spec=spec,
        digest=digest,
        source=source,
        by_kind=by_kind,
        reads_by_kind={
            kind: reads_of(frozenset().union(*(c.condition.names for c in rules)))
            for kind, rules in by_kind.items()
        },
    )


def _first_line(exc: Exception) -> str:
    return re.split(r"\n", str(exc), maxsplit=1)[0]
