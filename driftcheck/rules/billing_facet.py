"""DC311-DC313, DC321: facet joint injections, medial branch blocks and RFA."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from driftcheck.model import ClaimLine, Finding, Span
from driftcheck.rules.base import RuleContext
from driftcheck.rules.billing_common import (
    FRESH,
    MISSING,
    PACKS,
    STALE,
    BillingRule,
    carried_counts_field,
    code,
    day_lines,
    find_evidence,
    in_window,
    lines_with,
    mods,
    num,
    param_field,
    source_of,
    span_of,
    stale_message,
    statements_for,
    visits_on,
)
from driftcheck.rules.billing_esi import best_relief, failed_care, prior_responses, response_evidence

_BLOCK = PACKS.group("facet_block")
_BLOCK_PRIMARY = PACKS.group("facet_block_primary")
_RFA = PACKS.group("facet_rfa")
_RFA_PRIMARY = PACKS.group("facet_rfa_primary")
_ALL = PACKS.group("facet_all")
_DX_MODIFIERS = PACKS.group("facet_diagnostic_modifiers")

DIAGNOSTIC, THERAPEUTIC, RFA = "diagnostic", "therapeutic", "rfa"


def _intent(statements: object) -> str | None:
    """INTENT of a visit's asserted statements (diagnostic wins if both are stated)."""
    kinds = {str(s.attrs.get("intent") or "").lower()
             for s in statements if s.label == "INTENT" and s.asserted}  # type: ignore[attr-defined]
    if DIAGNOSTIC in kinds:
        return DIAGNOSTIC
    return THERAPEUTIC if THERAPEUTIC in kinds else None


def session_kind(lines: list[ClaimLine], statements: object) -> str:
    """Classify a facet session: RFA by code; diagnostic by KX or a diagnostic INTENT; else therapeutic.

    Without KX (or a stated diagnostic intent) a block counts as therapeutic, as the Noridian
    checklist does (payer-rules.md §4 "KX missing => counted as therapeutic").
    """
    if lines_with(lines, _RFA):
        return RFA
    if any(mods(line) & _DX_MODIFIERS for line in lines):
        return DIAGNOSTIC
    return _intent(statements) or THERAPEUTIC


@dataclass(frozen=True)
class Session:
    """A facet session of this patient: date, region and kind."""

    day: date
    region: str
    kind: str


def sessions(ctx: RuleContext) -> tuple[list[Session], list[Session]]:
    """(today's sessions per region, earlier sessions) from claim lines and visit statements."""
    today: dict[str, list[ClaimLine]] = defaultdict(list)
    for line in lines_with(ctx.claims, _ALL):
        today[PACKS.region(code(line)) or ""].append(line)
    current = [Session(ctx.note.date, region, session_kind(lines, ctx.fresh("INTENT") + ctx.stale("INTENT")))
               for region, lines in today.items()]
    earlier: dict[tuple[date, str], list[ClaimLine]] = defaultdict(list)
    for line in lines_with(ctx.claim_history, _ALL):
        if line.date is not None and line.date <= ctx.note.date:
            earlier[(line.date, PACKS.region(code(line)) or "")].append(line)
    past: list[Session] = []
    for (day, region), lines in sorted(earlier.items()):
        if day == ctx.note.date and region in today:
            continue  # a same-day note of the same session, already counted as today's
        visits = visits_on(ctx, day, [line.note_id for line in lines])
        statements = [s for v in visits for s in v.statements]
        past.append(Session(day, region, session_kind(lines, statements)))
    return current, past


def _first(ctx: RuleContext, region: str) -> ClaimLine:
    return next(line for line in lines_with(ctx.claims, _ALL) if (PACKS.region(code(line)) or "") == region)


@dataclass(frozen=True)
class FacetIndicationOptions:
    """Thresholds of DC311 (defaults from packs/facet.toml)."""

    pain_months: float = param_field("facet_pain_months")
    conservative_care_weeks: float = param_field("facet_conservative_care_weeks")
    outcomes: tuple[str, ...] = param_field("facet_conservative_outcomes")


