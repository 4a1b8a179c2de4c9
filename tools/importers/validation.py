"""Turning a pydantic validation failure into a field path and a short reason."""

from __future__ import annotations

from pydantic import ValidationError


def first_error(exc: ValidationError) -> tuple[list[str | int], str]:
    """The path and reason of the first problem pydantic found."""
    error = exc.errors(include_url=False)[0]
    path = [step for step in error["loc"] if step != "[key]"]
    if error["type"] == "missing":
        return path, "required field is missing"
    reason = error["msg"].removeprefix("Value error, ")
    return path, reason[:1].lower() + reason[1:]
