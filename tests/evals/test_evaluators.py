"""The small pydantic-evals style runner: scores, assertions, errors."""

from __future__ import annotations

from evals.harness.evaluators import Case, Evaluator, EvaluatorContext, evaluate


class Equals(Evaluator[int, int, int]):
    name = "equals"

    def evaluate(self, ctx: EvaluatorContext[int, int, int]) -> bool:
        return ctx.output == ctx.case.expected


class Distance(Evaluator[int, int, int]):
    name = "distance"

    def evaluate(self, ctx: EvaluatorContext[int, int, int]) -> dict[str, bool | float]:
        return {
            "abs": float(abs(ctx.output - ctx.case.expected)),
            "close": abs(ctx.output - ctx.case.expected) <= 1,
        }


def _double(x: int) -> int:
    if x < 0:
        raise ValueError("negative")
    return 2 * x


def test_evaluate_scores_asserts_and_survives_errors() -> None:
    cases = [Case("a", 1, 2), Case("b", 2, 5), Case("c", -1, 0)]
    seen: list[int] = []
    report = evaluate(cases, _double, [Equals(), Distance()], on_case=lambda: seen.append(1))
    a, b, c = report.cases
    assert a.passed and a.scores == {"distance.abs": 0.0}
    assert not b.passed and b.failures() == ["equals"] and b.assertions["distance.close"]
    assert c.error == "ValueError: negative" and c.failures() == [
        "error: negative"[0:0] + "error: ValueError: negative"
    ]
    assert len(seen) == 3
    assert report.pass_rate() == 1 / 3
    assert report.mean("distance.abs") == 0.5
    assert report.mean("equals") == 0.5
    assert report.mean("missing") is None
