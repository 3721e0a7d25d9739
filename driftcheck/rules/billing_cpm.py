"""DC302-DC305: chronic pain management (G3002/G3003) time and chronicity checks."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from driftcheck.model import Finding, Span, Statement
from driftcheck.rules.base import RuleContext
from driftcheck.rules.billing_common import (
    FRESH,
    MISSING,
    PACKS,
    STALE,
    BillingRule,
    find_evidence,
    lines_with,
    month_lines,
    num,
    param_field,
    source_of,
    span_of,
    stale_explanation,
    stale_message,
)

_G3002 = PACKS.group("cpm_primary")
_G3003 = PACKS.group("cpm_addon")


@dataclass(frozen=True)
class _MonthTime:
    """Documented minutes in the calendar month up to this note."""

    fresh_total: float  # earlier visits' own minutes + this note's fresh minutes
    with_stale: float  # same, counting this note's carried-forward time statement
    visits: int
    fresh: tuple[Statement, ...]
    stale: tuple[Statement, ...]


def _max_minutes(statements: list[Statement]) -> float:
    # One visit often states its time twice ("Total time 35 minutes ... >50% counseling of
    # the 35 minutes"); summing would double-count, so a visit contributes its largest value.
    return max((m for s in statements if (m := num(s, "minutes")) is not None), default=0.0)


def month_time(ctx: RuleContext) -> _MonthTime:
    """Minutes documented in the note's calendar month: earlier visits plus this one.

    Earlier visits count the time statements written at that visit (fresh there); this note
    counts its fresh statements, and separately its carried-forward ones, so a month met only
    by copied time is reported as stale rather than as missing.
    """
    d = ctx.note.date
    earlier = 0.0
    visits = 0
    seen: set[str] = {ctx.note.note_id}
    for visit in ctx.history:
        vd = visit.note.date
        if (vd.year, vd.month) != (d.year, d.month) or vd > d or visit.note.note_id in seen:
            continue
        seen.add(visit.note.note_id)
        own = [s for s in visit.statements if s.label == "TIME_SPENT" and s.asserted and s.fresh]
        minutes = _max_minutes(own)
        if minutes:
            earlier += minutes
            visits += 1
    fresh, stale = ctx.fresh("TIME_SPENT"), ctx.stale("TIME_SPENT")
    today_fresh, today_stale = _max_minutes(fresh), _max_minutes(stale)
    return _MonthTime(
        fresh_total=earlier + today_fresh,
        with_stale=earlier + max(today_fresh, today_stale),
        visits=visits + (1 if today_fresh else 0),
        fresh=tuple(fresh),
        stale=tuple(stale),
    )


def _allowed_units(minutes: float, base: float, step: float) -> int:
    return 0 if minutes < base or step <= 0 else int((minutes - base) // step)


@dataclass(frozen=True)
class CpmTimeOptions:
    """Thresholds of DC302 (defaults from packs/chronic_pain.toml)."""

    min_minutes: int = param_field("cpm_min_minutes")


class G3002TimeBelowThreshold(BillingRule):
    """G3002 billed with fewer than 30 documented minutes in the calendar month.

    What it flags:
        A G3002 line when the minutes documented by the practitioner in the note's calendar
        month (this note plus the patient's earlier visits in that month, each visit counting
        its largest time statement) add up to less than 30. When the month reaches 30 only by
        counting a time statement carried forward from an earlier note, the finding says stale.

    Why payers care:
        The CY2023 PFS rule defines G3002 by time: "30 minutes must be met or exceeded" per
        calendar month. Time copied from last month's note is not time spent this month.

    Example (flagged):
        G3002 billed on 2025-03-20; the March notes document 10 and 15 minutes (25 in total).

    Example (passes):
        G3002 billed on 2025-03-20 with "Total time 35 minutes" written in this note.

    How to fix:
        Document the practitioner's total time on each CPM visit of the month (and what it was
        spent on); bill G3002 only once the month reaches 30 minutes.

    Source:
        CY2023 PFS final rule 87 FR 69524 (G3002 descriptor via ASRA/NGS) [S2, S3, S6].

    Options:
        min_minutes (int, default 30; payer parameter ``cpm_min_minutes``).
    """

    code = "DC302"
    name = "g3002-time-below-threshold"
    requirements = ("cpm-time",)
    source = source_of("cpm-time")
    Options = CpmTimeOptions

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if not self.in_force(ctx):
            return
        need = self.opt(ctx, "min_minutes")
        time = month_time(ctx)  # one month total for the note, however many G3002 lines
        for line in lines_with(ctx.claims, _G3002):
            if time.fresh_total >= need:
                continue
            month = f"{ctx.note.date:%Y-%m}"
            if time.with_stale >= need:
                sources = sorted({s.source_note_id for s in time.stale if s.source_note_id})
                yield self.finding(
                    ctx,
                    f"G3002 needs >= {need} documented minutes in {month}; the minutes reach "
                    f"{time.with_stale:g} {stale_message(sources)}",
                    [span_of(s) for s in time.stale], claim=line,
                    fix="Document today's actual practitioner time instead of copying the time statement.",
                    explanation={"evidence": STALE, "source_note_ids": sources,
                                 "minutes_fresh": time.fresh_total, "minutes_with_stale": time.with_stale},
                )
            else:
                yield self.finding(
                    ctx,
                    f"G3002 needs >= {need} documented minutes in {month}; "
                    f"{time.fresh_total:g} documented across {time.visits} visit(s)",
                    [span_of(s) for s in time.fresh], claim=line,
                    fix="Document total practitioner time for the month's CPM visits, or do not bill G3002.",
                    explanation={"evidence": MISSING, "minutes": time.fresh_total, "required": need},
                )


@dataclass(frozen=True)
class CpmAddonOptions:
    """Thresholds of DC303 (defaults from packs/chronic_pain.toml)."""

    min_minutes: int = param_field("cpm_min_minutes")
    addon_minutes: int = param_field("cpm_addon_minutes")


class G3003UnitsExceedTime(BillingRule):
    """G3003 units exceed what the month's documented minutes support.

    What it flags:
        A note billing G3003 when the G3003 units billed in the calendar month (this note and
        earlier lines of the month) exceed floor((documented minutes - 30) / 15). Reported once
        per note, on its first G3003 line; stale when only copied time would support the units.

    Why payers care:
        Each G3003 unit is "each additional 15 minutes", met or exceeded, beyond G3002's 30:
        1 unit needs 45 minutes, 2 units 60 minutes.

    Example (flagged):
        G3002 + G3003 x 2 with 50 documented minutes (supports 1 unit).

    Example (passes):
        G3002 + G3003 x 1 with 47 documented minutes.

    How to fix:
        Bill the units the documented minutes support, or document the additional time.

    Source:
        CY2023 PFS final rule 87 FR 69524, G3003 descriptor [S2, S4].

    Options:
        min_minutes (int, default 30; ``cpm_min_minutes``), addon_minutes (int, default 15;
        ``cpm_addon_minutes``).
    """

    code = "DC303"
    name = "g3003-units-exceed-time"
    requirements = ("cpm-addon-time",)
    source = source_of("cpm-addon-time")
    Options = CpmAddonOptions

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        addons = lines_with(ctx.claims, _G3003)
        if not addons or not self.in_force(ctx):
            return
        base, step = self.opt(ctx, "min_minutes"), self.opt(ctx, "addon_minutes")
        units = sum(line.units for line in lines_with(month_lines(ctx), _G3003))
        time = month_time(ctx)
        allowed = _allowed_units(time.fresh_total, base, step)
        if units <= allowed:
            return
        line = addons[0]
        if units <= _allowed_units(time.with_stale, base, step):
            sources = sorted({s.source_note_id for s in time.stale if s.source_note_id})
            yield self.finding(
                ctx,
                f"{units} G3003 unit(s) in {ctx.note.date:%Y-%m} rest on minutes documented "
                f"{stale_message(sources)}",
                [span_of(s) for s in time.stale], claim=line,
                fix="Document today's actual practitioner time instead of copying the time statement.",
                explanation={"evidence": STALE, "source_note_ids": sources, "units": units},
            )
            return
        yield self.finding(
            ctx,
            f"{units} G3003 unit(s) billed in {ctx.note.date:%Y-%m} but {time.fresh_total:g} "
            f"documented minutes support {allowed} (each unit needs {step} minutes beyond {base})",
            [span_of(s) for s in time.fresh], claim=line,
            fix="Reduce G3003 units to what the documented minutes support, or document the time.",
            explanation={"evidence": MISSING, "units": units, "allowed": allowed, "minutes": time.fresh_total},
        )


class G3003WithoutG3002(BillingRule):
    """G3003 billed without G3002 in the same calendar month.

    What it flags:
        Each G3003 line of the note when neither this note nor an earlier line of the patient
        in the same calendar month bills G3002.

    Why payers care:
        G3003 is an add-on ("list separately in addition to G3002"); without the base code in
        the month the line denies.

    Example (flagged):
        G3003 x 1 on 2025-04-10 and no G3002 in April.

    Example (passes):
        G3002 on 2025-04-03 and G3003 on 2025-04-10 (same month).

    How to fix:
        Bill G3002 for the month (if its 30 minutes are documented) or remove G3003.

    Source:
        CY2023 PFS final rule 87 FR 69524, G3003 descriptor [S2].

    Options:
        None.
    """

    code = "DC304"
    name = "g3003-without-g3002"
    requirements = ("cpm-addon-dependency",)
    source = source_of("cpm-addon-dependency")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        addons = lines_with(ctx.claims, _G3003)
        if not addons or not self.in_force(ctx):
            return
        if lines_with(month_lines(ctx), _G3002):
            return
        for line in addons:
            yield self.finding(
                ctx, f"G3003 billed without G3002 in {ctx.note.date:%Y-%m}", claim=line,
                fix="Bill G3002 for the month or remove the G3003 line.",
            )


@dataclass(frozen=True)
class CpmChronicOptions:
    """Thresholds of DC305 (defaults from packs/chronic_pain.toml)."""

    chronic_months: int = param_field("cpm_chronic_months")


class G3002ChronicityUndocumented(BillingRule):
    """First G3002 without pain lasting more than 3 months documented.

    What it flags:
        A G3002 line when the patient has no earlier G3002 (this is the first report) and the
        note has no fresh PAIN_DURATION statement of more than 3 months. Stale when only a
        carried-forward statement documents the duration.

    Why payers care:
        CPM is defined for chronic pain, "persistent or recurrent pain lasting longer than 3
        months", and the clinician must establish it when first reporting G3002.

    Example (flagged):
        First G3002 note says "low back pain for 2 months" or gives no duration.

    Example (passes):
        First G3002 note says "low back pain for the past 8 months".

    How to fix:
        Document onset or duration of the pain (longer than 3 months) in the first CPM note.

    Source:
        CY2023 PFS final rule 87 FR 69524, chronic pain definition (via AAPC) [S1, S5].

    Options:
        chronic_months (int, default 3, strictly exceeded; ``cpm_chronic_months``).
    """

    code = "DC305"
    name = "g3002-chronicity-undocumented"
    requirements = ("cpm-chronicity",)
    source = source_of("cpm-chronicity")
    Options = CpmChronicOptions

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        lines = lines_with(ctx.claims, _G3002)
        if not lines or not self.in_force(ctx) or lines_with(ctx.claim_history, _G3002):
            return
        months = self.opt(ctx, "chronic_months")
        ev = find_evidence(ctx, "PAIN_DURATION", lambda s: (num(s, "months") or 0) > months)
        if ev.status == FRESH:
            return
        line = lines[0]
        if ev.status == STALE:
            yield self.finding(
                ctx, f"first G3002: pain duration > {months} months is documented {stale_message(ev.sources)}",
                ev.spans, claim=line, explanation=stale_explanation(ev),
                fix="Re-establish and document the chronic pain history at the first CPM visit.",
            )
            return
        shorter = [s for s in ctx.fresh("PAIN_DURATION") if num(s, "months") is not None]
        detail = (f"documented duration is {max(num(s, 'months') or 0 for s in shorter):g} months"
                  if shorter else "no pain duration documented")
        spans: list[Span] = [span_of(s) for s in shorter]
        yield self.finding(
            ctx, f"first G3002: chronic pain (> {months} months) not documented; {detail}",
            spans, claim=line, explanation={"evidence": MISSING},
            fix="Document how long the pain has lasted (more than 3 months) before billing G3002.",
        )


RULES = [G3002TimeBelowThreshold, G3003UnitsExceedTime, G3003WithoutG3002, G3002ChronicityUndocumented]