class FacetPrerequisitesMissing(BillingRule):
    """Facet injection, medial branch block or RFA without 3 months of pain and failed conservative care.

    What it flags:
        A note billing 64490-64495 or 64633-64636 when today's fresh text lacks either a
        PAIN_DURATION of at least 3 months or a CONSERVATIVE_CARE statement with a failed (or
        partial) outcome. One finding per note naming what is missing; stale when a
        requirement is met only by carried-forward text.

    Why payers care:
        The facet LCDs cover blocks and RFA only for pain lasting at least 3 months with
        documented failure of noninvasive conservative management; OIG found most facet
        sessions it reviewed non-compliant (63% in 2006, 66 of 120 in 2021).

    Example (flagged):
        MBB note with "axial low back pain" and no duration or treatment history.

    Example (passes):
        "Axial LBP for 9 months despite PT and NSAIDs without relief" written today.

    How to fix:
        Document the duration of the pain and the conservative treatment that failed.

    Source:
        Facet LCD L38801/L38803 (Noridian JE checklist transcription) [S11].

    Options:
        pain_months (default 3; ``facet_pain_months``), conservative_care_weeks (default 0 =
        any duration; ``facet_conservative_care_weeks``), outcomes (default failed, partial;
        ``facet_conservative_outcomes``).
    """

    code = "DC311"
    name = "facet-prerequisites-missing"
    requirements = ("facet-indication",)
    source = source_of("facet-indication")
    Options = FacetIndicationOptions

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        lines = lines_with(ctx.claims, _ALL)
        if not lines or not self.in_force(ctx):
            return
        months = self.opt(ctx, "pain_months")
        weeks = self.opt(ctx, "conservative_care_weeks")
        outcomes = {o.lower() for o in self.opt(ctx, "outcomes")}
        parts = {
            f"pain >= {months:g} months": find_evidence(ctx, "PAIN_DURATION", lambda s: (num(s, "months") or 0) >= months),
            "failed conservative care" + (f" >= {weeks:g} weeks" if weeks else ""):
                failed_care(ctx, weeks, outcomes, set())[0],
        }
        missing = [k for k, ev in parts.items() if ev.status == MISSING]
        stale = [k for k, ev in parts.items() if ev.status == STALE]
        if not missing and not stale:
            return
        spans: list[Span] = [sp for ev in parts.values() if ev.status == STALE for sp in ev.spans]
        sources = sorted({s for ev in parts.values() if ev.status == STALE for s in ev.sources})
        bits = []
        if missing:
            bits.append(f"not documented: {'; '.join(missing)}")
        if stale:
            bits.append(f"{'; '.join(stale)} documented {stale_message(sources)}")
        yield self.finding(
            ctx, f"facet procedure billed; {', '.join(bits)}", spans, claim=lines[0],
            explanation={"evidence": MISSING if missing else STALE, "missing": missing, "stale": stale,
                         "source_note_ids": sources},
            fix="Document today how long the pain has lasted and which conservative care failed.",
        )


@dataclass(frozen=True)
class FacetReliefOptions:
    """Thresholds of DC312 (defaults from packs/facet.toml)."""

    diagnostic_relief_pct: float = param_field("facet_diagnostic_relief_pct")
    repeat_rfa_relief_pct: float = param_field("facet_repeat_rfa_relief_pct")
    window_days: int = param_field("facet_window_days")


class FacetInsufficientPriorRelief(BillingRule):
    """Second diagnostic block or RFA without at least 80% relief from the prior block documented.

    What it flags:
        A confirmatory diagnostic block (today's block is diagnostic - KX or a diagnostic
        INTENT - and an earlier diagnostic block in the same region falls within 365 days), or
        an RFA, when today's fresh text has no PROCEDURE_RESPONSE with relief_pct >= 80 about the
        prior block (the immediate response to today's block, in the procedure section, does not
        count). A
        repeat RFA (an earlier RFA in the region within 365 days) needs >= 50% instead. Stale
        when only carried-forward text reaches the threshold. One finding per region per note.

    Why payers care:
        The facet LCDs require consistent >= 80% relief of index pain from each diagnostic
        block before a second block or RFA, and >= 50% from a prior RFA before repeating it.

    Example (flagged):
        RFA note: "about 50% relief after the medial branch blocks".

    Example (passes):
        "90% relief of index pain for 6 hours after bilateral L4-5 MBB" written today.

    How to fix:
        Record the percent relief of the index pain after each block on the same scale.

    Source:
        Facet LCD L38801/L38803 (Noridian JE checklist transcription) [S11].

    Options:
        diagnostic_relief_pct (default 80; ``facet_diagnostic_relief_pct``),
        repeat_rfa_relief_pct (default 50; ``facet_repeat_rfa_relief_pct``), window_days
        (default 365; ``facet_window_days``).
    """

    code = "DC312"
    name = "facet-insufficient-prior-relief"
    requirements = ("facet-prior-relief",)
    source = source_of("facet-prior-relief")
    Options = FacetReliefOptions

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if not lines_with(ctx.claims, _ALL) or not self.in_force(ctx):
            return
        window = self.opt(ctx, "window_days")
        current, past = sessions(ctx)
        for session in current:
            prior = [p for p in past if p.region == session.region and p.day < session.day
                     and in_window(session.day, p.day, window)]
            if session.kind == RFA:
                repeat = any(p.kind == RFA for p in prior)
                pct = self.opt(ctx, "repeat_rfa_relief_pct" if repeat else "diagnostic_relief_pct")
                what = "repeat RFA" if repeat else "RFA"
            elif session.kind == DIAGNOSTIC and any(p.kind == DIAGNOSTIC for p in prior):
                pct, what = self.opt(ctx, "diagnostic_relief_pct"), "second diagnostic block"
            else:
                continue
            ev = response_evidence(ctx, pct)
            if ev.status == FRESH:
                continue
            line = _first(ctx, session.region)
            if ev.status == STALE:
                yield self.finding(ctx, f"{what}: >= {pct:g}% relief from the prior block is documented "
                                        f"{stale_message(ev.sources)}",
                                   ev.spans, claim=line,
                                   explanation={"evidence": STALE, "source_note_ids": ev.sources},
                                   fix="Document today the measured relief after the prior block.")
                continue
            best = best_relief(ctx)
            detail = f"best documented relief {best:g}%" if best is not None else "no relief percentage documented"
            yield self.finding(ctx, f"{what} without >= {pct:g}% relief from the prior block; {detail}",
                               [span_of(s) for s in prior_responses(ctx)], claim=line,
                               explanation={"evidence": MISSING, "best_relief_pct": best, "required": pct},
                               fix="Record percent relief of index pain after the prior block (same scale).")


