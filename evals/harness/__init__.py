"""The eval harness: run suites, collect their metrics, compare runs, write the report.

`runner.run_all(ctx, names)` runs suites (see `evals.suites`) on an `EvalContext` and returns
an `EvalRun`; `report.write_report` renders it; `compare.compare` diffs it with a previous run.
"""
