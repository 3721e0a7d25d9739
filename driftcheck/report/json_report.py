"""JSON (one document) and JSONL (one finding per line, streamable) reporters."""

from __future__ import annotations

import json
from typing import Any, TextIO

from driftcheck.model import SCHEMA_VERSION, Finding, RunResult
from driftcheck.report import PHI_BANNER, ReportOptions, excerpt


def _finding(f: Finding, options: ReportOptions) -> dict[str, Any]:
    out = f.to_dict(explain=options.explain)
    if options.show_text:
        for span, ev in zip(f.evidence, out["evidence"], strict=True):
            ev["text"] = excerpt(options, f.note_id, span.start, span.end)
    return out


def render_json(result: RunResult, out: TextIO, options: ReportOptions) -> None:
    """One JSON document: schema_version, summary, findings, claim verdicts, note risk."""
    doc: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    if options.show_text:
        doc["warning"] = PHI_BANNER
    doc.update({
        "summary": result.summary(),
        "findings": [_finding(f, options) for f in result.findings],
        "claims": [v.to_dict() for v in result.verdicts],
        "notes": [n.to_dict() for n in result.notes],
        "row_errors": [str(e) for e in result.row_errors],
    })
    json.dump(doc, out, indent=2, sort_keys=False)
    out.write("\n")


def render_jsonl(result: RunResult, out: TextIO, options: ReportOptions) -> None:
    """One finding per line (with ``schema_version`` on each), for streaming consumers."""
    for f in result.findings:
        row = {"schema_version": SCHEMA_VERSION, **_finding(f, options)}
        if options.show_text:
            row["warning"] = PHI_BANNER  # each line may travel alone
        out.write(json.dumps(row) + "\n")
