"""DC2xx: the statements payers look for are missing, or present only in carried-forward text.

Each evidence label gives two rules: *missing* (no asserted statement at all) and *stale* (the
only statements sit in text carried forward from an earlier visit, so they say nothing about
today). Rules read only ``ctx.statements`` (already flagged fresh/carried, negated, hypothetical,
family) and the claim lines; they never run spaCy.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from driftcheck.model import ClaimLine, Finding, Severity, Span, Statement
from driftcheck.rules.base import Rule, RuleContext

#: Procedures whose coverage articles require failed conservative care and necessity (S7-S21).
PROCEDURE_CODES = frozenset(
    {"62321", "62323"}
    | {str(c) for c in range(64479, 64485)}
    | {str(c) for c in range(64490, 64496)}
    | {str(c) for c in range(64633, 64637)}
    | {"20552", "20553"}
)
#: Services for which a pain score and functional status are expected (procedures, CPM, E/M).
ASSESSED_CODES = PROCEDURE_CODES | {"G3002", "G3003"} | {f"992{n:02d}" for n in range(2, 16)}
#: Procedure families: a repeat in the same family needs the response to the last one.
FAMILIES = {
    "esi": frozenset({"62321", "62323", "64479", "64480", "64483", "64484"}),
    "facet": frozenset({str(c) for c in range(64490, 64496)} | {str(c) for c in range(64633, 64637)}),
    "tpi": frozenset({"20552", "20553"}),
}
_PLANNED_RE = re.compile(
    r"\b(epidural|transforaminal|interlaminar|caudal|facet|medial branch|radiofrequency|rhizotomy|"
    r"trigger point injection|ESI|TFESI|MBB|RFA)\b", re.IGNORECASE)
_PLAN_SECTIONS = ("plan", "assessment_plan", "assessment")


@dataclass(frozen=True)
class EvidenceOptions:
    """Options shared by the DC2xx rules.

    Attributes:
        codes: claim codes that make the evidence required (defaults per rule).
        planned_procedure: also require it when the note's plan merely names an injection (no
            claim line yet). Off by default: plans say "consider a medial branch block if pain
            persists", which is not a procedure being billed; planned lines reach the rules as
            claims through ``driftcheck check --bill``.
    """

    codes: tuple[str, ...] = ()
    planned_procedure: bool = False


def _planned(ctx: RuleContext) -> bool:
    """Whether the note's plan names a spinal or trigger-point injection."""
    for section in ctx.doc.sections:
        if section.kind in _PLAN_SECTIONS and _PLANNED_RE.search(ctx.doc.text[section.start : section.end]):
            return True
    return False


class _EvidenceRule(Rule):
    """Shared logic: decide if the label is required, then look for fresh or stale statements."""

    label: ClassVar[str]
    what: ClassVar[str]
    stale_rule: ClassVar[bool] = False
    default_codes: ClassVar[frozenset[str]] = ASSESSED_CODES
    fix_missing: ClassVar[str]
    fix_stale: ClassVar[str]
    Options: ClassVar[type] = EvidenceOptions

    def required_by(self, ctx: RuleContext) -> tuple[bool, ClaimLine | None]:
        """Whether this note needs the statement, and the claim line that needs it."""
        codes = frozenset(self.options.codes) or self.default_codes
        for claim in ctx.claims:
            if claim.code in codes and self.line_applies(ctx, claim):
                return True, claim
        if self.options.planned_procedure and self.default_codes is not ASSESSED_CODES and _planned(ctx):
            return True, None
        return False, None

    def qualifies(self, statement: Statement) -> bool:
        """Whether a statement of the label counts as the evidence (all do, by default)."""
        return True

    def line_applies(self, ctx: RuleContext, claim: ClaimLine) -> bool:
        """Whether this billed line needs the evidence at all (all do, by default)."""
        return True

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        """Yield one finding when the evidence is missing (or only stale, for stale rules)."""
        needed, claim = self.required_by(ctx)
        if not needed:
            return
        fresh = [s for s in ctx.fresh(self.label) if self.qualifies(s)]
        stale = [s for s in ctx.stale(self.label) if self.qualifies(s)]
        why = f"billed {claim.code}" if claim else "the planned procedure"
        if fresh:
            return
        if self.stale_rule and stale:
            sources = sorted({s.source_note_id for s in stale if s.source_note_id})
            yield self.finding(
                ctx,
                f"{self.what} for {why} appears only in text carried forward from "
                f"{', '.join(sources) or 'an earlier note'} ({len(stale)} statement(s)); nothing documented today",
                evidence=[Span(s.start, s.end, s.label, s.source_note_id) for s in stale],
                claim=claim,
                fix=self.fix_stale,
                explanation={"stale_statements": len(stale), "source_note_ids": sources,
                             "pattern_ids": sorted({s.pattern_id for s in stale})},
            )
        elif not self.stale_rule and not stale:
            yield self.finding(
                ctx,
                f"No {self.what} documented for {why}",
                claim=claim,
                fix=self.fix_missing,
                explanation={"label": self.label},
            )


