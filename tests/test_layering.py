"""The one-way data flow of DESIGN.md, enforced: no stage imports a later stage."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "driftcheck"

# Stage order (left may be imported by right, never the reverse). The shared base — model,
# errors, config, fileio — may be imported by every stage.
ORDER = ["ingest", "text", "store", "claims", "similarity", "extract", "persist", "rules", "suppress", "verdicts", "sample", "report",
         "analyze", "evaluation", "eval", "corpus", "cli"]
BASE = {"model", "errors", "config", "fileio", "shipped"}
# The package facade and ``python -m`` entry may import anything (lazily).
TOP = {"__init__", "__main__"}


def _stage(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "driftcheck" or len(parts) < 2:
        return None
    return parts[1]


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return found


def _cases() -> list[tuple[Path, str]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        stage = rel.parts[0].removesuffix(".py")
        for module in _imports(path):
            out.append((rel, stage, module))
    return out


@pytest.mark.parametrize(("rel", "stage", "module"), _cases(), ids=lambda v: str(v))
def test_stage_never_imports_a_later_stage(rel: Path, stage: str, module: str) -> None:
    target = _stage(module)
    if target is None or target == stage or target in BASE or stage in TOP:
        return
    assert stage not in BASE, f"{rel}: the shared base must not import stage '{target}'"
    assert stage in ORDER, f"{rel}: stage '{stage}' is not in the layering order; add it"
    assert target in ORDER, f"{rel}: imports unknown stage '{target}'"
    assert ORDER.index(target) <= ORDER.index(stage), (
        f"{rel} (stage {stage}) imports {module} (later stage {target})"
    )


def test_layering_check_catches_a_backwards_import(tmp_path: Path) -> None:
    bad = tmp_path / "x.py"
    bad.write_text("from driftcheck.rules.base import Rule\n", encoding="utf-8")
    (module,) = _imports(bad)
    assert ORDER.index(_stage(module)) > ORDER.index("text")
