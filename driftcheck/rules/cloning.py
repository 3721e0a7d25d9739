"""DC1xx: carried-forward, cloned and static documentation.

These rules only read the similarity stage's result (``ctx.similarity``) and the cross-patient
spans (``ctx.cross_patient``); all text comparison happened upstream. The verdict thresholds
of DC101 live in :class:`driftcheck.similarity.SimilarityOptions` (one judgement, shared by
eval and reports); the options here decide what is worth reporting. Payers publish no numeric
threshold for cloning (payer-rules.md §8), so every number below is a project choice, chosen
on the synthetic clone-injection fixtures and checked against the real external notes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from driftcheck.model import CarriedSpan, Finding, Severity, Span
from driftcheck.rules.base import Rule, RuleContext
from driftcheck.similarity.result import merge_spans

# Rule sources stay one line: the quotes live in each rule's docstring (``driftcheck rules DC101``).
_MAC = ("MAC cloned-documentation guidance (Palmetto GBA, First Coast: \"worded exactly like or similar "
        "to previous entries\"; NGS: individualized notes required) — payer-rules.md §8 [S35]")
_MAC_PATIENTS = ("MAC cloned-documentation guidance (Palmetto GBA, First Coast: \"exactly the same from "
                 "patient to patient\") — payer-rules.md §8 [S35]")
_MAC_SCALES = _MAC + "; §9 CPM-SCALE drift signal"

_SECTION_LABEL = {
    "hpi": "History of present illness", "exam": "Physical exam", "assessment": "Assessment",
    "plan": "Plan", "assessment_plan": "Assessment and plan", "chief_complaint": "Chief complaint",
    "pain": "Pain assessment", "procedure": "Procedure", "indication": "Indication",
    "unsectioned": "Narrative",
}
_MEASURE_LABEL = {"pain": "Pain score", "odi": "ODI", "ndi": "NDI", "peg": "PEG score"}
_CHANGE_LABEL = {
    "interval_history": "interval history", "pain_score": "pain score", "function": "function",
    "procedure_response": "response to the last procedure", "exam": "exam", "plan": "assessment/plan",
}


def _carried_evidence(ctx: RuleContext, label: str = "carried") -> list[Span]:
    """Merged carried, non-template clinical spans as evidence (offsets into this note)."""
    sim = ctx.similarity
    if sim is None:
        return []
    clinical = [(s.start, s.end) for s in ctx.doc.sentences if s.clinical]
    keep = [c for c in sim.carried if not c.boilerplate and _inside(c, clinical)]
    return [Span(c.start, c.end, label, c.source_note_id) for c in merge_spans(keep, ctx.doc.text)]


def _inside(span: CarriedSpan, ranges: list[tuple[int, int]]) -> bool:
    return any(a <= span.start and span.end <= b for a, b in ranges)


def _kinds(kinds: tuple[str, ...]) -> str:
    return ", ".join(_CHANGE_LABEL.get(k, k) for k in kinds) if kinds else "any clinical content"


@dataclass(frozen=True)
class ClonedNoteOptions:
    """Options of DC101.

    Attributes:
        min_clinical_fraction: report only when at least this share of non-template clinical
            text is carried (the similarity stage's ``clone_min_fraction`` decides the verdict;
            raise this to report only the most blatant clones).
    """

    min_clinical_fraction: float = 0.6


class ClonedNote(Rule):
    """The note's clinical content repeats an earlier visit without documented change.

    What it flags:
        A note whose non-template clinical text (history, pain and function, exam, assessment,
        plan) is at least 60 % carried from earlier visits of the patient, verbatim or lightly
        edited (numbers nudged, words swapped, sentences reordered), and which documents no
        change: no new interval history, no pain or function score that moved by a clinically
        meaningful amount, no new response to the last procedure, exam finding or plan.
        Carried medications, history, ROS and clinic template do not count.

    Why payers care:
        MACs call such notes cloned: "worded exactly like or similar to previous entries".
        Cloned documentation does not meet medical necessity, and the services it supports are
        denied and recouped.

    Example (flagged):
        Visit 5 repeats visit 4's history, exam and plan with "pain 6/10" changed to "7/10" and
        "reports" changed to "states". DC101: repeats visit P1-V04 without documented change.

    Example (passes):
        Visit 5 carries the medication list, PMH and a stable exam, but its interval history
        describes the response to last month's injection and the plan changes.

    How to fix:
        Document today's visit: what changed since the source visit (events, scores, response
        to treatment, exam) and why care is still needed. Delete carried text that no longer
        applies.

    Source:
        Palmetto GBA and First Coast cloned-documentation guidance; NGS "Individualized patient
        notes for each patient encounter are required" (payer-rules.md §8, [S35]).

    Options:
        min_clinical_fraction (0.6): smallest carried share of clinical text reported.
    """

    code = "DC101"
    name = "cloned-note"
    default_severity = Severity.ERROR
    source = _MAC
    Options = ClonedNoteOptions

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        """Report the similarity stage's clone verdict, naming the source visit."""
        sim = ctx.similarity
        if sim is None or not sim.cloned or sim.clinical_fraction < self.options.min_clinical_fraction:
            return
        src = sim.main_source_note_id or "an earlier visit"
        when = f" ({sim.main_source_date.isoformat()})" if sim.main_source_date else ""
        message = (f"Clinical content repeats visit {src}{when} without documented change: "
                   f"{sim.clinical_fraction:.0%} of non-template clinical text carried forward; "
                   f"no change documented in {_kinds(sim.missing_change)}.")
        yield self.finding(
            ctx, message, _carried_evidence(ctx), confidence=sim.clone_score,
            fix="Document what changed since that visit and why care is still needed today.",
            explanation={"clinical_fraction": sim.clinical_fraction, "clone_score": sim.clone_score,
                         "fraction_vs_last": sim.fraction_vs_last, "fraction_vs_any": sim.fraction_vs_any,
                         "source_note_id": sim.main_source_note_id, "missing_change": list(sim.missing_change),
                         "changed": list(sim.changed), "fresh_words": sim.fresh_words, "reason": sim.reason},
        )


