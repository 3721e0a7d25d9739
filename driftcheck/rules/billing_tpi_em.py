"""DC315-DC320: trigger point injections and office E/M on procedure days."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from driftcheck.model import ClaimLine, Finding, Severity, Span, Statement
from driftcheck.rules.base import RuleContext
from driftcheck.rules.billing_common import (
    MISSING,
    PACKS,
    STALE,
    BillingRule,
    carried_counts_field,
    code,
    day_lines,
    lines_with,
    mods,
    num,
    param_field,
    session_dates,
    source_of,
    span_of,
    stale_message,
    statements_for,
)

_TPI = PACKS.group("tpi_all")
_GENERIC_MUSCLES = PACKS.group("tpi_generic_muscles")
_EM = PACKS.group("em_office")
_MINOR = PACKS.group("em_minor_procedures")
_MOD25 = PACKS.group("em_separate_modifiers")
_AP_SECTIONS = PACKS.group("em_assessment_sections")


# ------------------------------------------------------------------------------------ TPI


def muscle_keys(statements: list[Statement]) -> set[tuple[str, str]]:
    """Distinct (muscle, side) pairs; bilateral counts as left and right, generic names not at all.

    Right and left muscles count separately (AAPC, payer-rules.md §5); "paraspinals" names no
    specific muscle and never counts.
    """
    keys: set[tuple[str, str]] = set()
    for s in statements:
        name = " ".join(str(s.attrs.get("muscle") or "").lower().replace("_", " ").split())
        if not name or s.attrs.get("generic") or name in _GENERIC_MUSCLES:
            continue
        side = str(s.attrs.get("side") or "").lower()
        sides = ("left", "right") if side == "bilateral" else (side if side in {"left", "right"} else "",)
        keys.update((name, sd) for sd in sides)
    # A muscle named once without a side and once with one is the same muscle.
    return {(n, sd) for n, sd in keys if sd or not any(k[0] == n and k[1] for k in keys)}


#: Sections that describe what was injected (the exam may name more tender muscles).
_PROCEDURE_SECTIONS = frozenset({"procedure"})


def injected(statements: list[Statement]) -> list[Statement]:
    """MUSCLE statements of the procedure description when it names any, else all of them.

    The code follows the muscles *injected*; an exam listing a third tender muscle that was not
    injected does not turn 20552 into 20553.
    """
    in_procedure = [s for s in statements if s.section in _PROCEDURE_SECTIONS]
    return in_procedure or statements


@dataclass(frozen=True)
class TpiCountOptions:
    """Thresholds of DC315 (defaults from packs/trigger_point.toml)."""

    min_muscles_20553: int = param_field("tpi_min_muscles_20553")
    count_carried_forward: bool = carried_counts_field()


def _tpi_code_for(n: int, threshold: int) -> str | None:
    return None if n == 0 else ("20553" if n >= threshold else "20552")


class TpiMuscleCountMismatch(BillingRule):
    """20552/20553 does not match the number of distinct muscles named in the note.

    What it flags:
        Each 20552/20553 line when the distinct muscles named in today's fresh MUSCLE
        statements (left and right counted separately, generic "paraspinals" not counted) do
        not fit the code: 20552 needs 1-2 muscles, 20553 needs 3 or more. The muscle list of a
        repeat session legitimately repeats the last one, so carried-forward MUSCLE statements
        count; with ``count_carried_forward = false`` they do not, and a code that fits only by
        counting them is reported as stale.

    Why payers care:
        TPI is coded by the number of muscles, not injections, and the note must name the
        specific muscles; a 20553 with two named muscles is overcoded.

    Example (flagged):
        20553 billed; note names left and right trapezius only (2 muscles).

    Example (passes):
        20553 billed; note names bilateral trapezius and left levator scapulae (3 muscles).

    How to fix:
        Name every muscle injected (with side) in today's procedure note; bill by that count.

    Source:
        TPI billing article A59553 (L37913); AAPC 20552-20553 guidance [S20, S21].

    Options:
        min_muscles_20553 (default 3; ``tpi_min_muscles_20553``), count_carried_forward (default
        true).
    """

    code = "DC315"
    name = "tpi-muscle-count-mismatch"
    requirements = ("tpi-muscle-count",)
    source = source_of("tpi-muscle-count")
    Options = TpiCountOptions

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        lines = lines_with(ctx.claims, _TPI)
        if not lines or not self.in_force(ctx):
            return
        threshold = self.opt(ctx, "min_muscles_20553")
        fresh = injected(statements_for(ctx, "MUSCLE", self.options.count_carried_forward))
        stale = [] if self.options.count_carried_forward else injected(ctx.stale("MUSCLE"))
        n_fresh = len(muscle_keys(fresh))
        n_all = len(muscle_keys(fresh + stale))
        for line in lines:
            billed = code(line)
            if _tpi_code_for(n_fresh, threshold) == billed:
                continue
            if _tpi_code_for(n_all, threshold) == billed:
                sources = sorted({s.source_note_id for s in stale if s.source_note_id})
                yield self.finding(ctx, f"{billed} fits {n_all} muscles only when counting {n_all - n_fresh} named "
                                        f"{stale_message(sources)}",
                                   [span_of(s) for s in stale], claim=line,
                                   explanation={"evidence": STALE, "source_note_ids": sources,
                                                "muscles_fresh": n_fresh, "muscles_with_stale": n_all},
                                   fix="Name today's injected muscles in today's procedure note.")
                continue
            need = "1-2 muscles" if billed == "20552" else f">= {threshold} muscles"
            yield self.finding(ctx, f"{billed} requires {need}; {n_fresh} distinct muscle(s) named",
                               [span_of(s) for s in fresh], claim=line,
                               explanation={"evidence": MISSING, "muscles": n_fresh},
                               fix="Bill 20552 for 1-2 muscles and 20553 for 3 or more, naming each muscle.")


class TpiUnitsExceeded(BillingRule):
    """20552/20553 billed more than once (units or lines) on one date of service.

    What it flags:
        Once per note, a TPI line of this note when the same date of service bills more than
        one unit of 20552/20553 in total (units > 1, both codes, or the code on two lines).

    Why payers care:
        Only one of 20552/20553 is reported per patient per day, one unit, regardless of the
        number of trigger points or muscles.

    Example (flagged):
        20552 x 2; or 20552 and 20553 on the same date.

    Example (passes):
        20553 x 1 for four muscles.

    How to fix:
        Report one line, one unit, with the code that matches the number of muscles.

    Source:
        TPI billing article A57751 (L35010) [S20].

    Options:
        None.
    """

    code = "DC316"
    name = "tpi-units-exceeded"
    requirements = ("tpi-once-per-day",)
    source = source_of("tpi-once-per-day")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        lines = lines_with(ctx.claims, _TPI)
        if not lines or not self.in_force(ctx):
            return
        day = lines_with(day_lines(ctx), _TPI)
        units = sum(line.units for line in day)
        if units <= 1:
            return
        codes = sorted({code(line) for line in day})
        line = max(lines, key=lambda ln: ln.units)
        yield self.finding(ctx, f"{' and '.join(codes)} billed for {units} units on one date; one unit per day is allowed",
                           claim=line, explanation={"units": units, "codes": codes},
                           fix="Bill a single unit of 20552 or 20553 per date of service.")


@dataclass(frozen=True)
class TpiFrequencyOptions:
    """Thresholds of DC317 (defaults from packs/trigger_point.toml)."""

    max_sessions: int = param_field("tpi_sessions_per_12_months")
    window_days: int = param_field("tpi_window_days")


class TpiFrequencyExceeded(BillingRule):
    """More than 3 trigger point injection sessions within a rolling 12 months.

    What it flags:
        A note billing 20552/20553 when the distinct TPI dates of service in the 365 days
        ending on and including this date exceed 3 (364 days earlier is inside, 365 is not).

    Why payers care:
        The TPI LCDs allow at most three sessions per rolling 12 months; routine periodic TPI
        for chronic pain is not covered.

    Example (flagged):
        Fourth TPI date within 365 days.

    Example (passes):
        Fourth TPI when the first was 365 days earlier.

    How to fix:
        Track sessions per patient; do not bill sessions over the limit.

    Source:
        TPI LCDs L34211, L36859; billing article A59553 [S20].

    Options:
        max_sessions (default 3; ``tpi_sessions_per_12_months``), window_days (default 365;
        ``tpi_window_days``).
    """

    code = "DC317"
    name = "tpi-frequency-exceeded"
    requirements = ("tpi-frequency",)
    source = source_of("tpi-frequency")
    Options = TpiFrequencyOptions

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        lines = lines_with(ctx.claims, _TPI)
        if not lines or not self.in_force(ctx):
            return
        cap, window = self.opt(ctx, "max_sessions"), self.opt(ctx, "window_days")
        dates = session_dates(ctx, _TPI, None, window)
        if len(dates) > cap:
            yield self.finding(ctx, f"{len(dates)} trigger point sessions within {window} days (limit {cap})",
                               claim=lines[0], explanation={"sessions": [d.isoformat() for d in dates], "limit": cap},
                               fix="Do not bill TPI sessions over the limit.")


# ------------------------------------------------------------------------------------ E/M


def _procedure_day(ctx: RuleContext) -> list[str]:
    return sorted({code(line) for line in lines_with(day_lines(ctx), _MINOR)})


class EmMissingModifier25(BillingRule):
    """E/M billed on a minor-procedure day without modifier 25.

    What it flags:
        Each office E/M line (99202-99205, 99212-99215) of the note without modifier 25 when
        the same date of service bills a minor procedure (TPI, ESI, facet, RFA).

    Why payers care:
        An E/M on the day of a minor procedure is included in the procedure unless it is a
        significant, separately identifiable service reported with modifier 25; without it
        the E/M bundles and denies.

    Example (flagged):
        99214 and 20553 on the same date, no modifier on the 99214.

    Example (passes):
        99214-25 and 20553, with a separately identifiable problem addressed.

    How to fix:
        If the E/M was separate work, append 25 to the E/M line (not the procedure); if not,
        do not bill the E/M.

    Source:
        NCCI Policy Manual Ch. I §D; CMS Transmittal 954 / CR 5025 [S22, S23].

    Options:
        None.
    """

    code = "DC318"
    name = "em-missing-modifier-25"
    requirements = ("em-modifier-25",)
    source = source_of("em-modifier-25")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        ems = lines_with(ctx.claims, _EM)
        if not ems or not self.in_force(ctx):
            return
        procedures = _procedure_day(ctx)
        if not procedures:
            return
        for line in ems:
            if not mods(line) & _MOD25:
                yield self.finding(ctx, f"{code(line)} billed with {', '.join(procedures)} on the same date "
                                        "without modifier 25", claim=line,
                                   fix="Add modifier 25 to the E/M if it was separately identifiable; else drop it.")


def _fresh_text(ctx: RuleContext, start: int, end: int) -> tuple[bool, str | None]:
    if ctx.similarity is None:
        return True, None
    return ctx.similarity.is_fresh(start, end)


def separate_work(text: str) -> bool:
    """Whether an assessment/plan sentence shows work beyond the procedure decision.

    Either it names separately identifiable work (medication management, opioid monitoring, a
    new complaint, another problem; pack ``em_separate_work``), or it is a "<problem>: <plan>"
    item whose problem is not the procedure and whose plan acts on it (``em_problem_plan`` +
    ``em_plan_action``), e.g. "Knee osteoarthritis: start diclofenac gel, x-rays ordered".
    """
    if PACKS.pattern("em_separate_work").search(text):
        return True
    item = PACKS.pattern("em_problem_plan").search(text)
    if item is None or PACKS.pattern("em_procedure_decision").search(item.group("problem") or ""):
        return False
    return bool(PACKS.pattern("em_plan_action").search(item.group("plan") or ""))


@dataclass(frozen=True)
class Em25Options:
    """Options of DC319."""

    count_carried_forward: bool = carried_counts_field()


class EmModifier25Unsupported(BillingRule):
    """Modifier 25 on an E/M whose assessment/plan is only the decision to do the procedure.

    What it flags:
        An E/M line with modifier 25 on a minor-procedure day when no assessment/plan sentence
        shows separately identifiable work: medication management, opioid/PDMP work, a new
        complaint, another named problem, a "<problem>: <plan>" item whose problem is not the
        procedure and whose plan acts on it (pack patterns in packs/em.toml), or a
        CONSERVATIVE_CARE statement in the assessment/plan. When the note has no
        assessment/plan section, every sentence outside procedure sections is read. A carried
        plan item still describes ongoing management and counts, unless
        ``count_carried_forward = false``: then work found only in carried-forward text is
        reported as stale.

    Why payers care:
        "The decision to perform the minor procedure is not separately reportable"; OIG found
        35% of modifier-25 claims unsupported and SMRC is reviewing E/M-25 with injections.

    Example (flagged):
        99213-25 + 64483; A/P: "Lumbar radiculopathy. Proceed with L5-S1 TFESI. Risks and
        benefits discussed, consent obtained."

    Example (passes):
        Same, plus "Increase gabapentin to 300 mg TID for neuropathic pain; PDMP reviewed."

    How to fix:
        Document the separate problem and its management, or bill the procedure alone.

    Source:
        NCCI Policy Manual Ch. I §D; CMS Transmittal 954; OIG OEI-07-03-00470 [S22, S23, S24].

    Options:
        count_carried_forward (default true); sentence patterns in packs/em.toml.
    """

    code = "DC319"
    name = "em-modifier-25-unsupported"
    requirements = ("em-separately-identifiable",)
    source = source_of("em-separately-identifiable")
    Options = Em25Options

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        ems = [line for line in lines_with(ctx.claims, _EM) if mods(line) & _MOD25]
        if not ems or not self.in_force(ctx) or not _procedure_day(ctx):
            return
        carried_counts = self.options.count_carried_forward
        decision = PACKS.pattern("em_procedure_decision")
        sentences = [s for s in ctx.doc.sentences if s.section in _AP_SECTIONS]
        if not sentences:
            sentences = [s for s in ctx.doc.sentences if s.clinical and s.section != "procedure"]
        fresh_work: list[Span] = []
        stale_work: list[Span] = []
        decisions: list[Span] = []
        for sent in sentences:
            text = ctx.doc.sentence_text(sent)
            if separate_work(text):
                is_fresh, src = _fresh_text(ctx, sent.start, sent.end)
                target = fresh_work if is_fresh or carried_counts else stale_work
                target.append(Span(sent.start, sent.end, "SEPARATE_WORK", src))
            elif decision.search(text):
                decisions.append(Span(sent.start, sent.end, "PROCEDURE_DECISION"))
        bounds = [(s.start, s.end) for s in sentences]
        for st in ctx.statements:
            if st.label == "CONSERVATIVE_CARE" and st.asserted and any(a <= st.start < b for a, b in bounds):
                (fresh_work if st.fresh or carried_counts else stale_work).append(span_of(st, "SEPARATE_WORK"))
        if fresh_work:
            return
        line: ClaimLine = ems[0]
        if stale_work:
            sources = sorted({s.source_note_id for s in stale_work if s.source_note_id})
            yield self.finding(ctx, f"{code(line)}-25: separately identifiable work appears {stale_message(sources)}",
                               stale_work, claim=line,
                               explanation={"evidence": STALE, "source_note_ids": sources},
                               fix="Document today's separate problem and what was done about it.")
            return
        yield self.finding(ctx, f"{code(line)}-25: assessment/plan shows only the decision to perform the procedure",
                           decisions, claim=line, explanation={"evidence": MISSING, "sentences": len(sentences)},
                           fix="Document a separately identifiable problem and its management, or drop the E/M.")


@dataclass(frozen=True)
class EmTimeOptions:
    """Thresholds of DC320 (defaults from packs/em.toml)."""

    time_minutes: dict[str, int] = param_field("em_time_minutes")
    count_carried_forward: bool = carried_counts_field()


class EmTimeLevelMismatch(BillingRule):
    """Time-based office E/M level above what the documented minutes support.

    What it flags:
        An office E/M line when the note documents practitioner time (TIME_SPENT; the largest
        value counts) and it is below the level's minimum: 99212 10, 99213 20, 99214 30, 99215
        40 minutes (99202-99205: 15/30/45/60). The message names the highest level the minutes
        support. A note without any time statement is taken as MDM-based and not checked. A
        carried-forward time statement is read as the note's time (a wholly copied note is
        DC101's finding); with ``count_carried_forward = false`` a note whose only time
        statement is carried forward is reported as stale instead.

    Why payers care:
        Since 2021 office E/M may be leveled by total time on the date of the encounter, which
        must be met or exceeded; a copied time statement is not today's time.

    Example (flagged):
        99214 billed; "Total time spent: 22 minutes" (supports 99213).

    Example (passes):
        99214 billed; "I spent 35 minutes on the date of service".

    How to fix:
        Bill the level the documented time supports, or level by MDM and document it.

    Source:
        CPT 2021+ office E/M guidelines (total time) [S31].

    Options:
        time_minutes (table code -> minutes; ``em_time_minutes``; a payer may override one level),
        count_carried_forward (default true).
    """

    code = "DC320"
    name = "em-time-level-mismatch"
    default_severity = Severity.WARNING
    requirements = ("em-time-level",)
    source = source_of("em-time-level")
    Options = EmTimeOptions

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        ems = lines_with(ctx.claims, _EM)
        if not ems or not self.in_force(ctx):
            return
        table = {str(k): v for k, v in self.opt(ctx, "time_minutes").items()}
        fresh = statements_for(ctx, "TIME_SPENT", self.options.count_carried_forward)
        stale = [] if self.options.count_carried_forward else ctx.stale("TIME_SPENT")
        fresh_min = max((m for s in fresh if (m := num(s, "minutes")) is not None), default=None)
        stale_min = max((m for s in stale if (m := num(s, "minutes")) is not None), default=None)
        for line in ems:
            need = table.get(code(line))
            if need is None:
                continue
            if fresh_min is not None:
                if fresh_min >= need:
                    continue
                supported = _supported(table, code(line), fresh_min)
                yield self.finding(ctx, f"{code(line)} needs >= {need} minutes; {fresh_min:g} documented "
                                        f"(supports {supported or 'no time-based level'})",
                                   [span_of(s) for s in fresh], claim=line,
                                   explanation={"evidence": MISSING, "minutes": fresh_min, "required": need},
                                   fix="Bill the level the documented time supports, or document MDM.")
            elif stale_min is not None:
                sources = sorted({s.source_note_id for s in stale if s.source_note_id})
                yield self.finding(ctx, f"{code(line)}: the time statement ({stale_min:g} minutes) appears "
                                        f"{stale_message(sources)}",
                                   [span_of(s) for s in stale], claim=line,
                                   explanation={"evidence": STALE, "source_note_ids": sources, "required": need},
                                   fix="Document today's total time (or level by MDM) instead of copying it.")


def _supported(table: dict[str, int], billed: str, minutes: float) -> str | None:
    """The highest level in the same family (new 9920x / established 9921x) the minutes reach."""
    family = billed[:4]
    fits = [c for c, m in table.items() if c.startswith(family) and minutes >= m]
    return max(fits) if fits else None


RULES = [TpiMuscleCountMismatch, TpiUnitsExceeded, TpiFrequencyExceeded, EmMissingModifier25,
         EmModifier25Unsupported, EmTimeLevelMismatch]