class MissingFunctionalStatus(_EvidenceRule):
    """No functional status or functional change is documented for a billed pain service.

    What it flags: a note tied to a pain procedure, CPM (G3002/G3003) or E/M line with no
    asserted FUNCTION statement (activity limits, sleep, work status, ADLs, ODI/NDI scores).

    Why payers care: LCDs for ESI, facet and trigger-point injections ask for a baseline and
    follow-up functional assessment; without it the response to treatment cannot be judged.

    Example (flagged): "Low back pain 7/10. Plan: L4-L5 TFESI." with 64483 billed.

    Example (passes): "She cannot sit more than 20 minutes; ODI 42%." with 64483 billed.

    How to fix: document today's function (what the patient can and cannot do, a disability
    score) and how it changed since the last visit.

    Source: payer-rules.md §9 items 13, 28, 34 (S7, S14, S20).

    Options: ``codes`` (claim codes requiring it), ``planned_procedure`` (unused for this rule).
    """

    code = "DC201"
    name = "missing-functional-status"
    default_severity = Severity.WARNING
    source = "payer-rules.md §9.13/§9.28/§9.34 (S7, S14, S20)"
    label = "FUNCTION"
    what = "functional status"
    fix_missing = "Document today's functional status (activity limits, ADLs, work, a disability score)."
    fix_stale = ""


class StaleFunctionalStatus(MissingFunctionalStatus):
    """Functional status appears only in text carried forward from an earlier visit.

    What it flags: every FUNCTION statement of the note lies in text copied from an earlier note.

    Why payers care: MAC cloning guidance treats copied assessments as undocumented; a copied
    "unable to sit > 20 minutes" cannot show change after treatment.

    Example (flagged): the HPI line on function is identical to last month's note, and nothing
    else about function is written today.

    Example (passes): the copied line is followed by "Now able to sit for an hour."

    How to fix: re-assess function today and write what changed (or that it did not, and why).

    Source: payer-rules.md §8 and §9.43 (S35).

    Options: ``codes`` (claim codes requiring it).
    """

    code = "DC202"
    name = "stale-functional-status"
    source = "payer-rules.md §8, §9.43 (S35)"
    stale_rule = True
    fix_stale = "Re-assess function at this visit and document the change since the source note."


class MissingConservativeCare(_EvidenceRule):
    """A billed or planned injection lacks documented failed conservative care.

    What it flags: a note billing (or planning) an ESI, facet, RFA or trigger-point injection
    with no asserted CONSERVATIVE_CARE statement whose outcome is failed or partial.

    Why payers care: ESI and facet LCDs require at least four weeks of failed conservative care
    (PT, home exercise, medications) before injections; it is a leading audit denial reason.

    Example (flagged): "Plan: bilateral L4-L5 medial branch blocks." with no treatment history.

    Example (passes): "She has failed 8 weeks of physical therapy and NSAIDs."

    How to fix: document which conservative treatments were tried, for how long, and the result.

    Source: payer-rules.md §9.12, §9.23, §9.33 (S7, S8, S14, S20).

    A repeat trigger-point injection is exempt: its justification is the response to the
    last session (DC209/DC210).

    Options: ``codes``; ``planned_procedure`` (also when the plan names an injection).
    """

    code = "DC203"
    name = "missing-conservative-care"
    default_severity = Severity.ERROR
    source = "payer-rules.md §9.12/§9.23/§9.33 (S7, S8, S14, S20)"
    label = "CONSERVATIVE_CARE"
    what = "failed conservative care"
    default_codes = PROCEDURE_CODES
    fix_missing = "Document the conservative care tried (modality, duration in weeks) and that it failed."
    fix_stale = ""

    def qualifies(self, statement: Statement) -> bool:
        """Only care that failed or helped partly supports an injection."""
        return statement.attrs.get("outcome") in ("failed", "partial")

    def line_applies(self, ctx: RuleContext, claim: ClaimLine) -> bool:
        """Failed conservative care justifies the *initial* trigger-point injection only.

        A repeat TPI is justified by the response to the last one (>= 50 % relief for >= 6
        weeks, payer-rules.md §5 "Repeat TPI"), which DC209/DC210 check.
        """
        tpi = FAMILIES["tpi"]
        if claim.code not in tpi:
            return True
        return not any(c.code in tpi and c.date is not None and c.date < ctx.note.date
                       for c in ctx.claim_history)