@dataclass(frozen=True)
class StaticSectionOptions:
    """Options of DC102.

    Attributes:
        min_streak: earlier visits the section must have stayed unchanged through
            (2 = the same text in three consecutive visits). One repeat is routine for a
            stable exam; three in a row is what reviewers call static.
        kinds: section kinds checked (clinical sections payers read for change).
        min_chars: shorter sections ("Plan: continue.") are left to DC2xx thin-note checks.
    """

    min_streak: int = 2
    kinds: tuple[str, ...] = ("hpi", "exam", "assessment", "plan", "assessment_plan")
    min_chars: int = 40


class StaticSection(Rule):
    """A clinical section is unchanged across a streak of visits.

    What it flags:
        History of present illness, exam, assessment or plan that repeats the previous visit
        (at least 90 % of its text, after normalising wording and numbers, with no number
        changed) for three or more consecutive visits.

    Why payers care:
        An exam or plan that never changes reads as "worded exactly like previous entries":
        reviewers take it as evidence that the section was not performed or reconsidered.

    Example (flagged):
        The exam of visits 3, 4 and 5 is the same text. DC102 on visit 5: exam unchanged across
        3 consecutive visits.

    Example (passes):
        The exam is the same at visits 3 and 4 (a stable exam carried once) and updated at 5.

    How to fix:
        Re-examine and record today's findings, or state explicitly what was re-checked and
        found unchanged.

    Source:
        MAC cloned-documentation guidance (payer-rules.md §8, [S35]); §9 CLONE: cross-visit
        similarity of HPI and exam.

    Options:
        min_streak (2), kinds (hpi, exam, assessment, plan, assessment_plan), min_chars (40).
    """

    code = "DC102"
    name = "static-section"
    default_severity = Severity.WARNING
    source = _MAC
    Options = StaticSectionOptions

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        """One finding per static section kind, with the section as evidence."""
        sim = ctx.similarity
        if sim is None:
            return
        for sec in sim.sections:
            if sec.kind not in self.options.kinds or sec.streak < self.options.min_streak:
                continue
            if sec.end - sec.start < self.options.min_chars:
                continue
            label = _SECTION_LABEL.get(sec.kind, sec.kind)
            yield self.finding(
                ctx,
                f"{label} section unchanged across {sec.streak + 1} consecutive visits "
                f"(repeats {sec.source_note_id}).",
                [Span(sec.start, sec.end, "static-section", sec.source_note_id)],
                confidence=sec.score,
                fix="Record today's findings for this section, or state what was re-checked.",
                explanation={"section": sec.kind, "streak": sec.streak, "score": sec.score},
            )


@dataclass(frozen=True)
class UnchangedMeasurementsOptions:
    """Options of DC103.

    Attributes:
        min_streak: earlier visits with the identical value (2 = the same score at three
            consecutive visits). Chronic pain does fluctuate; the same NRS and ODI three visits
            running is the copy-forward signature payers describe.
        kinds: measurement kinds checked (pain, odi, ndi, peg).
    """

    min_streak: int = 2
    kinds: tuple[str, ...] = ("pain", "odi", "ndi", "peg")