@dataclass(frozen=True)
class FacetFrequencyOptions:
    """Thresholds of DC313 (defaults from packs/facet.toml)."""

    max_diagnostic: int = param_field("facet_diagnostic_sessions_per_12_months")
    max_therapeutic: int = param_field("facet_therapeutic_sessions_per_12_months")
    max_rfa: int = param_field("facet_rfa_sessions_per_12_months")
    window_days: int = param_field("facet_window_days")


class FacetFrequencyExceeded(BillingRule):
    """More than 4 diagnostic, 4 therapeutic or 2 RFA facet sessions per region in 12 months.

    What it flags:
        A note billing a facet or RFA code when the sessions of the same kind in the same
        region, in the 365 days ending on and including this date, exceed the cap. Kind: RFA by
        code (64633-64636); diagnostic when a line carries KX or the visit states a diagnostic
        intent; otherwise therapeutic. A session 364 days earlier is inside, 365 days is not.

    Why payers care:
        Noridian: "Four diagnostic and four therapeutic injections are allowed in a rolling
        12-month period"; 11 of 12 MAC jurisdictions limit RFA to 2 sessions per 12 months,
        and OIG found $9.5M paid for RFA sessions over the limit.

    Example (flagged):
        Third lumbar RFA date within 365 days.

    Example (passes):
        Third lumbar RFA when the first was 365 days earlier.

    How to fix:
        Check session counts per region before scheduling; mark diagnostic lines with KX.

    Source:
        Noridian JF Facet Q&A (L38803) [S14]; OIG A-09-21-03002 [S27].

    Options:
        max_diagnostic (4), max_therapeutic (4), max_rfa (2), window_days (365); payer
        parameters ``facet_*_sessions_per_12_months`` and ``facet_window_days``.
    """

    code = "DC313"
    name = "facet-frequency-exceeded"
    requirements = ("facet-session-caps",)
    source = source_of("facet-session-caps")
    Options = FacetFrequencyOptions

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if not lines_with(ctx.claims, _ALL) or not self.in_force(ctx):
            return
        window = self.opt(ctx, "window_days")
        caps = {DIAGNOSTIC: self.opt(ctx, "max_diagnostic"), THERAPEUTIC: self.opt(ctx, "max_therapeutic"),
                RFA: self.opt(ctx, "max_rfa")}
        current, past = sessions(ctx)
        for session in current:
            days = {session.day} | {p.day for p in past if p.region == session.region and p.kind == session.kind
                                    and in_window(session.day, p.day, window)}
            if len(days) > caps[session.kind]:
                yield self.finding(
                    ctx, f"{len(days)} {session.kind} facet sessions in the {session.region} region within "
                         f"{window} days (limit {caps[session.kind]})",
                    claim=_first(ctx, session.region),
                    explanation={"sessions": sorted(d.isoformat() for d in days), "kind": session.kind,
                                 "limit": caps[session.kind]},
                    fix="Do not bill sessions over the limit; use KX on diagnostic lines so they count correctly.",
                )


