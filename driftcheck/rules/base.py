"""The Rule base class and the context every rule reads.

A rule is a small declared class: code, kebab-case name, default severity, payer source, a typed
options dataclass and a ``check(ctx)`` generator. Rules are pure functions of a precomputed
:class:`RuleContext`: they do no I/O, never run spaCy and never read config, which keeps a
pre-sign check fast and every rule testable with a hand-built context.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from driftcheck.model import CarriedSpan, ClaimLine, Finding, Note, Severity, Span, Statement

if TYPE_CHECKING:
    from driftcheck.similarity import NoteSimilarity
    from driftcheck.text.pipeline import TextDoc

#: Sections every rule doc must have (checked by tests/test_docs.py).
DOC_SECTIONS = ("What it flags", "Why payers care", "Example (flagged)", "Example (passes)",
                "How to fix", "Source", "Options")


@dataclass(frozen=True)
class NoOptions:
    """Options of a rule that has none."""


@dataclass(frozen=True)
class HistoryVisit:
    """An earlier visit of the same patient as rules see it: the note and its statements."""

    note: Note
    statements: tuple[Statement, ...] = ()


@dataclass(frozen=True)
class RuleContext:
    """Everything a rule may look at for one note (built once per note by ``analyze``).

    Attributes:
        note: the note under review.
        doc: its text-stage result (sections, sentences with original offsets).
        similarity: carried-forward analysis against the patient's earlier notes.
        statements: extracted statements of this note, each marked fresh or carried.
        history: earlier visits of the patient in date order (oldest first).
        claims: claim lines tied to this note (billed, or planned for a draft).
        claim_history: all claim lines of the patient dated before or on this note's date,
            other than ``claims`` (for frequency windows and same-month totals).
        payer_params: resolved payer parameters (defaults overridden by config/payer).
        payer_overrides: names of the ``payer_params`` the user's config set explicitly (they win
            over rule options even when equal to the pack default).
        cross_patient: spans of this note that repeat another patient's note (non-template).
    """

    note: Note
    doc: TextDoc
    similarity: NoteSimilarity | None = None
    statements: tuple[Statement, ...] = ()
    history: tuple[HistoryVisit, ...] = ()
    claims: tuple[ClaimLine, ...] = ()
    claim_history: tuple[ClaimLine, ...] = ()
    payer_params: Mapping[str, Any] = field(default_factory=dict)
    payer_overrides: frozenset[str] = frozenset()
    cross_patient: tuple[CarriedSpan, ...] = ()

    def fresh(self, label: str) -> list[Statement]:
        """Asserted statements of ``label`` written today (not carried forward)."""
        return [s for s in self.statements if s.label == label and s.asserted and s.fresh]

    def stale(self, label: str) -> list[Statement]:
        """Asserted statements of ``label`` present only in carried-forward text."""
        return [s for s in self.statements if s.label == label and s.asserted and not s.fresh]


class Rule:
    """Base of every check. Subclasses declare identity and implement :meth:`check`.

    The class docstring is the rule's documentation: a one-line summary, then the sections in
    :data:`DOC_SECTIONS` (``driftcheck rules CODE`` prints it).
    """

    code: ClassVar[str]
    name: ClassVar[str]
    default_severity: ClassVar[Severity]
    source: ClassVar[str]
    Options: ClassVar[type] = NoOptions

    def __init__(self, options: Any | None = None, severity: Severity | None = None) -> None:
        self.options = options if options is not None else self.Options()
        self.severity = severity or self.default_severity

    @classmethod
    def summary(cls) -> str:
        """First line of the docstring."""
        return (inspect.getdoc(cls) or "").strip().splitlines()[0] if cls.__doc__ else ""

    @classmethod
    def doc(cls) -> str:
        """The full rule documentation (dedented docstring)."""
        return inspect.getdoc(cls) or ""

    @classmethod
    def option_fields(cls) -> Sequence[dataclasses.Field[Any]]:
        """The typed options this rule accepts (for config validation and docs)."""
        return dataclasses.fields(cls.Options)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        """Yield findings for one note. Must not do I/O or mutate ``ctx``."""
        raise NotImplementedError

    def finding(
        self,
        ctx: RuleContext,
        message: str,
        evidence: Sequence[Span] = (),
        *,
        claim: ClaimLine | None = None,
        severity: Severity | None = None,
        confidence: float | None = None,
        fix: str | None = None,
        source: str | None = None,
        explanation: Mapping[str, Any] | None = None,
    ) -> Finding:
        """Build a finding for this rule with identity, note ids and source filled in."""
        return Finding(
            code=self.code,
            name=self.name,
            severity=severity or self.severity,
            message=message,
            patient_id=ctx.note.patient_id,
            note_id=ctx.note.note_id,
            rule_source=source or self.source,
            evidence=tuple(sorted(evidence, key=lambda s: (s.start, s.end, s.label))),
            claim_id=claim.claim_id if claim else None,
            billed_code=claim.code if claim else None,
            confidence=confidence,
            fix=fix,
            explanation=dict(explanation) if explanation is not None else None,
        )
