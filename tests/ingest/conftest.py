"""Fixtures for the ingest tests: the data folder and a helper that splits records from errors."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from driftcheck.model import RowError

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def data() -> Path:
    return DATA


def _split(records: Iterable[object]) -> tuple[list, list[RowError]]:
    good, bad = [], []
    for rec in records:
        (bad if isinstance(rec, RowError) else good).append(rec)
    return good, bad


@pytest.fixture
def split() -> Callable[[Iterable[object]], tuple[list, list[RowError]]]:
    """``split(records) -> (good records, RowErrors)``, each in reading order."""
    return _split