@dataclass(frozen=True)
class FacetBilateralOptions:
    """Options of DC321."""

    count_carried_forward: bool = carried_counts_field()


class FacetBilateralModifier(BillingRule):
    """Bilateral facet procedure not reported as one line with modifier 50 (or 50 without bilateral).

    What it flags:
        Once per note, the first of: the same facet/RFA code on two same-day lines with RT and
        LT; a primary facet/RFA code (64490, 64493, 64633, 64635) with 2+ units and no -50; a
        -50 line with more than one unit; a bilateral SPINAL_LEVEL documented today with no -50
        on any facet line; -50 billed while today's levels are documented only as left or
        right. The level line of a repeat session legitimately repeats the last one, so carried
        SPINAL_LEVEL statements count; with ``count_carried_forward = false`` they do not, and
        -50 resting only on a carried bilateral statement is reported as stale.

    Why payers care:
        A bilateral facet procedure at one level is one line, -50, one unit. Billing the other
        side as a second line or extra units was the dominant overpayment in OIG's facet review
        (60% of overpaid services).

    Example (flagged):
        64493-RT and 64493-LT on the same date; or 64493 x 2 for bilateral L4-5.

    Example (passes):
        64493-50 x 1 with "bilateral L4-L5 medial branch blocks" documented.

    How to fix:
        Report bilateral procedures on one line with modifier 50 and one unit; match the note.

    Source:
        CMS A57787 (L33930), FCSO 64490 guide, LCD article on 64493 [S16, S17, S18]; OIG
        OEI-05-07-00200 [S25].

    Options:
        count_carried_forward (default true).
    """

    code = "DC321"
    name = "facet-bilateral-modifier"
    requirements = ("facet-bilateral",)
    source = source_of("facet-bilateral")
    Options = FacetBilateralOptions

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        lines = lines_with(ctx.claims, _ALL)
        if not lines or not self.in_force(ctx):
            return
        result = self._problem(ctx, lines)
        if result is not None:
            message, line, spans, extra = result
            yield self.finding(ctx, message, spans, claim=line, explanation=extra,
                               fix="Bill one line with modifier 50 and 1 unit for a bilateral level; "
                                   "document the sides treated.")

    def _problem(self, ctx: RuleContext, lines: list[ClaimLine]
                 ) -> tuple[str, ClaimLine, list[Span], dict[str, object]] | None:
        same_day = lines_with(day_lines(ctx), _ALL)
        for line in lines:
            sides = {m for other in same_day if code(other) == code(line) for m in mods(other)}
            if {"RT", "LT"} <= sides:
                return f"{code(line)} billed on separate RT and LT lines; bilateral is one line with -50", line, [], {}
        for line in lines:
            if "50" in mods(line) and line.units > 1:
                return f"{code(line)}-50 billed with {line.units} units; bilateral is 1 unit", line, [], {}
            if code(line) in (_BLOCK_PRIMARY | _RFA_PRIMARY) and "50" not in mods(line) and line.units > 1:
                return (f"{code(line)} billed with {line.units} units without -50; a bilateral level is "
                        "one unit with -50", line, [], {})
        has_50 = any("50" in mods(line) for line in lines)
        facet_levels = lambda s: str(s.attrs.get("approach") or "facet").lower() in {  # noqa: E731
            "facet", "medial_branch", "rfa", "none", ""}
        bilateral = find_evidence(ctx, "SPINAL_LEVEL", lambda s: facet_levels(s) and
                                  str(s.attrs.get("laterality") or "").lower() == "bilateral")
        if bilateral.status == STALE and self.options.count_carried_forward:
            bilateral = dataclasses.replace(bilateral, status=FRESH)
        sided = [s for s in statements_for(ctx, "SPINAL_LEVEL", self.options.count_carried_forward)
                 if facet_levels(s) and str(s.attrs.get("laterality") or "").lower() in {"left", "right"}]
        if bilateral.status == FRESH and not has_50:
            return ("bilateral facet procedure documented but no facet line carries modifier 50",
                    lines[0], bilateral.spans, {"evidence": FRESH})
        if has_50 and bilateral.status == STALE:
            return (f"modifier 50 billed; bilateral levels are documented {stale_message(bilateral.sources)}",
                    lines[0], bilateral.spans, {"evidence": STALE, "source_note_ids": bilateral.sources})
        if has_50 and bilateral.status == MISSING and sided:
            return ("modifier 50 billed but today's levels are documented as one side only",
                    lines[0], [span_of(s) for s in sided], {"evidence": MISSING})
        return None


RULES = [FacetPrerequisitesMissing, FacetInsufficientPriorRelief, FacetFrequencyExceeded, FacetBilateralModifier]
