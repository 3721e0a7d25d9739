"""Orchestration: one patient's timeline through every stage, and the batch driver.

For each patient, in date order: text -> similarity against all earlier notes -> extraction
(statements marked fresh or carried) -> rules -> findings -> claim verdicts. A patient needs only
its own history plus the read-only boilerplate model and cross-patient index, so batch work
streams patient by patient from the history store and memory stays bounded by the largest
patient. ``check_note`` runs the same path for one draft against stored history.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from driftcheck.claims import claim_history_for, tie_claims
from driftcheck.config import Config
from driftcheck.errors import ModelError
from driftcheck.extract import Extractor
from driftcheck.model import ClaimLine, Finding, Note, NoteRisk, RowError, RunResult, Statement
from driftcheck.persist import NoteCache, with_freshness
from driftcheck.rules import billing
from driftcheck.rules.base import HistoryVisit, RuleContext
from driftcheck.rules.packs import overridden_params, pack_defaults, resolve_params
from driftcheck.rules.registry import configured_rules
from driftcheck.similarity import BoilerplateModel, CrossPatientIndex, PatientIndex
from driftcheck.similarity.align import SentenceFeatures
from driftcheck.store import HistoryStore
from driftcheck.suppress import Suppression, apply_suppressions
from driftcheck.text.pipeline import TextDoc, TextProcessor
from driftcheck.verdicts import claim_verdicts, note_risk

log = logging.getLogger(__name__)



@dataclass
class PatientResult:
    """Findings, claim verdicts and per-note risk for one patient."""

    findings: list[Finding] = field(default_factory=list)
    verdicts: list[Any] = field(default_factory=list)
    notes: list[NoteRisk] = field(default_factory=list)
    claim_lines: int = 0
    similarities: dict[str, Any] = field(default_factory=dict)  # note_id -> NoteSimilarity
    suppressed: int = 0


def _load_boilerplate(configured: Path | None) -> BoilerplateModel | None:
    """The configured template model (must exist), else the one shipped in ``models/``.

    Without a template model clinic boilerplate counts as clinical text, so its absence is
    logged rather than silent.
    """
    if configured is not None:
        if not Path(configured).is_file():
            raise ModelError(f"boilerplate model {configured} not found (config 'boilerplate_model')")
        return BoilerplateModel.load(configured)
    model = BoilerplateModel.default()
    if model is None:
        log.warning("shipped boilerplate model (models/boilerplate/) not found: template sentences will count as "
                    "clinical text; reinstall driftcheck (the model ships as a data file) or set 'boilerplate_model'")
    return model


class Analyzer:
    """Holds the per-process state (spaCy pipeline, caches, rules, models) and runs patients.

    Build one per process and reuse it: the text and extraction caches are what make a second
    check of a patient, or a long batch, fast.
    """

    def __init__(self, config: Config | None = None, *, boilerplate: BoilerplateModel | None = None,
                 load_default_boilerplate: bool = True, note_cache: NoteCache | None = None,
                 suppressions: Sequence[Suppression] = ()) -> None:
        self.config = config or Config()
        self.rules = configured_rules(self.config)
        self.text = TextProcessor()
        self.extractor = Extractor()
        self.sentence_features = SentenceFeatures()
        if boilerplate is None and load_default_boilerplate:
            boilerplate = _load_boilerplate(self.config.boilerplate_model)
        self.boilerplate = boilerplate
        self.note_cache = note_cache
        self.suppressions = list(suppressions)
        self._params: dict[str | None, dict[str, Any]] = {}
        self._prefixes: OrderedDict[tuple[Any, ...], tuple[PatientIndex, tuple[HistoryVisit, ...]]] = OrderedDict()
        for payer in (None, *self.config.payers):
            self.params_for(payer)  # every [payers.*] table is validated up front, not mid-scan

    def params_for(self, payer: str | None) -> dict[str, Any]:
        """Payer parameters: pack defaults, then ``[payers.<name>]`` overrides from config."""
        payer = (payer or self.config.default_payer or "").lower() or None
        if payer not in self._params:
            self._params[payer] = resolve_params(pack_defaults(), self.config.payers, payer)
        return self._params[payer]

    def overrides_for(self, payer: str | None) -> frozenset[str]:
        """Names of the parameters the config sets for ``payer`` (see ``RuleContext.payer_overrides``)."""
        return overridden_params(self.config.payers, (payer or self.config.default_payer or "").lower() or None)

    def analyse_text(self, note: Note) -> tuple[TextDoc, tuple[Statement, ...]]:
        """Text stage + extraction of one note (freshness not yet applied).

        Signed notes are read from / written to the store's per-note cache when one is set, so a
        fresh process checking a draft does not redo the patient's history.
        """
        cacheable = self.note_cache is not None and note.status != "draft"
        if cacheable:
            hit = self.note_cache.get(note)
            if hit is not None:
                return hit
        doc = self.text.process(note.text)
        raw = self.extractor.extract(doc)
        if cacheable:
            self.note_cache.put(note, doc, raw)
        return doc, raw

    def analyze_patient(
        self,
        notes: Sequence[Note],
        claims: Sequence[ClaimLine] = (),
        *,
        cross: CrossPatientIndex | None = None,
        report_note_ids: set[str] | None = None,
    ) -> PatientResult:
        """Run every stage over one patient's notes in date order.

        Args:
            notes: the patient's notes (any order; drafts included when checking).
            claims: the patient's claim lines.
            cross: cross-patient index, for reuse of another patient's narrative.
            report_note_ids: only report findings for these notes (``check`` reports the
                draft; history is analysed for context only). None reports all.
        """
        timeline = sorted(notes, key=Note.sort_key)
        by_note, orphans = tie_claims(timeline, claims)
        tied = [line for lines in by_note.values() for line in lines]
        result = PatientResult(claim_lines=len(claims))
        index = PatientIndex(self.boilerplate, features=self.sentence_features)
        history: list[HistoryVisit] = []
        # A pre-sign check reports only the last note; the history before it is the same on
        # every check of that patient, so its index is built once per process and reused.
        key = None
        if report_note_ids is not None and len(report_note_ids) == 1 and timeline \
                and timeline[-1].note_id in report_note_ids:
            key = tuple((n.note_id, n.date, hash(n.text)) for n in timeline[:-1])
            cached = self._prefixes.get(key)
            if cached is not None:
                self._prefixes.move_to_end(key)
                index, history = cached[0], list(cached[1])
                timeline_todo = timeline[-1:]
            else:
                timeline_todo = timeline
        else:
            timeline_todo = timeline
        for note in timeline_todo:
            if key is not None and note is timeline[-1] and key not in self._prefixes:
                self._prefixes[key] = (index, tuple(history))
                while len(self._prefixes) > 64:
                    self._prefixes.popitem(last=False)
            doc, raw = self.analyse_text(note)
            similarity = index.compare(note, doc)
            statements = with_freshness(raw, similarity.is_fresh)
            report = report_note_ids is None or note.note_id in report_note_ids
            if report:
                result.similarities[note.note_id] = similarity
                cross_spans = tuple(cross.matches(note, doc)) if cross is not None else ()
                own = tuple(by_note.get(note.note_id, ()))
                ctx = RuleContext(
                    note=note,
                    doc=doc,
                    similarity=similarity,
                    statements=tuple(statements),
                    history=tuple(history),
                    claims=own,
                    claim_history=tuple(claim_history_for(note, tied)),
                    payer_params=self.params_for(payer := note.payer or next((c.payer for c in own if c.payer), None)),
                    payer_overrides=self.overrides_for(payer),
                    cross_patient=cross_spans,
                )
                note_findings = [f for rule in self.rules for f in rule.check(ctx)]
                result.findings.extend(note_findings)
                result.notes.append(NoteRisk(
                    patient_id=note.patient_id, note_id=note.note_id, date=note.date,
                    carried_fraction=similarity.clinical_fraction, novel_words=similarity.novel_words,
                    source_note_id=similarity.main_source_note_id,
                    risk=note_risk(note_findings, similarity.clinical_fraction),
                    findings=len(note_findings),
                ))
            if note is not timeline[-1]:  # nothing compares against the last note
                index.add(note, doc)
            history.append(HistoryVisit(note, tuple(statements)))
        if report_note_ids is None and any(r.code == "DC301" for r in self.rules):
            result.findings.extend(billing.orphan_findings(orphans))
        if self.suppressions:
            result.findings, result.suppressed = apply_suppressions(result.findings, self.suppressions)
        note_of = {line.line_id: nid for nid, lines in by_note.items() for line in lines}
        reported = [c for c in claims if report_note_ids is None or note_of.get(c.line_id) in report_note_ids]
        result.verdicts = claim_verdicts(reported, result.findings, note_of)
        result.findings.sort()
        return result

    def check_note(self, draft: Note, history: Sequence[Note], claims: Sequence[ClaimLine] = (),
                   planned: Sequence[ClaimLine] = ()) -> PatientResult:
        """Check one draft note (and its planned claim lines) against stored history.

        History notes dated after the draft, and any stored version of the draft itself, are
        ignored: the draft is judged against what came before it.
        """
        prior = [n for n in history if n.note_id != draft.note_id and n.sort_key() < draft.sort_key()]
        tied = [replace(line, note_id=draft.note_id, patient_id=draft.patient_id,
                        date=line.date or draft.date) for line in planned]
        return self.analyze_patient([*prior, draft], [*claims, *tied], report_note_ids={draft.note_id})


def build_cross_index(store: HistoryStore, text: TextProcessor,
                      boilerplate: BoilerplateModel | None) -> CrossPatientIndex:
    """First pass of a batch: index every stored note's sentences across patients."""
    cross = CrossPatientIndex(boilerplate)
    for patient_id in store.patients():
        for note in store.notes_for(patient_id):
            cross.add(note, text.process(note.text))
    return cross


