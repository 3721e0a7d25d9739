"""Small generic checkers the DC3xx billing rules share.

The requirement data (codes, thresholds, sources, dates) lives in ``rules/packs/*.toml``; this
module holds the few operations every billing rule repeats: reading a threshold (payer
override, then rule option, then pack default), finding fresh or stale evidence, counting
sessions in a rolling window, and looking at the lines billed on the same day or month.

Rolling window, defined once here: a window of ``N`` days *ending on* a date of service D holds
the dates ``D - (N - 1)`` .. ``D``, i.e. the ``N`` calendar days up to and including D. With the
default 365, a session 364 days before D is inside (day 365 of the window) and a session 365 days
before D is outside (day 366).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from driftcheck.model import ClaimLine, Finding, Severity, Span, Statement
from driftcheck.rules.base import HistoryVisit, Rule, RuleContext
from driftcheck.rules.packs import PackSet, Requirement, load_packs

PACKS: PackSet = load_packs()

#: Evidence statuses returned by :func:`find_evidence`.
FRESH, STALE, MISSING = "fresh", "stale", "missing"


def param_field(name: str) -> Any:
    """A dataclass field whose default is pack parameter ``name`` (and which records the name).

    Used in rule ``Options`` so a threshold has one default (the pack) and shows up in
    ``driftcheck rules`` docs and config validation like any other option.
    """
    default = PACKS.param(name).default
    if isinstance(default, Mapping):
        return dataclasses.field(default_factory=lambda: dict(default), metadata={"param": name})
    return dataclasses.field(default=default, metadata={"param": name})


class BillingRule(Rule):
    """A DC3xx rule: identity plus the pack requirements it checks.

    ``requirements`` names pack requirement ids; their effective dates gate the rule and their
    sources become the finding's ``rule_source``.
    """

    requirements: ClassVar[tuple[str, ...]] = ()
    default_severity: ClassVar[Severity] = Severity.ERROR

    def opt(self, ctx: RuleContext, field_name: str) -> Any:
        """A threshold: the payer's setting if the config set one, else the rule option.

        Precedence is payer override (``[tool.driftcheck.payers.<name>]``, listed in
        ``ctx.payer_overrides``) > rule option (``[tool.driftcheck.rules.DCxxx]``) > pack default.
        """
        meta = {f.name: f for f in dataclasses.fields(self.options)}[field_name].metadata
        name = meta.get("param")
        if name and name in ctx.payer_overrides and name in ctx.payer_params:
            return ctx.payer_params[name]
        return getattr(self.options, field_name)

    def finding(self, ctx: RuleContext, message: str, evidence: Sequence[Span] = (), *,
                claim: ClaimLine | None = None, explanation: Mapping[str, Any] | None = None,
                **kw: Any) -> Finding:
        """As :meth:`Rule.finding`, adding the claim line number to the explanation.

        The line number lets evaluation and reviewers pin the finding to one line of a claim.
        """
        if claim is not None:
            explanation = {"line": claim.line, **(explanation or {})}
        return super().finding(ctx, message, evidence, claim=claim, explanation=explanation, **kw)

    def in_force(self, ctx: RuleContext, req_id: str | None = None) -> bool:
        """Whether the (or every named) requirement applies on this note's date of service."""
        ids = (req_id,) if req_id else self.requirements
        return all(PACKS.requirement(r).in_effect(ctx.note.date) for r in ids)

    def req(self, req_id: str) -> Requirement:
        """A pack requirement by id."""
        return PACKS.requirement(req_id)


def source_of(*req_ids: str) -> str:
    """The ``rule_source`` text for requirements (sources joined, grade and confidence noted)."""
    parts = []
    for req_id in req_ids:
        req = PACKS.requirement(req_id)
        parts.append(f"{req.source} [{', '.join(req.source_ids)}; grade {req.grade}, {req.confidence}]")
    return " | ".join(dict.fromkeys(parts))


# ---------------------------------------------------------------------------------- evidence


@dataclass(frozen=True)
class Evidence:
    """Whether a requirement is met by fresh text, only by carried-forward text, or not at all."""

    status: str
    statements: tuple[Statement, ...] = ()

    @property
    def spans(self) -> list[Span]:
        """Evidence spans; stale ones name the visit they were carried from."""
        return [span_of(s) for s in self.statements]

    @property
    def sources(self) -> list[str]:
        """Visits the stale statements were carried from (ids only)."""
        return sorted({s.source_note_id for s in self.statements if s.source_note_id})


def span_of(statement: Statement, label: str | None = None) -> Span:
    """The evidence span of a statement (with its source visit when it is stale)."""
    return Span(statement.start, statement.end, label or statement.label,
                None if statement.fresh else statement.source_note_id)