class StaleConservativeCare(MissingConservativeCare):
    """Failed conservative care appears only in carried-forward text.

    What it flags: the only failed-care statements were copied from an earlier note.

    Why payers care: a copied "failed PT" sentence is the classic cloned justification auditors
    look for in repeat injections (OIG ESI and facet audits).

    Example (flagged): the sentence on failed PT is identical to the last visit's.

    Example (passes): today's note adds "continues home exercise without relief".

    How to fix: state the current conservative care and its result at this visit.

    Source: payer-rules.md §8, §9.12, §9.43 (S29, S35).

    Options: ``codes``; ``planned_procedure``.
    """

    code = "DC204"
    name = "stale-conservative-care"
    default_severity = Severity.WARNING
    source = "payer-rules.md §8, §9.12, §9.43 (S29, S35)"
    stale_rule = True
    fix_stale = "Update the conservative-care history at this visit (what continues, what failed since)."


class MissingNecessity(_EvidenceRule):
    """A billed or planned injection has no stated reason tying it to the condition.

    What it flags: no asserted NECESSITY statement (a reason, indication, finding or failed care
    linked to the procedure) in a note billing or planning an injection.

    Why payers care: medical necessity is the first review question; OIG found most improper
    facet and ESI payments lacked it.

    Example (flagged): "Procedure: L5-S1 interlaminar ESI." with no indication.

    Example (passes): "Given radicular pain at L5 and MRI foraminal stenosis, we will proceed."

    How to fix: write the indication: the diagnosis, the finding and why this procedure now.

    Source: payer-rules.md §9.9, §9.23, §9.33 (S8, S25, S28).

    Options: ``codes``; ``planned_procedure``.
    """

    code = "DC205"
    name = "missing-necessity"
    default_severity = Severity.ERROR
    source = "payer-rules.md §9.9/§9.23/§9.33 (S8, S25, S28)"
    label = "NECESSITY"
    what = "medical-necessity statement"
    default_codes = PROCEDURE_CODES
    fix_missing = "State why the procedure is needed now (diagnosis, finding, failed care)."
    fix_stale = ""


class StaleNecessity(MissingNecessity):
    """The reason for the procedure appears only in carried-forward text.

    What it flags: every NECESSITY statement was copied from an earlier note.

    Why payers care: a copied indication does not show that the procedure is needed today.

    Example (flagged): the INDICATION paragraph is identical to the previous session's.

    Example (passes): the indication adds today's findings or the response to the last block.

    How to fix: restate the indication with today's findings.

    Source: payer-rules.md §8, §9.43 (S35).

    Options: ``codes``; ``planned_procedure``.
    """

    code = "DC206"
    name = "stale-necessity"
    default_severity = Severity.WARNING
    source = "payer-rules.md §8, §9.43 (S35)"
    stale_rule = True
    fix_stale = "Restate the indication with today's findings and history."


class MissingPainScore(_EvidenceRule):
    """No numeric pain score is documented for a billed pain service.

    What it flags: no asserted PAIN_SCORE (NRS/VAS value) in a note tied to a pain procedure,
    CPM or E/M line.

    Why payers care: CPM requires a validated pain scale with a value; injection LCDs require
    the same scale at baseline and at every follow-up.

    Example (flagged): "Pain is about the same." with G3002 billed.

    Example (passes): "She rates her pain 6/10 today."

    How to fix: record a pain score on a named scale at this visit.

    Source: payer-rules.md §9.4, §9.13, §9.28 (S1, S6, S7).

    Options: ``codes``.
    """

    code = "DC207"
    name = "missing-pain-score"
    default_severity = Severity.WARNING
    source = "payer-rules.md §9.4/§9.13/§9.28 (S1, S6, S7)"
    label = "PAIN_SCORE"
    what = "pain score"
    fix_missing = "Record today's pain intensity on a named scale (e.g. NRS 0-10)."
    fix_stale = ""


