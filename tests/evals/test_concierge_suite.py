"""The concierge suite end to end on the small test store (hashing text encoder): the shipped
scenario dataset passes; with an LLM configured every scenario runs `trials` times and pass^k
is reported; the τ-bench scenarios are skipped with a reason when the shared data is absent."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from config import Settings
from evals.harness.context import TEMPLATE_READY, EvalContext
from evals.suites import concierge
from orchestrator.llm.protocol import NoLLM
from tests.orchestrator.demo import SPEC, hashing_encoder, template

ONE = """\
store: demo
scenarios:
  - name: shorts
    shopper: shopper-000006
    turns:
      - say: shorts
        expect: {reply: results, shown_category: apparel/bottoms/shorts, filters_honoured: true}
  - name: wrong-on-purpose
    shopper: shopper-000006
    turns:
      - say: shorts
        expect: {shown_category: beauty}
"""


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EvalContext]:
    with hashing_encoder():
        source = template(tmp_path_factory)
        root = tmp_path_factory.mktemp("evals")
        target = root / "templates" / f"demo-{SPEC.seed}-{SPEC.skus}-{SPEC.shoppers}"
        shutil.copytree(source, target)
        (target / TEMPLATE_READY).write_text("ok\n")
        yield EvalContext(
            base=Settings(data_dir=root),
            quick=True,
            store_size=(SPEC.skus, SPEC.shoppers),
            shared_data=None,
            root=root,
        )


def test_the_shipped_scenarios_pass_and_taubench_is_skipped(ctx: EvalContext) -> None:
    result = concierge.run(ctx)
    failing = {c.id: c.failures for c in result.cases if not c.passed}
    assert failing == {}
    assert result.status == "passed"
    assert result.metric("success_rate") is not None
    assert result.metric("success_rate").value == 1.0  # type: ignore[union-attr]
    assert any("τ-bench" in note for note in result.notes)
    audit = result.data["store_audit"]
    assert audit["executions"] > 10 and audit["violations"] == []


def test_pass_hat_k_with_an_llm_and_a_failing_case(
    ctx: EvalContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "one.yaml").write_text(ONE)
    monkeypatch.setattr(concierge, "DATASETS", tmp_path)
    llm_ctx = EvalContext(**{**ctx.__dict__, "trials": 2, "llm_factory": NoLLM})
    result = concierge.run(llm_ctx)
    cases = {c.id: c for c in result.cases}
    assert cases["demo/shorts"].passes == 2 and cases["demo/shorts"].trials == 2
    wrong = cases["demo/wrong-on-purpose"]
    assert wrong.passes == 0 and "outside beauty" in wrong.failures[0]
    assert result.metric("success_rate").value == 0.5  # type: ignore[union-attr]
    assert result.metric("pass^2").value == 0.5  # type: ignore[union-attr]
    assert result.status == "failed"
