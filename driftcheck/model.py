"""Frozen records that flow between driftcheck's stages.

Every stage hands the next one these types and nothing else, so each stage can be tested with
hand-built values. Offsets are always character offsets into the *original* note text, because
that is the only text a reviewer (or the EHR) can point at.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any

#: Version of the JSON/JSONL/CSV finding contract. Add fields freely; bump on renames/removals.
SCHEMA_VERSION = "1.0"


class Severity(enum.Enum):
    """How bad a finding is for payer review (ordered: info < warning < error)."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        """Numeric order so severities compare (``--fail-on`` thresholds)."""
        return _SEVERITY_RANK[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    @classmethod
    def parse(cls, value: str | Severity) -> Severity:
        """Accept ``"error"``/``"ERROR"``/a Severity; raise ValueError naming the valid ones."""
        if isinstance(value, Severity):
            return value
        try:
            return cls(str(value).lower())
        except ValueError:
            raise ValueError(
                f"unknown severity {value!r}; expected one of: info, warning, error"
            ) from None


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


def frozen_attrs(attrs: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """Return a read-only copy of ``attrs`` so frozen records stay immutable."""
    return MappingProxyType(dict(attrs or {}))


@dataclass(frozen=True, slots=True)
class Note:
    """One visit note as ingested. ``date`` is the date of service."""

    patient_id: str
    note_id: str
    date: date
    text: str
    provider_id: str | None = None
    note_type: str | None = None
    payer: str | None = None
    status: str = "signed"  # "signed" | "draft"

    def sort_key(self) -> tuple[date, str]:
        """Timeline order: date of service, then note_id for same-day notes."""
        return (self.date, self.note_id)


@dataclass(frozen=True, slots=True)
class ClaimLine:
    """One billed (or planned) line. Tied to a note by ``note_id`` or by patient + date."""

    claim_id: str
    code: str
    note_id: str | None = None
    patient_id: str | None = None
    date: date | None = None
    modifiers: tuple[str, ...] = ()
    units: int = 1
    diagnoses: tuple[str, ...] = ()
    payer: str | None = None
    line: int = 1  # line number within the claim, for stable ids

    @property
    def line_id(self) -> str:
        """Stable identifier of this line: ``claim_id#line``."""
        return f"{self.claim_id}#{self.line}"


@dataclass(frozen=True, slots=True)
class RowError:
    """A record that could not be ingested. Never holds note text."""

    file: str
    row: int
    field: str
    problem: str

    def __str__(self) -> str:
        where = f"{self.file} row {self.row}" if self.row > 0 else self.file
        return f"{where}: field '{self.field}': {self.problem}"


@dataclass(frozen=True, slots=True)
class Span:
    """Evidence: a character range in one note, optionally carried from another note."""

    start: int
    end: int
    label: str
    source_note_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Stable JSON form (keys listed explicitly; never ``__dict__``)."""
        out: dict[str, Any] = {"start": self.start, "end": self.end, "label": self.label}
        if self.source_note_id is not None:
            out["source_note_id"] = self.source_note_id
        return out


@dataclass(frozen=True, slots=True)
class CarriedSpan:
    """Text in a note that repeats text of an earlier note of the same patient.

    ``kind`` is ``"exact"`` (same normalised sentence) or ``"fuzzy"`` (edited copy);
    ``score`` is the similarity in 0..100; ``boilerplate`` marks clinic template text, which
    carries forward legitimately and is not evidence of cloning.
    """

    start: int
    end: int
    source_note_id: str
    source_start: int
    source_end: int
    score: float
    kind: str = "exact"
    boilerplate: bool = False


@dataclass(frozen=True, slots=True)
class Statement:
    """A payer-relevant statement extracted from a note (DESIGN.md labels).

    ``fresh`` is False when the statement lies in text carried forward from an earlier visit;
    then ``source_note_id`` names that visit and the statement is *stale* evidence.
    """

    label: str
    start: int
    end: int
    attrs: Mapping[str, Any] = field(default_factory=lambda: frozen_attrs(None))
    pattern_id: str = ""
    section: str | None = None
    negated: bool = False
    historical: bool = False
    hypothetical: bool = False
    other_person: bool = False
    fresh: bool = True
    source_note_id: str | None = None

    @property
    def asserted(self) -> bool:
        """True when the statement is about this patient, now, and not negated."""
        return not (self.negated or self.hypothetical or self.other_person)


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in one note (and optionally one claim line).

    Messages never contain note text: only ids, offsets, numbers and rule language.
    """

    code: str
    name: str
    severity: Severity
    message: str
    patient_id: str
    note_id: str | None
    rule_source: str
    evidence: tuple[Span, ...] = ()
    claim_id: str | None = None
    billed_code: str | None = None
    confidence: float | None = None
    fix: str | None = None
    explanation: Mapping[str, Any] | None = None

    def sort_key(self) -> tuple[str, str, str, int, str, str]:
        """Deterministic total order: patient, note, code, first offset, claim, message."""
        first = self.evidence[0].start if self.evidence else -1
        return (
            self.patient_id,
            self.note_id or "",
            self.code,
            first,
            self.claim_id or "",
            self.message,
        )

    def __lt__(self, other: Finding) -> bool:
        return self.sort_key() < other.sort_key()

    def to_dict(self, explain: bool = False) -> dict[str, Any]:
        """Stable JSON form; ``explanation`` only when asked (it holds ids and numbers)."""
        out: dict[str, Any] = {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "patient_id": self.patient_id,
            "note_id": self.note_id,
            "claim_id": self.claim_id,
            "billed_code": self.billed_code,
            "evidence": [s.to_dict() for s in self.evidence],
            "rule_source": self.rule_source,
            "confidence": self.confidence,
            "fix": self.fix,
        }
        if explain and self.explanation is not None:
            out["explanation"] = dict(self.explanation)
        return out


