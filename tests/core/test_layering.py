"""core/ is the floor the other apps stand on: none of its modules imports
an app above it (the home page's reads moved to the work app, decision 27)."""

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

ABOVE = {"contracts", "providers", "procurement", "finance", "performance", "documents", "work"}
CORE = sorted(p for p in (ROOT / "core").rglob("*.py") if "migrations" not in p.parts)


def imported(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name.partition(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.partition(".")[0])
    return found


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(ROOT)))
def test_core_imports_no_app_above_it(path):
    assert not imported(path) & ABOVE


def test_no_app_below_imports_the_work_app():
    for app in ABOVE - {"work"}:
        for path in (ROOT / app).rglob("*.py"):
            assert "work" not in imported(path), path