def scan_store(
    store: HistoryStore,
    analyzer: Analyzer,
    *,
    patients: Iterable[str] | None = None,
    row_errors: Sequence[RowError] = (),
    progress: Callable[[int, int], None] | None = None,
    cross_patient: bool = True,
) -> RunResult:
    """Analyse every (or the given) patient in the store, streaming one patient at a time."""
    started = time.perf_counter()
    patient_ids = list(patients) if patients is not None else store.patients()
    cross = build_cross_index(store, analyzer.text, analyzer.boilerplate) if cross_patient else None
    findings: list[Finding] = []
    verdicts: list[Any] = []
    notes: list[NoteRisk] = []
    n_notes = n_lines = suppressed = 0
    for i, patient_id in enumerate(patient_ids, 1):
        timeline = store.notes_for(patient_id)
        claims = store.claims_for(patient_id)
        res = analyzer.analyze_patient(timeline, claims, cross=cross)
        findings.extend(res.findings)
        verdicts.extend(res.verdicts)
        notes.extend(res.notes)
        suppressed += res.suppressed
        n_notes += len(timeline)
        n_lines += len(claims)
        if progress:
            progress(i, len(patient_ids))
    return RunResult(
        command="scan",
        findings=tuple(sorted(findings)),
        verdicts=tuple(verdicts),
        notes=tuple(notes),
        row_errors=tuple(row_errors),
        patients=len(patient_ids),
        notes_checked=n_notes,
        claim_lines=n_lines,
        elapsed_s=time.perf_counter() - started,
        suppressed=suppressed,
    )
