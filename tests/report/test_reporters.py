"""Reporters render a hand-built RunResult exactly as the golden files say."""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import date

import pytest

from driftcheck.fileio import open_private
from driftcheck.model import (
    SCHEMA_VERSION,
    ClaimVerdict,
    Finding,
    NoteRisk,
    RowError,
    RunResult,
    Severity,
    Span,
)
from driftcheck.report import PHI_BANNER, ReportOptions, get_reporter

TEXT = "HPI: Pain unchanged at 7/10. Plan: repeat L4-L5 epidural steroid injection."


def _result() -> RunResult:
    cloned = Finding(
        code="DC101", name="cloned-note", severity=Severity.ERROR,
        message="92% of clinical text repeats note p02-v02 with no documented change",
        patient_id="p02", note_id="p02-v03", rule_source="Palmetto GBA / First Coast: cloned documentation",
        evidence=(Span(5, 28, "carried", "p02-v02"),), fix="Document today's interval history.",
        explanation={"clinical_fraction": 0.92, "threshold": 0.8},
    )
    stale = Finding(
        code="DC206", name="stale-necessity", severity=Severity.WARNING,
        message="necessity is documented only in text carried from p02-v02",
        patient_id="p02", note_id="p02-v03", rule_source="L39240", claim_id="c9", billed_code="62323",
        evidence=(Span(35, 76, "NECESSITY", "p02-v02"),),
    )
    return RunResult(
        command="scan",
        findings=(cloned, stale),
        verdicts=(ClaimVerdict("c9", "p02", "p02-v03", ("62323",), "likely_denial", ("DC101", "DC206"),
                               ("Palmetto", "L39240")),),
        notes=(NoteRisk("p02", "p02-v03", date(2026, 3, 2), 0.92, 4, "p02-v02", 8.84, 2),),
        row_errors=(RowError("notes.csv", 7, "date", "not ISO 8601 (got 10 characters)"),),
        patients=1, notes_checked=3, claim_lines=1, elapsed_s=0.5,
    )


@pytest.mark.parametrize("fmt", ["text", "json", "jsonl", "csv", "html"])
def test_reporter_matches_golden(fmt: str, golden) -> None:
    out = io.StringIO()
    get_reporter(fmt)(_result(), out, ReportOptions())
    golden(f"report.{fmt}", out.getvalue())


def test_json_has_schema_version_and_no_text_by_default() -> None:
    out = io.StringIO()
    get_reporter("json")(_result(), out, ReportOptions())
    doc = json.loads(out.getvalue())
    assert doc["schema_version"] == SCHEMA_VERSION
    assert doc["summary"]["rows_skipped"] == 1
    assert "Pain" not in out.getvalue()


@pytest.mark.parametrize("fmt", ["text", "json", "jsonl", "csv", "html"])
def test_show_text_adds_banner_and_excerpts(fmt: str) -> None:
    out = io.StringIO()
    get_reporter(fmt)(_result(), out, ReportOptions(show_text=True, texts={"p02-v03": TEXT}))
    value = out.getvalue()
    assert "Pain unchanged at 7/10" in value
    if fmt != "csv":
        assert PHI_BANNER.split(" ")[0] in value


def test_csv_has_fixed_columns() -> None:
    out = io.StringIO()
    get_reporter("csv")(_result(), out, ReportOptions())
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["code"] == "DC101" and rows[0]["evidence"] == "5-28" and rows[0]["source_note_ids"] == "p02-v02"


def test_unknown_format_lists_valid_ones() -> None:
    with pytest.raises(ValueError, match="text, json"):
        get_reporter("xml")


def test_open_private_creates_0600(tmp_path) -> None:
    path = tmp_path / "sub" / "r.json"
    with open_private(path) as fh:
        fh.write("{}")
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"


def test_html_renders_evidence_without_a_source_note() -> None:
    own = Finding(code="DC315", name="tpi-muscle-count-mismatch", severity=Severity.ERROR,
                  message="20553 requires >= 3 muscles; 2 named", patient_id="p04", note_id="p04-v03",
                  rule_source="A59553", evidence=(Span(10, 30, "MUSCLE"),), claim_id="c1", billed_code="20553")
    out = io.StringIO()
    get_reporter("html")(RunResult(command="scan", findings=(own,)), out, ReportOptions())
    assert "10–30" in out.getvalue() and " from " not in out.getvalue().split("10–30")[1][:20]