class UnchangedMeasurements(Rule):
    """Pain or function scores are identical across a streak of visits.

    What it flags:
        A pain score (NRS/VAS "6/10", "six out of ten") or function score (ODI, NDI, PEG) with
        the same value, in the same place of the note, at three or more consecutive visits.

    Why payers care:
        Repeat procedures and chronic pain management need measured response. A score copied
        forward unchanged is not a measurement, and an identical score string across visits is
        a cloning signal.

    Example (flagged):
        "Current pain 6/10. ODI 38%." at visits 2, 3 and 4. DC103 on visit 4 for the pain score
        and for the ODI.

    Example (passes):
        Pain 6/10, then 4/10, then 4/10: the value changed within the streak.

    How to fix:
        Ask and record today's scores on the same scale; if truly unchanged, say that it was
        re-measured today.

    Source:
        MAC cloned-documentation guidance (payer-rules.md §8, [S35]); §9 CPM-SCALE and CLONE
        drift signals.

    Options:
        min_streak (2), kinds (pain, odi, ndi, peg).
    """

    code = "DC103"
    name = "unchanged-measurements"
    default_severity = Severity.WARNING
    source = _MAC_SCALES
    Options = UnchangedMeasurementsOptions

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        """One finding per measurement kind whose values sat still for the streak."""
        sim = ctx.similarity
        if sim is None:
            return
        by_kind: dict[str, list] = defaultdict(list)
        others: dict[str, set[float]] = defaultdict(set)
        for m in sim.measurements:
            if m.kind in self.options.kinds and m.unchanged and m.streak >= self.options.min_streak:
                by_kind[m.kind].append(m)
            elif not m.unchanged:
                others[m.kind].add(m.value)
        for kind, ms in by_kind.items():
            if others[kind] - {m.value for m in ms}:
                continue  # another score of this scale today differs: the scale is not static
            streak = max(m.streak for m in ms)
            src = ms[0].previous_note_id
            values = ", ".join(f"{m.value:g}" for m in ms)
            yield self.finding(
                ctx,
                f"{_MEASURE_LABEL.get(kind, kind)} unchanged ({values}) across {streak + 1} consecutive "
                f"visits (same as {src}).",
                [Span(m.start, m.end, "unchanged-measurement", m.previous_note_id) for m in ms],
                fix="Record today's score on the same scale.",
                explanation={"kind": kind, "streak": streak, "values": [m.value for m in ms]},
            )


@dataclass(frozen=True)
class DuplicatedTextOptions:
    """Options of DC104.

    Attributes:
        min_sentences: consecutive repeated sentences that make a block (2). A single sentence
            restated (an assessment echoing the HPI's opening line) is a dictation habit, not a
            pasted block.
        min_chars: total repeated characters a block needs.
    """

    min_sentences: int = 2
    min_chars: int = 80


class DuplicatedTextInNote(Rule):
    """The same block of sentences appears twice within one note.

    What it flags:
        Two or more consecutive clinical sentences that repeat, in the same order, an earlier
        passage of the same note (template lines excluded; non-clinical lists such as pre- and
        post-operative diagnoses are expected to repeat and are ignored).

    Why payers care:
        Pasted duplicate blocks inflate a note without documenting anything and are a
        copy-paste marker reviewers look for.

    Example (flagged):
        The HPI paragraph pasted again under "Assessment".

    Example (passes):
        The assessment restates one sentence of the HPI.

    How to fix:
        Delete the duplicate block; summarise instead of pasting.

    Source:
        MAC cloned-documentation guidance (payer-rules.md §8, [S35]); Landi et al. within-note
        redundancy (cloning-research.md §2).

    Options:
        min_sentences (2), min_chars (80).
    """

    code = "DC104"
    name = "duplicated-text-in-note"
    default_severity = Severity.WARNING
    source = _MAC
    Options = DuplicatedTextOptions

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        """One finding per repeated block, pointing at both copies."""
        sim = ctx.similarity
        if sim is None:
            return
        for block in sim.duplicates:
            if block.sentences < self.options.min_sentences or block.end - block.start < self.options.min_chars:
                continue
            yield self.finding(
                ctx,
                f"{block.sentences} sentences ({block.end - block.start} characters) repeat text from "
                f"earlier in the same note (offset {block.first_start}).",
                [Span(block.start, block.end, "duplicate"),
                 Span(block.first_start, block.first_end, "first-occurrence")],
                fix="Delete the repeated block.",
            )


