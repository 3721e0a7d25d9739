"""Helpers of the table-driven extraction tests: a note's statements of one label."""

from __future__ import annotations

from collections.abc import Callable

from driftcheck.extract.statements import Extractor
from driftcheck.model import Statement
from driftcheck.text.pipeline import TextProcessor

HPI = "HISTORY OF PRESENT ILLNESS"


def statements_of(extractor: Extractor, text: str, label: str, heading: str | None = None) -> list[Statement]:
    """Statements of ``label`` in ``text`` (under a ``heading`` line when given), any context."""
    body = f"{heading}\n\n{text}" if heading else text
    return [s for s in extractor.extract(TextProcessor().process(body)) if s.label == label]


def asserted_of(extractor: Extractor, text: str, label: str) -> list[Statement]:
    """Statements of ``label`` that are asserted (not negated, historical, hypothetical, other person)."""
    return [s for s in statements_of(extractor, text, label) if s.asserted]


def in_section(label: str, default_heading: str | None = None) -> Callable[..., list[Statement]]:
    """``(extractor, text, heading=default_heading) -> statements of label``, for one test module."""

    def found(extractor: Extractor, text: str, heading: str | None = default_heading) -> list[Statement]:
        return statements_of(extractor, text, label, heading)

    return found
