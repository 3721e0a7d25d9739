"""Hand-built contexts for the DC3xx rule tests (no extractor, no store).

A statement is written as the text it stands for plus its attrs; :func:`make_ctx` lays the
snippets out as lines of a note, so every statement's offsets point at its own text and the
text stage (sections, sentences) runs on something realistic.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from driftcheck.model import ClaimLine, Finding, Note, Statement, frozen_attrs
from driftcheck.rules.base import HistoryVisit, Rule, RuleContext
from driftcheck.rules.packs import overridden_params, pack_defaults, resolve_params
from driftcheck.text.pipeline import process

PATIENT = "P1"
NOTE = "N0"


@dataclass(frozen=True)
class S:
    """A statement to place in a note: label, its text, attrs, and whether it is fresh."""

    label: str
    text: str
    attrs: Mapping[str, Any] = field(default_factory=dict)
    fresh: bool = True
    source: str | None = None
    negated: bool = False
    section: str | None = None


def stmt(label: str, text: str, *, fresh: bool = True, source: str | None = None,
         negated: bool = False, **attrs: Any) -> S:
    """A statement spec; stale ones default to source note ``N-1``."""
    return S(label, text, attrs, fresh, source or (None if fresh else "N-1"), negated)


def line(code: str, *, day: date | None = None, units: int = 1, modifiers: Sequence[str] = (),
         claim_id: str = "C1", note_id: str | None = None, n: int = 1, patient_id: str = PATIENT) -> ClaimLine:
    """A claim line (dated lines are history; undated ones belong to the note under test)."""
    return ClaimLine(claim_id=claim_id, code=code, note_id=note_id, patient_id=patient_id, date=day,
                     modifiers=tuple(modifiers), units=units, line=n)


def build_statements(text: str, specs: Iterable[S]) -> tuple[Statement, ...]:
    """Statements with offsets found in ``text`` (each spec's text must occur in it)."""
    out = []
    cursor: dict[str, int] = {}
    for spec in specs:
        start = text.index(spec.text, cursor.get(spec.text, 0))
        cursor[spec.text] = start + 1
        out.append(Statement(label=spec.label, start=start, end=start + len(spec.text),
                             attrs=frozen_attrs(spec.attrs), fresh=spec.fresh,
                             source_note_id=None if spec.fresh else spec.source,
                             negated=spec.negated, section=spec.section))
    return tuple(out)


def compose(specs: Sequence[S], text: str | None) -> str:
    """The note text: ``text`` when given (snippets must be in it), else the snippets as lines."""
    if text is not None:
        return text
    lines = []
    for spec in specs:
        if spec.text not in lines:
            lines.append(spec.text)
    return "\n".join(lines) + "\n"


def visit(day: date, note_id: str, statements: Sequence[S] = (), text: str | None = None) -> HistoryVisit:
    """An earlier visit with its statements (fresh there unless stated)."""
    body = compose(statements, text)
    note = Note(patient_id=PATIENT, note_id=note_id, date=day, text=body)
    return HistoryVisit(note, build_statements(body, statements))


def make_ctx(
    day: date,
    statements: Sequence[S] = (),
    claims: Sequence[ClaimLine] = (),
    *,
    history: Sequence[HistoryVisit] = (),
    claim_history: Sequence[ClaimLine] = (),
    payer_params: Mapping[str, Any] | None = None,
    payer: str | None = None,
    overrides: Mapping[str, Any] | None = None,
    text: str | None = None,
    similarity: Any = None,
    note_id: str = NOTE,
) -> RuleContext:
    """A RuleContext for one note on ``day``.

    Claim lines of the note get this note's id and date; payer params are resolved from the
    pack defaults with ``overrides`` for ``payer`` unless ``payer_params`` is given outright.
    """
    body = compose(statements, text)
    note = Note(patient_id=PATIENT, note_id=note_id, date=day, text=body, payer=payer)
    tied = tuple(ClaimLine(claim_id=c.claim_id, code=c.code, note_id=note_id, patient_id=PATIENT, date=day,
                           modifiers=c.modifiers, units=c.units, line=c.line) for c in claims)
    if payer_params is not None:  # given outright: every key counts as set by the config
        params, set_names = dict(payer_params), frozenset(payer_params)
    else:
        params = resolve_params(pack_defaults(), overrides, payer)
        set_names = overridden_params(overrides, payer)
    return RuleContext(note=note, doc=process(body), similarity=similarity,
                       statements=build_statements(body, statements), history=tuple(history),
                       claims=tied, claim_history=tuple(claim_history), payer_params=params,
                       payer_overrides=set_names)


def run(rule: type[Rule] | Rule, ctx: RuleContext) -> list[Finding]:
    """Findings of one rule on one context."""
    instance = rule() if isinstance(rule, type) else rule
    return list(instance.check(ctx))


def is_stale(finding: Finding) -> bool:
    """A stale finding says so and cites the visits its evidence was copied from."""
    return "stale" in finding.message and all(s.source_note_id for s in finding.evidence)
