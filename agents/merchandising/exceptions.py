"""Errors of the merchandising planner. Every one is a task the merchandiser can rephrase."""

from __future__ import annotations


class MerchTaskError(Exception):
    """Root: a task that cannot become a plan or a report; `message` says why, `hint` what to do."""

    code = "invalid_task"

    def __init__(self, message: str, *, hint: str = "") -> None:
        self.message = message
        self.hint = hint
        super().__init__(f"{message} {hint}".strip())


class TaskNotUnderstoodError(MerchTaskError):
    """The text is neither a task nor a question the planner knows; `examples` show what is."""

    code = "not_understood"

    def __init__(self, message: str, *, examples: tuple[str, ...]) -> None:
        self.examples = examples
        super().__init__(message, hint="Try, for example: " + "; ".join(examples) + ".")


class InvalidTaskError(MerchTaskError):
    """A task whose parts do not fit together (a promotion without a discount, …)."""

    code = "invalid_task"

    def __init__(self, message: str, *, field: str, hint: str = "") -> None:
        self.field = field
        super().__init__(message, hint=hint)


class EmptyScopeError(MerchTaskError):
    """The products a task names match nothing in the catalog."""

    code = "empty_scope"


class UnknownSkusError(MerchTaskError):
    """The task names skus the store does not have."""

    code = "unknown_skus"

    def __init__(self, skus: tuple[str, ...]) -> None:
        self.skus = skus
        super().__init__(
            f"unknown sku{'s' if len(skus) > 1 else ''}: {', '.join(skus)}",
            hint="Check the sku against the catalog.",
        )
