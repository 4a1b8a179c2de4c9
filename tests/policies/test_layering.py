"""The policies package depends on `config` and itself only."""

from __future__ import annotations

import ast
from pathlib import Path

import policies

FORBIDDEN = ("tools", "agents", "orchestrator", "mcp_servers", "evals")


def test_policies_imports_nothing_from_the_layers_above() -> None:
    root = Path(policies.__file__).parent
    offenders: list[str] = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []
