"""Reporters: a registry of small functions rendering a :class:`RunResult`.

JSON, JSONL and CSV are stable contracts (fields are added, never renamed); text is for people.
No reporter prints note text unless ``show_text`` is set, and then the output says so first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TextIO

from driftcheck.model import RunResult

PHI_BANNER = "CONTAINS NOTE TEXT (PHI) — handle as protected health information"


@dataclass(frozen=True)
class ReportOptions:
    """How to render: explanations, note text excerpts (PHI), colour."""

    explain: bool = False
    show_text: bool = False
    texts: Mapping[str, str] = field(default_factory=dict)  # note_id -> text, only with show_text
    color: bool = False
    docs_url: str = "driftcheck rules {code}"


Reporter = Callable[[RunResult, TextIO, ReportOptions], None]


def _registry() -> dict[str, Reporter]:
    from driftcheck.report import csv_report, html, json_report, text

    return {
        "text": text.render,
        "json": json_report.render_json,
        "jsonl": json_report.render_jsonl,
        "csv": csv_report.render,
        "html": html.render,
    }


REPORTER_NAMES = ("text", "json", "jsonl", "csv", "html")


def get_reporter(name: str) -> Reporter:
    """The reporter called ``name``; ValueError lists the valid names."""
    reporters = _registry()
    if name not in reporters:
        raise ValueError(f"unknown format {name!r}; expected one of: {', '.join(REPORTER_NAMES)}")
    return reporters[name]


def excerpt(options: ReportOptions, note_id: str | None, start: int, end: int, width: int = 160) -> str | None:
    """The evidence text (only when ``show_text``), shortened to ``width`` characters."""
    if not options.show_text or note_id is None or note_id not in options.texts:
        return None
    snippet = " ".join(options.texts[note_id][start:end].split())
    return snippet if len(snippet) <= width else snippet[: width - 1] + "…"
