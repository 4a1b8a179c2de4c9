"""Loading packs: validation at load time, versions, digests, the default pack's coverage."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from policies.actions import ACTION_KINDS
from policies.conditions import flatten_records, inline_params
from policies.decision import Effect
from policies.exceptions import PackError
from policies.loader import BUILTIN_DIR, builtin_packs, default_pack, load_pack

GOOD_RULE: dict[str, Any] = {
    "id": "t.ok",
    "version": 1,
    "description": "ok",
    "applies_to": ["quote_offer"],
    "when": "true",
    "effect": "approve",
    "reason": "OK",
}


def write_pack(tmp_path: Path, *rules: dict[str, Any], **head: Any) -> Path:
    data = yaml.safe_load((BUILTIN_DIR / "default" / "pack.yaml").read_text())
    data.update(head)
    data["rules"] = list(rules)
    path = tmp_path / "pack.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_default_pack() -> None:
    pack = default_pack()
    assert builtin_packs() == ["default"]
    assert pack.version == f"default@1.0.0+{pack.digest[:12]}"
    ids = [r.id for r in pack.spec.rules]
    assert len(ids) == len(set(ids)) >= 50
    for kind in ACTION_KINDS:
        effects = {c.rule.effect for c in pack.rules_for(kind)}
        assert Effect.APPROVE in effects, kind
        assert Effect.DENY in effects, kind


def test_every_default_rule_has_a_reason_code_and_description() -> None:
    for rule in default_pack().spec.rules:
        assert rule.reason.isupper() and rule.description


def test_single_file_pack(tmp_path: Path) -> None:
    pack = load_pack(write_pack(tmp_path, GOOD_RULE))
    assert [c.rule.id for c in pack.rules_for("quote_offer")] == ["t.ok"]


def test_digest_follows_content(tmp_path: Path) -> None:
    first = load_pack(write_pack(tmp_path, GOOD_RULE))
    second = load_pack(write_pack(tmp_path, {**GOOD_RULE, "when": "1 == 1"}))
    assert first.spec.version == second.spec.version
    assert first.version != second.version


def test_directory_pack_copy_loads_the_same(tmp_path: Path) -> None:
    copy = tmp_path / "candidate"
    shutil.copytree(BUILTIN_DIR / "default", copy)
    assert load_pack(copy).digest == default_pack().digest


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"applies_to": ["teleport"]}, "unknown action kinds"),
        ({"effect": "modify"}, "names a modifier exactly when"),
        ({"modify": "clamp_hold_duration"}, "names a modifier exactly when"),
        ({"effect": "modify", "modify": "make_it_cheap"}, "unknown modifier"),
        ({"when": "action.price_cents >"}, "does not compile|Failed to parse"),
        ({"when": "params.pricing.nope > 1"}, "unknown parameter"),
        ({"when": "[1].exists(action, action > 0)"}, "may not name a macro variable"),
        ({"reason": "lower_case"}, "pattern"),
        ({"id": "NoDots"}, "pattern"),
        ({"surprise": True}, "Extra inputs"),
    ],
)
def test_bad_rules_fail_at_load(tmp_path: Path, change: dict[str, Any], message: str) -> None:
    with pytest.raises(PackError, match=message):
        load_pack(write_pack(tmp_path, {**GOOD_RULE, **change}))


def test_duplicate_ids_fail(tmp_path: Path) -> None:
    with pytest.raises(PackError, match="duplicate rule id"):
        load_pack(write_pack(tmp_path, GOOD_RULE, GOOD_RULE))


def test_bad_params_fail(tmp_path: Path) -> None:
    data = yaml.safe_load((BUILTIN_DIR / "default" / "pack.yaml").read_text())
    data["params"]["pricing"]["max_discount_pct"] = {"beauty": 30}
    with pytest.raises(PackError, match="'\\*' default"):
        load_pack(write_pack(tmp_path, GOOD_RULE, params=data["params"]))


def test_unreadable_and_unknown_packs(tmp_path: Path) -> None:
    with pytest.raises(PackError, match="no such pack"):
        load_pack("no-such-pack")
    bad = tmp_path / "bad.yaml"
    bad.write_text("- just\n- a list\n")
    with pytest.raises(PackError, match="mapping"):
        load_pack(bad)
    bad.write_text("name: [unclosed\n")
    with pytest.raises(PackError, match="cannot read"):
        load_pack(bad)


def test_rule_files_hold_only_rules(tmp_path: Path) -> None:
    copy = tmp_path / "candidate"
    shutil.copytree(BUILTIN_DIR / "default", copy)
    (copy / "extra.yaml").write_text("params: {}\nrules: []\n")
    with pytest.raises(PackError, match="only `rules:`"):
        load_pack(copy)


def test_rewrites_leave_string_literals_alone() -> None:
    params = {"pricing": {"cap": 3, "label": "x"}}
    source = (
        "params.pricing.cap > 1 && 'params.pricing.cap' != \"action.kind\" && action.kind == 'a'"
    )
    inlined = inline_params(source, params)
    assert inlined.startswith("(3) > 1 && 'params.pricing.cap'")
    flat = flatten_records(inlined, frozenset({"action"}))
    assert flat.endswith("\"action.kind\" && action__kind == 'a'")
    assert inline_params("params.pricing", params) == '({"cap": 3, "label": "x"})'
    assert flatten_records("d.x", frozenset()) == "d.x"
