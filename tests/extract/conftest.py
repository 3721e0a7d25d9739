"""Shared fixture of the extraction tests: one rule extractor per test module."""

from __future__ import annotations

import pytest

from driftcheck.extract.statements import Extractor


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()
