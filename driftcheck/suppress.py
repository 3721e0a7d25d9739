"""Reviewed suppressions and audit baselines — kept outside the note, never inside it.

Clinicians cannot be asked to type ``noqa`` into a legal record, so a finding a compliance
reviewer has accepted is recorded in a separate, reviewed TOML file with a mandatory reason
(sqlfluff's ``noqa`` idea, moved out of the document). Entries that match nothing are reported,
as ruff's RUF100 does, so stale suppressions do not pile up. A *baseline* is a previous JSON
report: with it, a run reports only findings that are new since that audit (Bandit's
``--baseline``).

Example ``suppressions.toml``::

    [[suppress]]
    code = "DC102"                 # a code, a prefix ("DC1") or a rule name
    patient_id = "p04"             # and/or note_id = "p04-v05"
    reason = "Stable myofascial exam; reviewed by J. Doe on 2026-03-01"
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from driftcheck.errors import ConfigError, InputError
from driftcheck.model import Finding

_KEYS = {"code", "note_id", "patient_id", "reason"}


@dataclass
class Suppression:
    """One reviewed exception: which findings it covers and why."""

    code: str
    reason: str
    note_id: str | None = None
    patient_id: str | None = None
    entry: int = 0  # position in the file, for messages
    used: int = field(default=0, compare=False)

    def covers(self, finding: Finding) -> bool:
        """Whether this entry suppresses ``finding``."""
        if not (finding.code.startswith(self.code.upper()) or finding.name == self.code):
            return False
        if self.note_id is not None and finding.note_id != self.note_id:
            return False
        return self.patient_id is None or finding.patient_id == self.patient_id


def load_suppressions(path: Path) -> list[Suppression]:
    """Read and validate a suppressions file.

    Raises:
        ConfigError: unreadable TOML, unknown keys, or an entry without code, scope or reason
            (the message names the file and entry number).
    """
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: suppressions file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    extra = set(data) - {"suppress"}
    if extra:
        raise ConfigError(f"{path}: unknown top-level key(s) {sorted(extra)}; expected [[suppress]] entries")
    out = []
    for i, entry in enumerate(data.get("suppress", []), 1):
        where = f"{path} suppress entry {i}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where}: must be a table")
        unknown = set(entry) - _KEYS
        if unknown:
            raise ConfigError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(_KEYS)}")
        for key in entry:
            if not isinstance(entry[key], str):
                raise ConfigError(f"{where}: '{key}' must be a string")
        if not entry.get("code"):
            raise ConfigError(f"{where}: 'code' is required (a code, prefix or rule name)")
        if not (entry.get("note_id") or entry.get("patient_id")):
            raise ConfigError(f"{where}: give 'note_id' or 'patient_id' (a suppression never covers everyone)")
        if not entry.get("reason", "").strip():
            raise ConfigError(f"{where}: 'reason' is required — who reviewed it and why")
        out.append(Suppression(entry["code"], entry["reason"].strip(), entry.get("note_id"),
                               entry.get("patient_id"), i))
    return out


def apply_suppressions(findings: Iterable[Finding], suppressions: Sequence[Suppression]) -> tuple[list[Finding], int]:
    """Findings not covered by any entry, and how many were suppressed (entries count their use)."""
    kept, dropped = [], 0
    for f in findings:
        entry = next((s for s in suppressions if s.covers(f)), None)
        if entry is None:
            kept.append(f)
        else:
            entry.used += 1
            dropped += 1
    return kept, dropped


def unused(suppressions: Sequence[Suppression]) -> list[Suppression]:
    """Entries that matched no finding in this run (candidates for removal)."""
    return [s for s in suppressions if s.used == 0]


def fingerprint(code: str, patient_id: str, note_id: str | None, claim_id: str | None,
                evidence: tuple[str, int] | None = None) -> tuple[object, ...]:
    """What identifies "the same finding" across runs: rule, patient, note, claim, first evidence.

    The first evidence span (label and start) tells apart several findings of one rule on one
    note — e.g. DC102 for the exam and for the plan — so a newly static section is not hidden
    by an old one. Signed notes do not change, so their offsets are stable across runs.
    """
    return (code, patient_id, note_id or "", claim_id or "", evidence)


def _first(evidence: Sequence[object]) -> tuple[str, int] | None:
    if not evidence:
        return None
    span = evidence[0]
    if isinstance(span, dict):
        return (str(span.get("label")), int(span.get("start", -1)))
    return (str(span.label), int(span.start))  # type: ignore[attr-defined]


def load_baseline(path: Path) -> set[tuple[object, ...]]:
    """Fingerprints of the findings in a previous ``--format json`` report.

    Raises:
        InputError: the file is not a driftcheck JSON report.
    """
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
        return {fingerprint(f["code"], f["patient_id"], f.get("note_id"), f.get("claim_id"),
                            _first(f.get("evidence") or ())) for f in doc["findings"]}
    except FileNotFoundError:
        raise InputError(f"{path}: baseline report not found") from None
    except (ValueError, KeyError, TypeError, AttributeError):
        raise InputError(f"{path}: not a driftcheck JSON report (expected 'findings' with code/patient_id)") from None


def new_since(findings: Iterable[Finding], baseline: set[tuple[object, ...]]) -> list[Finding]:
    """Findings whose fingerprint is not in the baseline."""
    return [f for f in findings
            if fingerprint(f.code, f.patient_id, f.note_id, f.claim_id, _first(f.evidence)) not in baseline]
