from __future__ import annotations

from agents.merchandising.catalog import ProductRow
from agents.merchandising.ranking import MAX_PINNED, compare, rank, with_plan
from agents.merchandising.spec import MerchTaskSpec, ScopeSpec
from agents.merchandising.steps import MAX_SCOPE_SKUS, scopes_for
from policies.actions import MerchRuleChange, Scope
from policies.actions.merchandising import MerchOp
from tools.recommend import MerchRules

NONE = MerchRules()


def _row(sku: str, category: str = "home/decor/lamp", brand: str = "Lux") -> ProductRow:
    return ProductRow(
        sku=sku,
        title=f"Lamp {sku}",
        category=category,
        brand=brand,
        list_price_cents=1000,
        unit_cost_cents=500,
        map_cents=None,
        attributes={"color": ["red", "blue"]} if sku == "D" else {},
        tags=(),
        age_restricted=False,
        regulated=False,
    )


ROWS = [_row(s) for s in "ABCDEFGH"]
POPULAR = {s: (10 - i, 0) for i, s in enumerate("ABCDEFGH")}  # A sells most


def _rules(*actions: MerchRuleChange) -> MerchRules:
    return with_plan(NONE, actions)


def _rule(
    op: MerchOp, *skus: str, weight: float = 0.0, query: str | None = None
) -> MerchRuleChange:
    return MerchRuleChange(op=op, scope=Scope(skus=skus), weight=weight, query=query)


def test_popularity_orders_the_base_ranking() -> None:
    assert rank(ROWS, rules=NONE, popularity=POPULAR, query=None) == list("ABCDEFGH")
    assert rank(ROWS, rules=NONE, popularity={}, query=None) == list("ABCDEFGH")  # by sku


def test_boost_bury_exclude_and_hidden() -> None:
    boosted = rank(
        ROWS, rules=_rules(_rule("boost", "H", weight=0.3)), popularity=POPULAR, query=None
    )
    assert boosted.index("H") < 7
    buried = rank(
        ROWS, rules=_rules(_rule("bury", "A", weight=0.3)), popularity=POPULAR, query=None
    )
    assert buried[0] != "A"
    excluded = rank(ROWS, rules=_rules(_rule("exclude", "B")), popularity=POPULAR, query=None)
    assert "B" not in excluded
    assert "C" not in rank(ROWS, rules=NONE, popularity=POPULAR, query=None, hidden={"C"})


def test_pins_come_first_up_to_the_rankers_limit() -> None:
    weights = {"H": 0.1, "G": 0.9, "F": 0.5, "E": 0.7}
    pins = _rules(*(_rule("pin", sku, weight=w) for sku, w in weights.items()))
    ranked = rank(ROWS, rules=pins, popularity=POPULAR, query=None)
    assert ranked[:MAX_PINNED] == ["G", "E", "F"]
    assert len(ranked) == len(ROWS)


def test_a_query_rule_acts_only_on_that_query() -> None:
    pin = _rules(_rule("pin", "H", weight=1.0, query="Desk Lamp"))
    assert rank(ROWS, rules=pin, popularity=POPULAR, query="desk lamp")[0] == "H"
    assert rank(ROWS, rules=pin, popularity=POPULAR, query=None)[0] == "A"


def test_compare_reports_moves_and_new_entries() -> None:
    after = _rules(_rule("pin", "Z", weight=1.0, query="lamp"))
    rows = [*ROWS, _row("Z", category="toys/plush/bear")]
    view = compare(
        rows,
        kind="query",
        key="lamp",
        before=NONE,
        after=after,
        popularity=POPULAR,
        added=frozenset({"Z"}),
    )
    assert view.top_after[0] == "Z" and "Z" not in view.top_before
    first = view.moves[0]
    assert (first.sku, first.before, first.after) == ("Z", None, 1)
    assert all(m.after == m.before + 1 for m in view.moves[1:] if m.before and m.after)


def test_large_scopes_are_split_and_a_plain_category_is_kept() -> None:
    skus = [f"S{i:05d}" for i in range(2 * MAX_SCOPE_SKUS + 5)]
    spec = MerchTaskSpec(kind="boost", scope=ScopeSpec(tags=("new-arrival",)))
    scopes = scopes_for(spec, skus)
    assert [len(s.skus) for s in scopes] == [MAX_SCOPE_SKUS, MAX_SCOPE_SKUS, 5]
    plain = MerchTaskSpec(kind="boost", scope=ScopeSpec(categories=("home",)))
    assert scopes_for(plain, skus) == [Scope(category="home")]
    pin = MerchTaskSpec(kind="pin", scope=ScopeSpec(skus=("A",), categories=("home",)))
    assert scopes_for(pin, ["A"]) == [Scope(category="home", skus=("A",))]