class StalePainScore(MissingPainScore):
    """The pain score appears only in carried-forward text.

    What it flags: every pain score of the note was copied from an earlier note.

    Why payers care: an identical copied score cannot show response; CPM and LCDs expect a
    score taken at the visit.

    Example (flagged): "Pain 7/10" copied verbatim from last month's note, no other score.

    Example (passes): today's vitals line records "Pain: 5/10".

    How to fix: take and record the score at this visit.

    Source: payer-rules.md §9.4, §9.43 (S1, S35).

    Options: ``codes``.
    """

    code = "DC208"
    name = "stale-pain-score"
    source = "payer-rules.md §9.4, §9.43 (S1, S35)"
    stale_rule = True
    fix_stale = "Record a pain score taken at this visit."


class MissingProcedureResponse(_EvidenceRule):
    """A repeat injection lacks the documented response to the previous one.

    What it flags: a billed injection in a family (ESI, facet/RFA, TPI) that the patient had
    before (claim history or an earlier procedure note), with no asserted PROCEDURE_RESPONSE.

    Why payers care: repeat ESI needs >= 50 % relief for >= 3 months; a second facet block or
    RFA needs >= 80 % relief; repeat TPI needs >= 50 % relief for 6 weeks.

    Example (flagged): second 64483 in six months, note silent on the first one's effect.

    Example (passes): "The last TFESI gave 70% relief for 4 months."

    How to fix: document the percentage relief, its duration and the functional gain.

    Source: payer-rules.md §9.17, §9.24, §9.34 (S7, S14, S20).

    Options: ``codes``.
    """

    code = "DC209"
    name = "missing-procedure-response"
    default_severity = Severity.ERROR
    source = "payer-rules.md §9.17/§9.24/§9.34 (S7, S14, S20)"
    label = "PROCEDURE_RESPONSE"
    what = "response to the previous procedure"
    default_codes = PROCEDURE_CODES
    fix_missing = "Document the relief (%), how long it lasted and the functional change after the last procedure."
    fix_stale = ""

    def required_by(self, ctx: RuleContext) -> tuple[bool, ClaimLine | None]:
        """Only a repeat: a billed procedure whose family the patient had before."""
        codes = frozenset(self.options.codes) or self.default_codes
        prior_codes = {c.code for c in ctx.claim_history}
        prior_note = any(s.label in ("INTENT", "GUIDANCE") for v in ctx.history for s in v.statements)
        for claim in ctx.claims:
            if claim.code not in codes:
                continue
            family = next((f for f in FAMILIES.values() if claim.code in f), frozenset())
            if prior_codes & family or (prior_note and not prior_codes):
                return True, claim
        return False, None


class StaleProcedureResponse(MissingProcedureResponse):
    """The response to the previous procedure appears only in carried-forward text.

    What it flags: the only relief statements were copied from an earlier note.

    Why payers care: the same "80% relief" sentence copied across sessions is the drift signal
    auditors name for repeat ESI, facet and TPI (payer-rules.md §9.17, §9.43).

    Example (flagged): "70% relief for 3 months" identical in the last two procedure notes.

    Example (passes): today's note reports the response to the most recent session.

    How to fix: document the response to the most recent procedure, with dates.

    Source: payer-rules.md §9.17, §9.43 (S29, S35).

    Options: ``codes``.
    """

    code = "DC210"
    name = "stale-procedure-response"
    default_severity = Severity.WARNING
    source = "payer-rules.md §9.17, §9.43 (S29, S35)"
    stale_rule = True
    fix_stale = "Document the response to the most recent procedure at this visit."


RULES: list[type[Rule]] = [
    MissingFunctionalStatus, StaleFunctionalStatus, MissingConservativeCare, StaleConservativeCare,
    MissingNecessity, StaleNecessity, MissingPainScore, StalePainScore, MissingProcedureResponse,
    StaleProcedureResponse,
]
