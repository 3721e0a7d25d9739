"""Run the pipeline over gold inputs and score it (what ``driftcheck eval`` does).

The scorers in this package are pure; this module is the one place that runs driftcheck to
produce the predictions they score, so the figures in the README come from the same code path
users run.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from driftcheck.analyze import Analyzer
from driftcheck.config import Config
from driftcheck.errors import InputError
from driftcheck.evaluation.billing import score_billing
from driftcheck.evaluation.cloning import score_cloning
from driftcheck.evaluation.extraction import score_extraction
from driftcheck.evaluation.loaders import (
    load_billing_truth,
    load_cloning_labels,
    load_extraction_gold,
    read_jsonl,
)
from driftcheck.model import ClaimLine, Note, RowError
from driftcheck.similarity import CrossPatientIndex

#: Naive baseline of issue 3: a note is "cloned" when this share of its text matches the last note.
NAIVE_THRESHOLD = 0.5


def eval_extraction(gold_path: Path, labels: Iterable[str] | None = None) -> dict[str, Any]:
    """Extract statements from every gold text (each as a one-note patient) and score them."""
    from driftcheck.extract import Extractor
    from driftcheck.text.pipeline import TextProcessor

    docs = load_extraction_gold(gold_path)
    text, extractor = TextProcessor(), Extractor()
    predicted = {d.note_id: list(extractor.extract(text.process(d.text))) for d in docs}
    result = score_extraction(docs, predicted, labels=list(labels) if labels else None)
    result["gold_file"] = str(gold_path)
    return result


def _read_notes(path: Path) -> list[Note]:
    from driftcheck.ingest import read_notes

    notes, errors = [], []
    for item in read_notes(path):
        (errors if isinstance(item, RowError) else notes).append(item)
    if errors:
        raise InputError(f"{path}: {len(errors)} unreadable rows; first: {errors[0]}")
    return notes


def _read_claims(path: Path) -> list[ClaimLine]:
    from driftcheck.ingest import read_claims

    lines, errors = [], []
    for item in read_claims(path):
        (errors if isinstance(item, RowError) else lines).append(item)
    if errors:
        raise InputError(f"{path}: {len(errors)} unreadable rows; first: {errors[0]}")
    return lines


def _by_patient(notes: list[Note]) -> dict[str, list[Note]]:
    grouped: dict[str, list[Note]] = defaultdict(list)
    for note in notes:
        grouped[note.patient_id].append(note)
    return grouped


def eval_cloning(notes_path: Path, labels_path: Path, config: Config | None = None) -> dict[str, Any]:
    """Score note-level cloning (DC101) and copied-span characters; the naive baseline beside it."""
    notes = _read_notes(notes_path)
    texts_len = {n.note_id: len(n.text) for n in notes}
    labels = load_cloning_labels(labels_path, texts_len=texts_len)
    rows = [record for _, record in read_jsonl(labels_path)]  # extra label keys, read once
    template = _template_regions(rows)
    analyzer = Analyzer((config or Config()).replace(select=("DC101", "DC105"), ignore=()))
    cross = CrossPatientIndex(analyzer.boilerplate)
    for note in notes:
        cross.add(note, analyzer.text.process(note.text))
    flagged: dict[str, bool] = {}
    spans: dict[str, list[tuple[int, int]]] = {}
    naive: dict[str, bool] = {}
    reuse: set[tuple[str, str]] = set()
    for patient_notes in _by_patient(notes).values():
        res = analyzer.analyze_patient(patient_notes, cross=cross)
        hit = {f.note_id for f in res.findings if f.code == "DC101"}
        reuse |= {(f.note_id or "", s.source_note_id or "") for f in res.findings if f.code == "DC105"
                  for s in f.evidence[:1]}
        for note_id, sim in res.similarities.items():
            flagged[note_id] = note_id in hit
            spans[note_id] = _minus([(c.start, c.end) for c in sim.carried], template.get(note_id, []))
            naive[note_id] = sim.fraction_vs_last >= NAIVE_THRESHOLD
    result = score_cloning(labels, flagged, spans, texts_len)
    baseline = score_cloning(labels, naive, None, texts_len)
    result["cross_patient"] = _score_reuse(rows, reuse)
    result["baseline_naive"] = {"rule": f"fraction of text matching the last note >= {NAIVE_THRESHOLD}",
                                "note": baseline["note"], "by_kind": baseline["by_kind"]}
    return result


def _score_reuse(rows: list[dict[str, Any]], predicted: set[tuple[str, str]]) -> dict[str, Any] | None:
    """DC105 against labelled ``cross_patient_spans`` as note pairs (either direction counts).

    Both notes of a pair share the text, so a finding on the borrowing note or on its source is
    a hit; a gold pair is missed when neither direction was reported. None without such labels.
    """
    gold = {(row["note_id"], str(s[2])) for row in rows for s in row.get("cross_patient_spans") or []}
    if not gold:
        return None
    both = gold | {(b, a) for a, b in gold}
    tp = sum(1 for pair in predicted if pair in both)
    fn = sum(1 for a, b in gold if (a, b) not in predicted and (b, a) not in predicted)
    fp = len(predicted) - tp
    p = tp / (tp + fp) if tp + fp else 0.0
    r = (len(gold) - fn) / len(gold)
    return {"p": round(p, 4), "r": round(r, 4), "tp": tp, "fp": fp, "fn": fn, "gold_pairs": len(gold)}


def _template_regions(rows: list[dict[str, Any]]) -> dict[str, list[tuple[int, int]]]:
    """Clinic-template regions labelled in the gold file (``boilerplate_spans``), if any.

    Gold ``copied_spans`` exclude template text, and driftcheck's own template model need not
    draw the template line where the generator did; so characters inside labelled template are
    scored on neither side ("don't care" regions), and every carried span counts as predicted.
    """
    return {row["note_id"]: [(int(s[0]), int(s[1])) for s in row.get("boilerplate_spans") or []] for row in rows}


def _minus(spans: list[tuple[int, int]], holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` with every character inside ``holes`` removed."""
    out = []
    for start, end in spans:
        pieces = [(start, end)]
        for h0, h1 in holes:
            pieces = [p for a, b in pieces for p in ((a, min(b, h0)), (max(a, h1), b)) if p[0] < p[1]]
        out.extend(pieces)
    return out


def eval_billing(notes_path: Path, claims_path: Path, truth_path: Path,
                 config: Config | None = None) -> dict[str, Any]:
    """Run every rule over notes + claims and score DC3xx findings against seeded problems."""
    notes = _read_notes(notes_path)
    claims = _read_claims(claims_path)
    truth = load_billing_truth(truth_path)
    analyzer = Analyzer(config or Config())
    claims_by_patient: dict[str, list[ClaimLine]] = defaultdict(list)
    note_patient = {n.note_id: n.patient_id for n in notes}
    for line in claims:
        pid = line.patient_id or note_patient.get(line.note_id or "")
        claims_by_patient[pid or ""].append(line)
    findings = []
    grouped = _by_patient(notes)
    for patient_id in sorted(set(grouped) | set(claims_by_patient)):
        res = analyzer.analyze_patient(grouped.get(patient_id, []), claims_by_patient.get(patient_id, []))
        findings.extend(res.findings)
    result = score_billing(truth, findings)
    result["findings"] = {"total": len(findings), "dc3": sum(f.code.startswith("DC3") for f in findings)}
    return result
