"""Rule conditions in CEL (Common Expression Language), compiled once when a pack loads.

Two rewrites happen before compiling, both outside string literals:

- `params.a.b` becomes the parameter's value as a CEL literal: parameters are constants of
  the pack, and a reference to one that does not exist fails when the pack loads;
- `record.field` (for the records a check provides: `action`, `actor`, `shopper`, …) becomes
  the variable `record__field`, so a check hands over only the fields its rules read, as
  top-level values, which is what makes a check cheap.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any

import cel

from policies.exceptions import PolicyError

FIELD_SEPARATOR = "__"
_STRING = re.compile(r"""[rR]?(?:'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*")""")
_PARAM_REF = re.compile(r"(?<![\w.])params((?:\.[A-Za-z_]\w*)+)")
_MACRO_VAR = re.compile(r"\.(?:all|exists|exists_one|map|filter)\(\s*([A-Za-z_]\w*)\s*,")


class ConditionError(PolicyError):
    """A condition failed to evaluate, or gave something other than true or false."""


class Condition:
    """A compiled CEL expression over the variables of one check; it never runs Python code."""

    __slots__ = ("_program", "names", "source")

    def __init__(
        self,
        source: str,
        *,
        constants: dict[str, Any] | None = None,
        records: Iterable[str] = (),
    ) -> None:
        rewritten = inline_params(source, constants or {})
        self.source = flatten_records(rewritten, frozenset(records))
        self._program = cel.compile(self.source)
        self.names = frozenset(self._program.variables())

    def __call__(self, variables: Any) -> bool:
        """Whether the condition holds for these variables (a `cel.Context`)."""
        try:
            result = self._program.execute(variables)
        except Exception as exc:
            raise ConditionError(f"{type(exc).__name__}: {exc}") from exc
        if not isinstance(result, bool):
            raise ConditionError(f"gave {type(result).__name__}, not bool")
        return result


class Bindings:
    """The variables of one check, converted once for every condition evaluated on them.

    Binding again (after a modification) converts only the values that changed.
    """

    __slots__ = ("_context", "_values")

    def __init__(self) -> None:
        self._context: Any = None
        self._values: dict[str, Any] = {}

    def bind(self, variables: dict[str, Any]) -> Any:
        """The variables as a `cel.Context`."""
        if self._context is None or self._values.keys() - variables.keys():
            self._context = cel.Context(variables)
        else:
            for name, value in variables.items():
                if name not in self._values or not same(self._values[name], value):
                    self._context.add_variable(name, value)
        self._values = variables
        return self._context


def same(a: Any, b: Any) -> bool:
    """Equal and of the same types throughout (in CEL, 1 and true differ)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(v, b[k]) for k, v in a.items())
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def inline_params(source: str, params: dict[str, Any]) -> str:
    """Replace every `params.a.b` by the value's CEL literal."""
    return _outside_strings(
        source, lambda code: _PARAM_REF.sub(lambda m: _literal(m, params), code)
    )


def flatten_records(source: str, records: frozenset[str]) -> str:
    """Replace every `record.field` by `record__field` for the given record names."""
    if not records:
        return source
    shadowing = records & set(_MACRO_VAR.findall(source))
    if shadowing:
        raise ValueError(f"{sorted(shadowing)} may not name a macro variable")
    names = "|".join(sorted(records, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w.])({names})\.([A-Za-z_]\w*)")
    return _outside_strings(source, lambda code: pattern.sub(rf"\1{FIELD_SEPARATOR}\2", code))


def _outside_strings(source: str, rewrite: Callable[[str], str]) -> str:
    out: list[str] = []
    pos = 0
    for literal in _STRING.finditer(source):
        out.append(rewrite(source[pos : literal.start()]))
        out.append(literal.group(0))
        pos = literal.end()
    out.append(rewrite(source[pos:]))
    return "".join(out)


def _literal(match: re.Match[str], params: dict[str, Any]) -> str:
    value: Any = params
    for name in match.group(1).lstrip(".").split("."):
        if not isinstance(value, dict) or name not in value:
            raise ValueError(f"unknown parameter {match.group(0)!r}")
        value = value[name]
    return f"({json.dumps(value, allow_nan=False)})"
