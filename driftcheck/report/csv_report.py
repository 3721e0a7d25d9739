"""CSV reporter: a fixed column list, one row per finding, a docs pointer per code."""

from __future__ import annotations

import csv
from typing import TextIO

from driftcheck.model import RunResult
from driftcheck.report import ReportOptions, excerpt

COLUMNS = ("patient_id", "note_id", "claim_id", "billed_code", "code", "name", "severity", "message",
           "evidence", "source_note_ids", "rule_source", "fix", "docs")


def render(result: RunResult, out: TextIO, options: ReportOptions) -> None:
    """Write the header and one row per finding. ``evidence`` is ``start-end`` joined by ';'."""
    columns = (*COLUMNS, "evidence_text") if options.show_text else COLUMNS
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for f in result.findings:
        row = [
            f.patient_id, f.note_id or "", f.claim_id or "", f.billed_code or "", f.code, f.name,
            f.severity.value, f.message,
            ";".join(f"{s.start}-{s.end}" for s in f.evidence),
            ";".join(sorted({s.source_note_id for s in f.evidence if s.source_note_id})),
            f.rule_source, f.fix or "", options.docs_url.format(code=f.code),
        ]
        if options.show_text:
            row.append(" | ".join(excerpt(options, f.note_id, s.start, s.end) or "" for s in f.evidence))
        writer.writerow(row)
