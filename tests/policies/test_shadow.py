"""Shadow runs: re-decide recorded actions under a candidate pack, report the diff."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import Engine

from policies.actions import QuoteOffer, SendMessage
from policies.audit import DecisionLog, RecordFilter
from policies.checker import PolicyChecker
from policies.loader import BUILTIN_DIR, default_pack, load_pack
from policies.shadow import shadow
from tests.policies.builders import context, product, staff
from tools.store import make_engine


def candidate(tmp_path: Path, **pricing: object) -> Path:
    """The default pack with some pricing parameters changed."""
    path = tmp_path / "candidate"
    shutil.copytree(BUILTIN_DIR / "default", path)
    head = yaml.safe_load((path / "pack.yaml").read_text())
    head["version"] = "1.1.0"
    head["params"]["pricing"].update(pricing)
    (path / "pack.yaml").write_text(yaml.safe_dump(head))
    return path


@pytest.fixture
def engine(sqlite_url: str) -> Engine:
    eng = make_engine(sqlite_url)
    log = DecisionLog(eng)
    checker = PolicyChecker(default_pack(), log)
    quote = QuoteOffer(shopper_id="s1", sku="p1", price_cents=1700)
    # Five approvals under the default pack (floor: unit cost x 1.05).
    checker.check(quote, context())
    checker.check(quote, context(product(unit_cost_cents=1500)))
    checker.check(QuoteOffer(shopper_id="s1", sku="p1", price_cents=1500), context())
    checker.check(SendMessage(shopper_id="s1", channel="sms", body="hi"), context())
    checker.check(quote, context(actor=staff()))
    return eng


def test_the_same_pack_changes_nothing(engine: Engine) -> None:
    records = DecisionLog(engine).records(newest_first=False)
    assert {r.effect for r in records} == {"approve"}
    report = shadow(records, default_pack())
    assert report.evaluated == 5
    assert report.changes == []
    assert report.counts == {"unchanged": 5}
    assert report.baselines == {default_pack().version: 5}


def test_a_stricter_pack_shows_modified_and_denied(engine: Engine, tmp_path: Path) -> None:
    stricter = load_pack(candidate(tmp_path, floor_margin=0.6, max_offers_per_24h=0))
    report = shadow(DecisionLog(engine).records(newest_first=False), stricter)
    by_seq = {c.seq: c for c in report.changes}
    assert report.candidate == stricter.version
    # 1.6 x 10.00 = 16.00: the 15.00 quote is raised, the 17.00 ones stand.
    assert by_seq[3].category == "modified"
    assert (by_seq[3].old_effect, by_seq[3].new_effect) == ("approve", "modify")
    assert by_seq[3].new_reasons == ("PRICE_BELOW_FLOOR", "QUOTE_ALLOWED")
    # 1.6 x 15.00 = 24.00 is above the list price: newly denied.
    assert by_seq[2].category == "newly_denied"
    assert report.counts["unchanged"] == 3


def test_a_looser_pack_shows_newly_approved(engine: Engine, tmp_path: Path) -> None:
    log = DecisionLog(engine)
    PolicyChecker(default_pack(), log).check(
        QuoteOffer(shopper_id="s1", sku="p1", price_cents=1200), context()
    )  # modified to the 30% depth
    looser = load_pack(candidate(tmp_path, max_discount_pct={"*": 45}))
    report = shadow(log.records(RecordFilter(limit=1)), looser)
    assert [(c.category, c.old_effect, c.new_effect) for c in report.changes] == [
        ("newly_approved", "modify", "approve")
    ]


def test_unreadable_records_are_reported(engine: Engine) -> None:
    records = DecisionLog(engine).records(newest_first=False)
    records[0].action = {"kind": "retired_kind"}
    records[1].context = {"now": "not a time"}
    report = shadow(records, default_pack())
    assert report.unreadable == [1, 2]
    assert report.evaluated == 3