def find_evidence(ctx: RuleContext, label: str, ok: Callable[[Statement], bool]) -> Evidence:
    """Fresh statements of ``label`` meeting ``ok``; else stale ones; else missing."""
    fresh = tuple(s for s in ctx.fresh(label) if ok(s))
    if fresh:
        return Evidence(FRESH, fresh)
    stale = tuple(s for s in ctx.stale(label) if ok(s))
    if stale:
        return Evidence(STALE, stale)
    return Evidence(MISSING)


def carried_counts_field() -> Any:
    """Option ``count_carried_forward`` for rules about facts of the procedure itself.

    Muscles injected, levels/sides treated and the time statement describe the encounter; a
    repeated procedure legitimately repeats them, and a wholly copied note is DC1xx's finding.
    Such rules count carried-forward statements as documentation unless this is set False.
    """
    return dataclasses.field(default=True, metadata={"param": None})


def statements_for(ctx: RuleContext, label: str, carried_counts: bool) -> list[Statement]:
    """Asserted statements of ``label``: fresh ones, plus carried ones when they count."""
    return ctx.fresh(label) + (ctx.stale(label) if carried_counts else [])


def section_of(ctx: RuleContext, statement: Statement) -> str | None:
    """The section kind a statement lies in (its own ``section`` or the text stage's)."""
    if statement.section:
        return statement.section
    for section in ctx.doc.sections:
        if section.start <= statement.start < max(section.end, section.start + 1):
            return section.kind
    return None


def num(statement: Statement, key: str) -> float | None:
    """A numeric attribute (``minutes``, ``relief_pct`` ...) or None when absent or not a number."""
    value = statement.attrs.get(key)
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).strip().rstrip("%"))
    except ValueError:
        return None


def words(value: Any) -> list[str]:
    """A comma-joined attribute (``modality``) or list as clean lower-case items."""
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else str(value).split(",")
    return [str(i).strip().lower() for i in items if str(i).strip()]


def stale_message(sources: Sequence[str]) -> str:
    """The standard suffix of a stale finding's message."""
    where = ", ".join(sources) if sources else "an earlier visit"
    return f"only in text carried forward from note {where} (stale)"


def stale_explanation(evidence: Evidence, **extra: Any) -> dict[str, Any]:
    """Explanation of a stale finding: ids and numbers only."""
    return {"evidence": STALE, "source_note_ids": evidence.sources, **extra}


# ------------------------------------------------------------------------------------- claims


def mods(line: ClaimLine) -> set[str]:
    """The line's modifiers, upper-case."""
    return {m.strip().upper() for m in line.modifiers if m.strip()}


def code(line: ClaimLine) -> str:
    """The billed code, normalised."""
    return line.code.strip().upper()


def lines_with(lines: Iterable[ClaimLine], codes: Iterable[str]) -> list[ClaimLine]:
    """Lines whose code is in ``codes``."""
    wanted = set(codes)
    return [line for line in lines if code(line) in wanted]


def day_lines(ctx: RuleContext) -> list[ClaimLine]:
    """Lines billed on this note's date of service: this note's and other same-day notes'."""
    return [*ctx.claims, *(line for line in ctx.claim_history if line.date == ctx.note.date)]


def month_lines(ctx: RuleContext) -> list[ClaimLine]:
    """Lines of this note and of the patient's earlier lines in the same calendar month."""
    d = ctx.note.date
    return [*ctx.claims, *(line for line in ctx.claim_history
                           if line.date and (line.date.year, line.date.month) == (d.year, d.month))]


def in_window(day: date, when: date, window_days: int) -> bool:
    """Whether ``when`` falls in the ``window_days``-day window ending on and including ``day``."""
    delta = (day - when).days
    return 0 <= delta < window_days


def session_dates(ctx: RuleContext, codes: Iterable[str], region: str | None = None,
                  window_days: int | None = None) -> list[date]:
    """Distinct dates of service with a line in ``codes`` (and ``region``), up to this note.

    A session is a date of service, not a unit or line (payer-rules.md §9 item 16: "count DOS,
    not units"). This note's own lines count as today's session.
    """
    wanted = set(codes)
    dates: set[date] = set()
    for line in [*ctx.claims, *ctx.claim_history]:
        if code(line) not in wanted:
            continue
        if region is not None and PACKS.region(code(line)) != region:
            continue
        when = ctx.note.date if line in ctx.claims else line.date
        if when is None or when > ctx.note.date:
            continue
        if window_days is not None and not in_window(ctx.note.date, when, window_days):
            continue
        dates.add(when)
    return sorted(dates)


def visits_on(ctx: RuleContext, day: date, note_ids: Iterable[str | None] = ()) -> list[HistoryVisit]:
    """Earlier visits with the given note ids, or on ``day`` when no id matches."""
    ids = {n for n in note_ids if n}
    by_id = [v for v in ctx.history if v.note.note_id in ids]
    return by_id or [v for v in ctx.history if v.note.date == day]


