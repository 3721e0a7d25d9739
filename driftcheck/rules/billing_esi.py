"""DC306-DC310, DC314: imaging bundling, epidural steroid injections, add-on codes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from driftcheck.model import ClaimLine, Finding, Severity, Statement
from driftcheck.rules.base import RuleContext
from driftcheck.rules.billing_common import (
    FRESH,
    MISSING,
    PACKS,
    STALE,
    BillingRule,
    Evidence,
    code,
    day_lines,
    find_evidence,
    lines_with,
    num,
    param_field,
    section_of,
    session_dates,
    source_of,
    span_of,
    stale_explanation,
    stale_message,
    words,
)

_IMAGING = PACKS.group("imaging_guidance")
_IMAGING_INCLUSIVE = PACKS.group("imaging_inclusive")
_ESI_PRIMARY = PACKS.group("esi_primary")
_ESI_ALL = PACKS.group("esi_all")
_ESI_SINGLE = PACKS.group("esi_single_level")


class ImagingBundled(BillingRule):
    """Fluoroscopic/CT guidance billed with an injection whose code already includes it.

    What it flags:
        Each 77003, 77012 or 76000 line of the note when the same date of service (this note
        or another same-day note) bills 62321/62323, 64479-64484, 64490-64495 or 64633-64636.

    Why payers care:
        Those descriptors read "with imaging guidance (fluoroscopy or CT)"; imaging and contrast
        are included and the CPT parentheticals say not to report 77003/77012 with them.

    Example (flagged):
        64483 + 77003 on the same date.

    Example (passes):
        64483 alone; or 77003 with a code that does not include guidance.

    How to fix:
        Remove the imaging line; guidance is paid within the injection code.

    Source:
        CPT descriptors of 62321/62323 and 64479-64484 [S30]; CMS A57787 and FCSO 64490 guide
        [S16, S17].

    Options:
        None (code lists in packs/imaging.toml).
    """

    code = "DC306"
    name = "imaging-bundled"
    requirements = ("imaging-bundled",)
    source = source_of("imaging-bundled")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        imaging = lines_with(ctx.claims, _IMAGING)
        if not imaging or not self.in_force(ctx):
            return
        inclusive = sorted({code(line) for line in lines_with(day_lines(ctx), _IMAGING_INCLUSIVE)})
        if not inclusive:
            return
        for line in imaging:
            yield self.finding(
                ctx, f"{code(line)} billed with {', '.join(inclusive)}, whose descriptor includes imaging guidance",
                claim=line, fix="Remove the imaging-guidance line; it is included in the injection code.",
            )


def _regions_billed(lines: list[ClaimLine]) -> dict[str, ClaimLine]:
    """First line per spinal region among ``lines`` (region from the code)."""
    out: dict[str, ClaimLine] = {}
    for line in lines:
        region = PACKS.region(code(line))
        if region and region not in out:
            out[region] = line
    return out


@dataclass(frozen=True)
class EsiCareOptions:
    """Thresholds of DC307 (defaults from packs/epidural.toml)."""

    weeks: float = param_field("esi_conservative_care_weeks")
    outcomes: tuple[str, ...] = param_field("esi_conservative_outcomes")
    required_modalities: tuple[str, ...] = param_field("esi_required_modalities")


def failed_care(ctx: RuleContext, weeks: float, outcomes: set[str],
                required: set[str]) -> tuple[Evidence, list[Statement]]:
    """Failed conservative care of at least ``weeks`` covering every ``required`` modality.

    Returns the evidence (fresh / stale / missing) and the fresh failed-care statements that
    lack a duration (so the rule can say "named without a duration" instead of "missing").
    """

    def failed(s: Statement) -> bool:
        return str(s.attrs.get("outcome") or "").lower() in outcomes

    def long_enough(s: Statement) -> bool:
        return failed(s) and (weeks <= 0 or (num(s, "duration_weeks") or 0) >= weeks)

    def covers(statements: list[Statement]) -> bool:
        got = {m for s in statements for m in words(s.attrs.get("modality"))}
        return bool(statements) and required <= got

    fresh = [s for s in ctx.fresh("CONSERVATIVE_CARE") if long_enough(s)]
    no_duration = [s for s in ctx.fresh("CONSERVATIVE_CARE")
                   if failed(s) and num(s, "duration_weeks") is None]
    if covers(fresh):
        return Evidence(FRESH, tuple(fresh)), no_duration
    stale = [s for s in ctx.stale("CONSERVATIVE_CARE") if long_enough(s)]
    if covers(fresh + stale):
        return Evidence(STALE, tuple(stale)), no_duration
    return Evidence(MISSING, tuple(fresh)), no_duration


class EsiConservativeCareMissing(BillingRule):
    """ESI without at least 4 weeks of failed conservative care documented today.

    What it flags:
        A note billing an ESI (62321, 62323, 64479, 64483) whose fresh text has no
        CONSERVATIVE_CARE statement with a failed (or partial) outcome lasting at least 4 weeks
        (and, when a payer requires them, one per required modality). Stale when only
        carried-forward text documents it; a warning when failed care is named without a
        duration. Reported once per note.

    Why payers care:
        The ESI LCDs cover injections only after failure of, or inability to tolerate, at least
        4 weeks of noninvasive conservative care; commercial payers add modality lists (e.g.
        BCBS-MA requires physical therapy).

    Example (flagged):
        TFESI note: "tried ibuprofen" with no outcome or duration.

    Example (passes):
        "Failed 6 weeks of physical therapy and meloxicam" written in today's note.

    How to fix:
        Document which conservative treatments were tried, for how long, and that they failed.

    Source:
        ESI LCD L39240 / A58745 (harmonised ESI LCDs) [S7, S11]; payer variants payer-rules.md §8.

    Options:
        weeks (default 4; ``esi_conservative_care_weeks``), outcomes (default failed, partial;
        ``esi_conservative_outcomes``), required_modalities (default none;
        ``esi_required_modalities``).
    """

    code = "DC307"
    name = "esi-conservative-care-missing"
    requirements = ("esi-conservative-care",)
    source = source_of("esi-conservative-care")
    Options = EsiCareOptions

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        lines = lines_with(ctx.claims, _ESI_PRIMARY)
        if not lines or not self.in_force(ctx):
            return
        weeks = self.opt(ctx, "weeks")
        outcomes = {o.lower() for o in self.opt(ctx, "outcomes")}
        required = {m.lower() for m in self.opt(ctx, "required_modalities")}
        ev, no_duration = failed_care(ctx, weeks, outcomes, required)
        if ev.status == FRESH:
            return
        need = f">= {weeks:g} weeks of failed conservative care" + (
            f" including {', '.join(sorted(required))}" if required else "")
        if ev.status == STALE:
            yield self.finding(ctx, f"ESI billed; {need} is documented {stale_message(ev.sources)}",
                               ev.spans, claim=lines[0], explanation=stale_explanation(ev),
                               fix="Document today the conservative care tried, its duration and outcome.")
        elif no_duration and not required:
            yield self.finding(ctx, f"ESI billed; failed conservative care is named without a duration ({need} required)",
                               [span_of(s) for s in no_duration], claim=lines[0],
                               severity=min(self.severity, Severity.WARNING),
                               explanation={"evidence": "no_duration"},
                               fix="State how many weeks each conservative treatment was tried.")
        else:
            yield self.finding(ctx, f"ESI billed without {need} documented", ev.spans, claim=lines[0],
                               explanation={"evidence": MISSING},
                               fix="Document the failed conservative care (modality, weeks, outcome) before the ESI.")


@dataclass(frozen=True)
class EsiFrequencyOptions:
    """Thresholds of DC308 (defaults from packs/epidural.toml)."""

    max_sessions: int = param_field("esi_sessions_per_12_months")
    window_days: int = param_field("esi_window_days")


class EsiFrequencyExceeded(BillingRule):
    """More than 4 ESI sessions in one spinal region within a rolling 12 months.

    What it flags:
        A note billing an ESI when the distinct dates of service with an ESI code in the same
        region (cervical/thoracic or lumbar/sacral, from the code), in the 365 days ending on
        and including this date, exceed 4. A session 364 days earlier is inside the window,
        one 365 days earlier is not. Reported once per region per note.

    Why payers care:
        The harmonised ESI LCDs allow up to four sessions per region per rolling 12 months; OIG
        found $3.6M paid over the limit (A-07-21-00618).

    Example (flagged):
        Fifth lumbar ESI date within 365 days.

    Example (passes):
        Fifth lumbar ESI when the first of the earlier four was 365 days before.

    How to fix:
        Check the session count before scheduling; document the exception or do not bill.

    Source:
        ESI LCD L39240 / A58745 [S7]; OIG A-07-21-00618 via oversight.gov [S9].

    Options:
        max_sessions (default 4; ``esi_sessions_per_12_months``), window_days (default 365;
        ``esi_window_days``).
    """

    code = "DC308"
    name = "esi-frequency-exceeded"
    requirements = ("esi-frequency",)
    source = source_of("esi-frequency")
    Options = EsiFrequencyOptions

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        lines = lines_with(ctx.claims, _ESI_ALL)
        if not lines or not self.in_force(ctx):
            return
        cap, window = self.opt(ctx, "max_sessions"), self.opt(ctx, "window_days")
        for region, line in _regions_billed(lines).items():
            dates = session_dates(ctx, _ESI_ALL, region, window)
            if len(dates) > cap:
                yield self.finding(
                    ctx, f"{len(dates)} ESI sessions in the {region} region within {window} days "
                         f"(limit {cap})",
                    claim=line, explanation={"sessions": [d.isoformat() for d in dates], "limit": cap},
                    fix="Do not bill sessions over the limit; document the payer's exception if one applies.",
                )


@dataclass(frozen=True)
class EsiRepeatOptions:
    """Thresholds of DC309 (defaults from packs/epidural.toml)."""

    relief_pct: float = param_field("esi_repeat_relief_pct")
    lookback_days: int = param_field("esi_repeat_lookback_days")
    accept_functional_gain: bool = param_field("esi_accept_functional_gain")


class EsiRepeatWithoutResponse(BillingRule):
    """Repeat ESI without at least 50% relief or functional gain from the prior one documented.

    What it flags:
        A note billing an ESI when an earlier ESI in the same region falls within the lookback
        (365 days ending on this date), and today's fresh text has no PROCEDURE_RESPONSE with
        relief_pct >= 50 about the prior injection (the immediate response to today's injection,
        in the procedure section, does not count). A FUNCTION statement with direction improved
        counts only when ``accept_functional_gain`` is set: it states no magnitude. Stale when
        only carried-forward text has it. Once per note.

    Why payers care:
        The ESI LCDs allow a repeat only after >= 50% sustained improvement in pain or
        function from the prior injection, on the same scale; copied relief sentences are a
        known audit target.

    Example (flagged):
        Second lumbar TFESI note with "partial relief" or "30% relief" only.

    Example (passes):
        "Reports 70% relief for 4 months after the last injection" in today's note.

    How to fix:
        Document today the percent relief (and how long it lasted) or the functional gain.

    Source:
        ESI LCD L39240 checklist and L33906 summary [S11, S7] (confidence Med).

    Options:
        relief_pct (default 50; ``esi_repeat_relief_pct``), lookback_days (default 365;
        ``esi_repeat_lookback_days``), accept_functional_gain (default false;
        ``esi_accept_functional_gain``).
    """

    code = "DC309"
    name = "esi-repeat-without-response"
    requirements = ("esi-repeat-response",)
    source = source_of("esi-repeat-response")
    Options = EsiRepeatOptions

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        lines = lines_with(ctx.claims, _ESI_PRIMARY)
        if not lines or not self.in_force(ctx):
            return
        pct, lookback = self.opt(ctx, "relief_pct"), self.opt(ctx, "lookback_days")
        repeat = next((line for region, line in _regions_billed(lines).items()
                       if any(d < ctx.note.date for d in session_dates(ctx, _ESI_ALL, region, lookback))),
                      None)
        if repeat is None:
            return
        ev = response_evidence(ctx, pct, allow_function=self.opt(ctx, "accept_functional_gain"))
        if ev.status == FRESH:
            return
        if ev.status == STALE:
            yield self.finding(ctx, f"repeat ESI; >= {pct:g}% relief or functional gain is documented "
                                    f"{stale_message(ev.sources)}",
                               ev.spans, claim=repeat, explanation=stale_explanation(ev),
                               fix="Document today's measured response to the prior ESI.")
            return
        best = best_relief(ctx)
        detail = f"best documented relief {best:g}%" if best is not None else "no response documented"
        yield self.finding(ctx, f"repeat ESI without >= {pct:g}% relief or functional gain from the prior ESI; {detail}",
                           [span_of(s) for s in prior_responses(ctx)], claim=repeat,
                           explanation={"evidence": MISSING, "best_relief_pct": best},
                           fix="Document percent relief and its duration (or functional gain) since the prior ESI.")


_IMMEDIATE = PACKS.group("immediate_response_sections")


def response_evidence(ctx: RuleContext, pct: float, allow_function: bool = False) -> Evidence:
    """Relief of at least ``pct`` percent from the prior procedure: fresh, stale or missing.

    The immediate response to today's injection (written in the procedure/technique section)
    is not the response to the prior one and is ignored. With ``allow_function``, a FUNCTION
    statement with direction "improved" also counts.
    """

    def prior_relief(s: Statement) -> bool:
        return (num(s, "relief_pct") or 0) >= pct and section_of(ctx, s) not in _IMMEDIATE

    relief = find_evidence(ctx, "PROCEDURE_RESPONSE", prior_relief)
    if relief.status == FRESH or not allow_function:
        return relief
    function = find_evidence(ctx, "FUNCTION", lambda s: str(s.attrs.get("direction") or "").lower() == "improved")
    if function.status == FRESH:
        return function
    return relief if relief.status == STALE else function


def prior_responses(ctx: RuleContext) -> list[Statement]:
    """Fresh PROCEDURE_RESPONSE statements about an earlier procedure (not today's)."""
    return [s for s in ctx.fresh("PROCEDURE_RESPONSE") if section_of(ctx, s) not in _IMMEDIATE]


def best_relief(ctx: RuleContext) -> float | None:
    """The highest relief percentage written today about an earlier procedure, if any."""
    values = [v for s in prior_responses(ctx) if (v := num(s, "relief_pct")) is not None]
    return max(values) if values else None


class EsiMultipleUnits(BillingRule):
    """Interlaminar/caudal ESI (62321/62323) billed with more than one unit.

    What it flags:
        A 62321 or 62323 line when the note bills more than one unit of that code in total
        (one line with units > 1, or the code on several lines).

    Why payers care:
        Interlaminar and caudal ESI cover one level per session; the code is reported once.

    Example (flagged):
        62323 x 2 for "L4-5 and L5-S1 interlaminar".

    Example (passes):
        62323 x 1.

    How to fix:
        Bill one unit; a second level is not separately payable.

    Source:
        ESI billing article A58745 (levels per session) [S7].

    Options:
        None.
    """

    code = "DC310"
    name = "esi-multiple-units"
    requirements = ("esi-single-level",)
    source = source_of("esi-single-level")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if not self.in_force(ctx):
            return
        for billed in sorted({code(line) for line in lines_with(ctx.claims, _ESI_SINGLE)}):
            lines = lines_with(ctx.claims, {billed})
            units = sum(line.units for line in lines)
            if units > 1:
                yield self.finding(ctx, f"{billed} billed with {units} units; one level per session is allowed",
                                   claim=lines[0], fix="Bill one unit of the interlaminar/caudal ESI code.")


class AddonWithoutPrimary(BillingRule):
    """Add-on ESI/facet/RFA level code billed without its primary code the same day.

    What it flags:
        Each add-on line (64480, 64484, 64491, 64492, 64494, 64495, 64634, 64636) when no line
        of the same date of service (this or another same-day note) bills its primary.

    Why payers care:
        Add-on codes are "list separately in addition to" a primary procedure and deny alone;
        lone add-ons also hide bilateral mis-coding (OIG facet reviews).

    Example (flagged):
        64494 without 64493 on the same date.

    Example (passes):
        64493 + 64494 on the same date.

    How to fix:
        Bill the primary level code, or correct the add-on to the primary code.

    Source:
        CPT add-on convention; ESI billing article A58745 [S7]; FCSO 64490 guide [S17].

    Options:
        None (add-on map in packs/epidural.toml and packs/facet.toml).
    """

    code = "DC314"
    name = "facet-addon-without-primary"
    requirements = ("esi-addon-primary", "facet-addon-primary")
    source = source_of("esi-addon-primary", "facet-addon-primary")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        billed = {code(line) for line in day_lines(ctx)}
        for line in lines_with(ctx.claims, PACKS.addons):
            req = "esi-addon-primary" if code(line) in _ESI_ALL else "facet-addon-primary"
            if not self.in_force(ctx, req):
                continue
            primaries = PACKS.addon_primaries(code(line))
            if not billed & set(primaries):
                yield self.finding(ctx, f"add-on {code(line)} billed without {' or '.join(primaries)} on the same date",
                                   claim=line, source=source_of(req),
                                   fix="Bill the primary code for the first level, or correct the add-on code.")


RULES = [ImagingBundled, EsiConservativeCareMissing, EsiFrequencyExceeded, EsiRepeatWithoutResponse,
         EsiMultipleUnits, AddonWithoutPrimary]
