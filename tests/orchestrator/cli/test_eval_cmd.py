"""`concierge eval baskets|choice|propensity` through the command line."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from typer.testing import CliRunner, Result

from orchestrator.cli.app import app


def _run(*args: str) -> Result:
    return CliRunner().invoke(app, ["eval", *args])


def _baskets(tmp_path: Path) -> Path:
    path = tmp_path / "baskets.csv"
    path.write_text("a,b,c\na,b\na,c\nb,c\na\n")
    return path


def test_baskets_json_and_out(tmp_path: Path) -> None:
    out = tmp_path / "reports" / "baskets.json"
    args = ["--support", "0.4", "--confidence", "0.6", "--top", "2", "--json", "--out", str(out)]
    result = _run("baskets", "--file", str(_baskets(tmp_path)), *args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["n_rules"] == 4 and len(report["top_rules"]) == 2
    assert report["top_rules"][0]["antecedent"] == ["b"]
    assert json.loads(out.read_text()) == report


def test_baskets_table(tmp_path: Path) -> None:
    result = _run("baskets", "-f", str(_baskets(tmp_path)), "--support", "0.4")
    assert result.exit_code == 0, result.output
    assert "rules from 5 baskets" in result.output


def test_bad_file_is_one_line_naming_file_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("a,b\nc,,d\n")
    result = _run("baskets", "--file", str(path), "--json")
    assert result.exit_code == 2
    assert f"{path}:2: field 'item 2': empty item name" in " ".join(result.output.split())
    assert result.stdout == ""


def test_bad_threshold_names_the_option(tmp_path: Path) -> None:
    result = _run("baskets", "--file", str(_baskets(tmp_path)), "--confidence", "1.5")
    assert result.exit_code == 2
    assert "confidence" in result.output


def _panel(tmp_path: Path) -> Path:
    rng = np.random.default_rng(2)
    lines = ["id,feat.x,feat.y,feat.z,price.x,price.y,price.z,choice"]
    for i in range(600):
        price = rng.uniform(1, 3, 3)
        feat = (rng.random(3) < 0.2).astype(int)
        utility = -1.5 * price + 0.7 * feat + np.array([0.0, 0.4, -0.2]) + rng.gumbel(size=3)
        cells = [
            str(i // 12),
            *map(str, feat),
            *(f"{p:.3f}" for p in price),
            "xyz"[utility.argmax()],
        ]
        lines.append(",".join(cells))
    path = tmp_path / "panel.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_choice_json(tmp_path: Path) -> None:
    result = _run("choice", "--file", str(_panel(tmp_path)), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["alternatives"] == ["x", "y", "z"]
    plain = report["models"][0]
    price = next(c for c in plain["coefficients"] if c["name"] == "price")
    assert abs(price["estimate"] + 1.5) < 4 * price["std_error"]
    assert set(plain["elasticities"]) == {"x", "y", "z"}
    assert report["logit_beats_baseline"] is True


def test_choice_table(tmp_path: Path) -> None:
    result = _run("choice", "--file", str(_panel(tmp_path)))
    assert result.exit_code == 0, result.output
    assert "market share" in result.output and "elasticities" in result.output


def _sessions(tmp_path: Path, *, interaction: bool) -> Path:
    """Sessions whose purchases follow page value alone, or page value interacting with weekend."""
    rng = np.random.default_rng(4)
    header = (
        "Administrative,Administrative_Duration,Informational,Informational_Duration,"
        "ProductRelated,ProductRelated_Duration,BounceRates,ExitRates,PageValues,SpecialDay,"
        "Month,OperatingSystems,Browser,Region,TrafficType,returning_ visitor,weekend,Revenue"
    )
    lines = [header]
    for _ in range(400):
        value = rng.exponential(5) * (rng.random() < 0.5)
        weekend = int(rng.random() < 0.5)
        if interaction:
            bought = int(((value > 2) != bool(weekend)) == (rng.random() < 0.9))
        else:
            bought = int(rng.random() < 1 / (1 + np.exp(2.5 - 0.4 * value)))
        pages = rng.poisson(15)
        lines.append(
            f"1,10,0,0,{pages},{pages * 30},0.01,0.05,{value:.2f},0,{rng.integers(2, 13)},"
            f"1,1,1,1,1,{weekend},{bought}"
        )
    path = tmp_path / "sessions.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_propensity_json_and_model_file(tmp_path: Path) -> None:
    model_path = tmp_path / "model.json"
    sessions = _sessions(tmp_path, interaction=True)
    args = ["--file", str(sessions), "--json", "--model-out", str(model_path)]
    result = _run("propensity", *args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["test_sessions"] == 80
    assert report["model"]["roc_auc"] > 0.8 > report["baseline"]["roc_auc"]
    assert json.loads(model_path.read_text())["kind"] == "gradient-boosted-trees/v1"
    table = _run("propensity", "--file", str(sessions))
    assert table.exit_code == 0 and "logistic regression" in table.output


def test_propensity_below_baseline_exits_1_after_reporting(tmp_path: Path) -> None:
    result = _run("propensity", "--file", str(_sessions(tmp_path, interaction=False)), "--json")
    report = json.loads(result.stdout)
    assert report["auc_at_least_baseline"] is False
    assert result.exit_code == 1
    assert "check failed" in result.output


def test_eval_help_lists_the_suites() -> None:
    result = CliRunner().invoke(app, ["eval", "--help"])
    assert result.exit_code == 0
    assert all(name in result.output for name in ("baskets", "choice", "propensity"))


def test_choice_can_be_saved_as_the_pricing_price_response(
    shared_data: Path, tmp_path: Path
) -> None:
    from tools.pricing.choice import load_choice_responses

    args = ["--data-dir", str(tmp_path), "eval", "choice", "--json"]
    args += ["--file", str(shared_data / "choice" / "Yogurt.csv"), "--save-for-pricing", "yogurt"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    (response,) = load_choice_responses(data_dir=tmp_path)
    assert response.covers("grocery/dairy/yogurt")
    assert response.mean_elasticity < -1.0