#: Claim verdicts, from best to worst.
VERDICTS = ("clean", "at_risk", "likely_denial")


@dataclass(frozen=True, slots=True)
class ClaimVerdict:
    """The gate's answer for one claim: clean, at risk or likely denial, and why."""

    claim_id: str
    patient_id: str
    note_id: str | None
    codes: tuple[str, ...]
    verdict: str
    reasons: tuple[str, ...] = ()  # finding codes, worst first
    sources: tuple[str, ...] = ()  # rule sources of those findings

    def to_dict(self) -> dict[str, Any]:
        """Stable JSON form."""
        return {
            "claim_id": self.claim_id,
            "patient_id": self.patient_id,
            "note_id": self.note_id,
            "codes": list(self.codes),
            "verdict": self.verdict,
            "reasons": list(self.reasons),
            "sources": list(self.sources),
        }


@dataclass(frozen=True, slots=True)
class NoteRisk:
    """Per-note figures for risk ranking and the report's note table (no text)."""

    patient_id: str
    note_id: str
    date: date
    carried_fraction: float
    novel_words: int
    source_note_id: str | None
    risk: float
    findings: int

    def to_dict(self) -> dict[str, Any]:
        """Stable JSON form."""
        return {
            "patient_id": self.patient_id,
            "note_id": self.note_id,
            "date": self.date.isoformat(),
            "carried_fraction": round(self.carried_fraction, 3),
            "novel_words": self.novel_words,
            "source_note_id": self.source_note_id,
            "risk": round(self.risk, 2),
            "findings": self.findings,
        }


@dataclass(frozen=True)
class RunResult:
    """Everything a reporter renders: findings, verdicts, per-note risk and run figures."""

    command: str
    findings: tuple[Finding, ...]
    verdicts: tuple[ClaimVerdict, ...] = ()
    notes: tuple[NoteRisk, ...] = ()
    row_errors: tuple[RowError, ...] = ()
    patients: int = 0
    notes_checked: int = 0
    claim_lines: int = 0
    elapsed_s: float = 0.0
    suppressed: int = 0
    new_since_baseline: bool = False

    def counts(self) -> dict[str, int]:
        """Findings per severity."""
        out = {s.value: 0 for s in Severity}
        for f in self.findings:
            out[f.severity.value] += 1
        return out

    def summary(self) -> dict[str, Any]:
        """Run figures for every reporter (no note text)."""
        verdicts = {v: 0 for v in VERDICTS}
        for cv in self.verdicts:
            verdicts[cv.verdict] += 1
        return {
            "command": self.command,
            "patients": self.patients,
            "notes": self.notes_checked,
            "claim_lines": self.claim_lines,
            "findings": len(self.findings),
            "by_severity": self.counts(),
            "claims": verdicts,
            "rows_skipped": len(self.row_errors),
            "suppressed": self.suppressed,
            "baseline": "new findings only" if self.new_since_baseline else None,
            "elapsed_s": round(self.elapsed_s, 3),
        }