@dataclass(frozen=True)
class CrossPatientOptions:
    """Options of DC105.

    Attributes:
        min_sentences: narrative sentences shared with one other patient's note.
        min_chars: or at least this many shared characters. One shared sentence of 60+
            characters can be a provider's phrase; two, or a paragraph, is a pasted narrative.
    """

    min_sentences: int = 2
    min_chars: int = 200


class CrossPatientReuse(Rule):
    """Narrative text is identical to another patient's note (not template).

    What it flags:
        Clinical narrative sentences of this note that are identical, after normalising
        wording and numbers, to sentences in a different patient's note, when they are not
        clinic template (the boilerplate model, and any sentence shared by five or more
        patients, is excluded).

    Why payers care:
        MACs define cloned documentation as notes "exactly the same from patient to patient";
        such notes do not show individual medical necessity.

    Example (flagged):
        Two patients' HPIs share the same three sentences about a fall and failed therapy.

    Example (passes):
        Both notes contain the clinic's consent paragraph (template, in five or more patients).

    How to fix:
        Write the history and findings of this patient; keep shared wording to template lines.

    Source:
        Palmetto GBA and First Coast cloned-documentation guidance (payer-rules.md §8, [S35]).

    Options:
        min_sentences (2), min_chars (200).
    """

    code = "DC105"
    name = "cross-patient-reuse"
    default_severity = Severity.ERROR
    source = _MAC_PATIENTS
    Options = CrossPatientOptions

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        """One finding per other patient's note that shares enough narrative."""
        spans = ctx.cross_patient or (ctx.similarity.cross_patient if ctx.similarity else ())
        by_source: dict[str, list[CarriedSpan]] = defaultdict(list)
        for span in spans:
            by_source[span.source_note_id].append(span)
        for src, group in sorted(by_source.items()):
            chars = sum(s.end - s.start for s in group)
            if len(group) < self.options.min_sentences and chars < self.options.min_chars:
                continue
            yield self.finding(
                ctx,
                f"{len(group)} narrative sentences ({chars} characters) are identical to note {src} "
                "of another patient.",
                [Span(s.start, s.end, "cross-patient", s.source_note_id) for s in group],
                fix="Document this patient's own history and findings.",
                explanation={"source_note_id": src, "sentences": len(group), "chars": chars},
            )


@dataclass(frozen=True)
class HighCarryForwardOptions:
    """Options of DC106.

    Attributes:
        min_fraction: carried share of non-template clinical text worth noting (0.6, the
            upper end of the 50-60 % real follow-ups carry, Rule 2021).
    """

    min_fraction: float = 0.6


class HighCarryForward(Rule):
    """Info: most clinical text is carried forward, but change is documented.

    What it flags:
        A note that is not cloned (it documents change) yet carries at least 60 % of its
        non-template clinical text from earlier visits. Context for reviewers, not a verdict.

    Why payers care:
        Heavily carried notes are where cloning hides; auditors sample them. Knowing which
        change the note documents helps a reviewer confirm it quickly.

    Example (flagged):
        History, exam and assessment carried from P1-V04, with a new interval-history
        paragraph and an updated plan. DC106: 75 % carried; change documented.

    Example (passes):
        A follow-up carrying only medications, PMH and template.

    How to fix:
        Nothing is required; consider trimming carried text that no longer applies.

    Source:
        MAC cloned-documentation guidance (payer-rules.md §8, [S35]); copy-forward baselines
        in cloning-research.md §1 (Rule 2021: median 58.8 %).

    Options:
        min_fraction (0.6).
    """

    code = "DC106"
    name = "high-carry-forward"
    default_severity = Severity.INFO
    source = _MAC
    Options = HighCarryForwardOptions

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        """Note the carried share and the change that was documented."""
        sim = ctx.similarity
        if sim is None or sim.cloned or not sim.prior_notes or sim.clinical_fraction < self.options.min_fraction:
            return
        src = sim.main_source_note_id or "earlier visits"
        yield self.finding(
            ctx,
            f"{sim.clinical_fraction:.0%} of non-template clinical text carried forward (mostly from "
            f"{src}); change documented in {_kinds(sim.changed)}.",
            _carried_evidence(ctx),
            confidence=sim.clinical_fraction,
            explanation={"clinical_fraction": sim.clinical_fraction, "changed": list(sim.changed),
                         "source_note_id": sim.main_source_note_id},
        )


RULES: list[type[Rule]] = [
    ClonedNote, StaticSection, UnchangedMeasurements, DuplicatedTextInNote, CrossPatientReuse, HighCarryForward,
]
