"""The merchandising planner: merchandiser tasks to typed plans, and read-only reports.

- `classify(text)`: "plan", "report" or "unknown" (`help_message()` says what is understood);
- `plan_task(text, …) -> MerchPlan`: parse into a `MerchTaskSpec`, then `compile_plan` it;
  a spec from any other source (a language model) goes through the same `compile_plan`;
- `answer_report(text, …) -> MerchReport`: rows and a templated summary.
Nothing here writes to the store: plans are proposals for the policy checker and executor.
"""

from agents.merchandising.classify import TaskClass, classify
from agents.merchandising.compile import compile_plan
from agents.merchandising.examples import EXAMPLES, PLAN_EXAMPLES, REPORT_EXAMPLES, help_message
from agents.merchandising.exceptions import (
    EmptyScopeError,
    InvalidTaskError,
    MerchTaskError,
    TaskNotUnderstoodError,
    UnknownSkusError,
)
from agents.merchandising.plan import (
    AffectedSku,
    ExcludedSku,
    MarginImpact,
    MerchAction,
    MerchPlan,
    PlannedStep,
    PlanPreview,
    RankingView,
    RankMove,
)
from agents.merchandising.planner import ALLOWED_TOOLS, plan_task, read_task
from agents.merchandising.report_model import (
    MerchReport,
    PromotionRow,
    ReportRow,
    RuleRow,
    StockRow,
)
from agents.merchandising.report_parse import parse_report
from agents.merchandising.reports import answer_report, run_report
from agents.merchandising.spec import MerchTaskSpec, ReportSpec, ScopeSpec, WindowSpec
from agents.merchandising.task_parse import parse_task, validated_spec

__all__ = [
    "ALLOWED_TOOLS",
    "EXAMPLES",
    "PLAN_EXAMPLES",
    "REPORT_EXAMPLES",
    "AffectedSku",
    "EmptyScopeError",
    "ExcludedSku",
    "InvalidTaskError",
    "MarginImpact",
    "MerchAction",
    "MerchPlan",
    "MerchReport",
    "MerchTaskError",
    "MerchTaskSpec",
    "PlanPreview",
    "PlannedStep",
    "PromotionRow",
    "RankMove",
    "RankingView",
    "ReportRow",
    "ReportSpec",
    "RuleRow",
    "ScopeSpec",
    "StockRow",
    "TaskClass",
    "TaskNotUnderstoodError",
    "UnknownSkusError",
    "WindowSpec",
    "answer_report",
    "classify",
    "compile_plan",
    "help_message",
    "parse_report",
    "parse_task",
    "plan_task",
    "read_task",
    "run_report",
    "validated_spec",
]
