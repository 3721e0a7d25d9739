"""Shared fixtures and the ``--update-golden`` flag for report golden files."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

# Timings belong in benchmarks/, not in unit tests: no per-example deadline (a cold first example
# on a busy CI machine must not fail a correct property).
settings.register_profile("driftcheck", deadline=None)
settings.load_profile("driftcheck")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="Rewrite golden report files.")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def golden(update_golden: bool):
    """Compare ``actual`` with a golden file under tests/report/golden (or rewrite it)."""

    def check(name: str, actual: str) -> None:
        path = REPO / "tests" / "report" / "golden" / name
        if update_golden:
            path.write_text(actual, encoding="utf-8")
        assert path.exists(), f"golden file {name} is missing; create it with --update-golden"
        assert actual == path.read_text(encoding="utf-8"), f"{name} differs; rerun with --update-golden if intended"

    return check
