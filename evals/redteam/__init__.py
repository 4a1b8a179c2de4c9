"""Red-team attacks on the policy gate, each family in its own module; `evals.suites.redteam`
runs them and `evals.oracle` judges what executed."""
