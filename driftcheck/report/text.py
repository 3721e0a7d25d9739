"""Terminal reporter: findings grouped by note, worst first, then claim verdicts and a summary.

For people, not for parsing (use json/jsonl/csv for that). Colour comes from rich when the
output is a terminal.
"""

from __future__ import annotations

from itertools import groupby
from typing import TextIO

from rich.console import Console
from rich.markup import escape

from driftcheck.model import RunResult, Severity
from driftcheck.report import PHI_BANNER, ReportOptions, excerpt

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_VERDICT_STYLE = {"clean": "green", "at_risk": "yellow", "likely_denial": "bold red"}


def render(result: RunResult, out: TextIO, options: ReportOptions) -> None:
    """Write the human-readable report to ``out``."""
    console = Console(file=out, force_terminal=options.color, no_color=not options.color,
                      width=120, soft_wrap=True, highlight=False)
    if options.show_text:
        console.print(f"[bold red]{PHI_BANNER}[/]")
    key = lambda f: (f.patient_id, f.note_id or "")  # noqa: E731 - local grouping key
    for (patient_id, note_id), group in groupby(sorted(result.findings, key=key), key=key):
        findings = sorted(group, key=lambda f: (-f.severity.rank, f.code, f.sort_key()))
        console.print(f"[bold]{escape(patient_id)} / {escape(note_id or '(no note)')}[/]")
        for f in findings:
            spans = ", ".join(
                f"{s.start}-{s.end}" + (f" (from {s.source_note_id})" if s.source_note_id else "")
                for s in f.evidence[:4]
            )
            more = f" +{len(f.evidence) - 4}" if len(f.evidence) > 4 else ""
            claim = escape(f" [{f.claim_id} {f.billed_code or ''}]") if f.claim_id else ""
            console.print(
                f"  [{_STYLE[f.severity]}]{f.severity.value:<7}[/] {f.code} {f.name}{claim}: "
                f"{escape(f.message)}"
            )
            if spans:
                console.print(f"          at {spans}{more}")
            if options.show_text:
                for s in f.evidence[:2]:
                    snippet = excerpt(options, f.note_id, s.start, s.end)
                    if snippet:
                        console.print(f"          [dim]\u201c{escape(snippet)}\u201d[/]")
            if f.fix:
                console.print(f"          fix: {escape(f.fix)}")
            console.print(f"          source: {escape(f.rule_source)}")
            if options.explain and f.explanation:
                detail = ", ".join(f"{k}={v}" for k, v in f.explanation.items())
                console.print(f"          why: {escape(detail)}")
    if result.verdicts:
        console.print("[bold]Claims[/]")
        for v in sorted(result.verdicts, key=lambda v: (v.patient_id, v.claim_id)):
            reasons = f" ({', '.join(v.reasons)})" if v.reasons else ""
            console.print(
                f"  {escape(v.claim_id):<14} {escape(v.patient_id):<10} {' '.join(v.codes):<22} "
                f"[{_VERDICT_STYLE[v.verdict]}]{v.verdict}[/]{reasons}"
            )
    for err in result.row_errors[:20]:
        console.print(f"[yellow]skipped[/] {escape(str(err))}")
    if len(result.row_errors) > 20:
        console.print(f"[yellow]skipped[/] … and {len(result.row_errors) - 20} more rows")
    s = result.summary()
    sev = s["by_severity"]
    claims = s["claims"]
    console.print(
        f"[bold]{s['notes']} notes[/] of {s['patients']} patients, {s['claim_lines']} claim lines: "
        f"{sev['error']} errors, {sev['warning']} warnings, {sev['info']} info"
        + (f"; claims {claims['clean']} clean, {claims['at_risk']} at risk, "
           f"{claims['likely_denial']} likely denial" if result.verdicts else "")
        + (f"; {s['rows_skipped']} rows skipped" if s["rows_skipped"] else "")
        + f" ({s['elapsed_s']:.2f} s)"
    )
