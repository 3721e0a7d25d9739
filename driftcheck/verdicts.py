"""The findings stage: claim verdicts and per-note risk from a patient's findings.

A claim inherits the findings raised on its own lines *and* the note-level findings of the note
it stands on: MACs deny the service when its documentation is cloned or lacks necessity, whatever
the claim line itself says.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from driftcheck.model import ClaimLine, ClaimVerdict, Finding, Severity

#: Risk weight of one finding per severity (for ranking notes; a relative score, not a probability).
RISK_WEIGHT = {Severity.ERROR: 5.0, Severity.WARNING: 2.0, Severity.INFO: 0.5}


def claim_verdicts(lines: Sequence[ClaimLine], findings: Iterable[Finding],
                   note_of: dict[str, str | None]) -> list[ClaimVerdict]:
    """One verdict per claim_id: ``likely_denial`` if any error applies, ``at_risk`` on warnings.

    Args:
        lines: every claim line of the patient (orphans included).
        findings: every finding of the patient.
        note_of: line_id -> the note_id it is tied to (None for orphans).
    """
    findings = list(findings)
    by_claim: dict[str, list[ClaimLine]] = {}
    for line in lines:
        by_claim.setdefault(line.claim_id, []).append(line)
    out = []
    for claim_id, claim_lines in sorted(by_claim.items()):
        notes = {note_of.get(line.line_id) for line in claim_lines} - {None}
        relevant = [
            f for f in findings
            if f.claim_id == claim_id
            or (f.claim_id is None and f.note_id in notes and f.severity is not Severity.INFO)
        ]
        relevant.sort(key=lambda f: (-f.severity.rank, f.code))
        worst = relevant[0].severity if relevant else None
        verdict = ("likely_denial" if worst is Severity.ERROR
                   else "at_risk" if worst is Severity.WARNING else "clean")
        codes = tuple(dict.fromkeys(f.code for f in relevant if f.severity is not Severity.INFO))
        sources = tuple(dict.fromkeys(f.rule_source for f in relevant if f.code in codes))
        first = claim_lines[0]
        out.append(ClaimVerdict(
            claim_id=claim_id,
            patient_id=first.patient_id or next((f.patient_id for f in relevant), ""),
            note_id=sorted(notes)[0] if notes else None,  # type: ignore[type-var]
            codes=tuple(line.code for line in claim_lines),
            verdict=verdict,
            reasons=codes,
            sources=sources,
        ))
    return out


def note_risk(findings: Iterable[Finding], carried_fraction: float) -> float:
    """Relative risk of a note: weighted findings plus its carried-forward share."""
    return sum(RISK_WEIGHT[f.severity] for f in findings) + 2.0 * carried_fraction
