"""Train, evaluate and export the sentence classifier (issue 4 item 6).

Reproducible (seeded) and deterministic::

    python -m driftcheck.evaluation.train_classifier evaluate        # CV + held-out figures only
    python -m driftcheck.evaluation.train_classifier train models/sentence_classifier/sentence_classifier.json

Data: the development gold only -- ``corpora/gold/dev.jsonl`` and ``corpora/gold/train.jsonl``,
split by ``corpora/gold/train2_selection.jsonl`` into *train2* (40 notes) and *train1* (the rest).
The test split is never read.

Protocol: the per-label probability thresholds are chosen by cross-validation grouped by note
on dev + train1; the model fitted on dev + train1 with those thresholds is scored on train2
(rules alone vs rules + classifier, lenient F1). A 5-fold grouped CV over all development notes
is reported as well. scikit-learn is imported here only, never at runtime. ``train`` refuses to
write a model unless train2 F1 rises for every enabled label and micro F1 on train2 rises.

Results (seed 20261130, C=1, min_df=2; lenient F1, rules -> rules + classifier):

- 140 notes, rules of the first session (train2 then never used to tune rules): thresholds
  enable CONSERVATIVE_CARE only (0.95). Held-out train2: FUNCTION 0.606 -> 0.606, NECESSITY
  0.661 -> 0.661, CONSERVATIVE_CARE 0.758 -> 0.758; 5-fold CV micro 0.794 -> 0.788.
- 220 notes (train3/train4 added), rules after three more tuning rounds (which used train2, so
  it is no longer held out): thresholds enable FUNCTION only (0.95). train2: FUNCTION 0.717 ->
  0.725, micro 0.740 -> 0.743; 5-fold CV on all 220 notes: FUNCTION 0.826 -> 0.823, micro
  0.823 -> 0.822.
- 260 notes (train5 added; what ``evaluate`` reads today): thresholds enable FUNCTION only
  (0.975). train2: FUNCTION 0.717 -> 0.725, micro 0.740 -> 0.743; 5-fold CV on all 260 notes:
  FUNCTION 0.795 -> 0.795, micro 0.785 -> 0.785.

Neither clears the bar of a gain on held-out notes, so no model is shipped and ``Extractor``
defaults to the rules alone (``statements.CLASSIFIER_DEFAULT = False``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from driftcheck.extract.classifier import FORMAT, FORMAT_VERSION

LABELS = ("FUNCTION", "NECESSITY", "CONSERVATIVE_CARE")
SEED = 20261130
GOLD = Path("corpora/gold")
THRESHOLDS = tuple(round(0.5 + 0.025 * i, 3) for i in range(20))  # 0.5 .. 0.975
WORD_RANGE = (1, 2)
CHAR_RANGE = (3, 5)
MIN_DF = 2
C = 1.0


@dataclass
class Sent:
    start: int
    end: int
    section: str
    text: str
    gold: dict[str, bool] = field(default_factory=dict)
    blocked: dict[str, bool] = field(default_factory=dict)  # a rule statement of the label overlaps
    allowed: dict[str, bool] = field(default_factory=dict)  # section not excluded for the label


@dataclass
class Note:
    note_id: str
    split: str  # dev | train1 | train2
    gold: Any
    rules: list[Any]
    sents: list[Sent]


def load_notes(gold_dir: Path = GOLD) -> list[Note]:
    """The development notes (dev + train) with rule statements and text-stage sentences."""
    from driftcheck.evaluation.loaders import load_extraction_gold
    from driftcheck.extract.statements import EXCLUDED_SECTIONS, Extractor, _trim
    from driftcheck.text.pipeline import TextProcessor

    train2 = {json.loads(line)["note_id"] for line in (gold_dir / "train2_selection.jsonl").open(encoding="utf-8")
              if line.strip()}
    tp, ex = TextProcessor(), Extractor(classifier=False)
    notes: list[Note] = []
    for name in ("dev.jsonl", "train.jsonl"):
        for doc in load_extraction_gold(gold_dir / name):
            split = "dev" if name == "dev.jsonl" else ("train2" if doc.note_id in train2 else "train1")
            tdoc = tp.process(doc.text)
            rules = list(ex.extract(tdoc))
            sents = []
            for s in tdoc.sentences:
                a, b = _trim(doc.text, s.start, s.end)
                if b <= a:
                    continue
                sent = Sent(a, b, s.section, doc.text[a:b])
                for lab in LABELS:
                    sent.gold[lab] = any(g.label == lab and g.start < b and g.end > a for g in doc.spans)
                    sent.blocked[lab] = any(r.label == lab and r.start < b and r.end > a for r in rules)
                    sent.allowed[lab] = s.section not in EXCLUDED_SECTIONS.get(lab, ())
                sents.append(sent)
            notes.append(Note(doc.note_id, split, doc, rules, sents))
    return notes


# -- fitting ------------------------------------------------------------------------------------

def _vectorizers() -> list[Any]:
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    return [TfidfVectorizer(analyzer="word", ngram_range=WORD_RANGE, min_df=MIN_DF, sublinear_tf=True,
                            lowercase=True, dtype=np.float64),
            TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_RANGE, min_df=MIN_DF, sublinear_tf=True,
                            lowercase=True, dtype=np.float64)]


@dataclass
class Fitted:
    vectorizers: list[Any]
    sections: list[str]
    models: dict[str, Any]

    def matrix(self, sents: Sequence[Sent]) -> Any:
        import numpy as np
        from scipy import sparse

        texts = [s.text for s in sents]
        col = {k: i for i, k in enumerate(self.sections)}
        onehot = np.zeros((len(sents), len(self.sections)))
        for i, s in enumerate(sents):
            if s.section in col:
                onehot[i, col[s.section]] = 1.0
        return sparse.hstack([v.transform(texts) for v in self.vectorizers] + [sparse.csr_matrix(onehot)]).tocsr()

    def proba(self, sents: Sequence[Sent]) -> dict[str, Any]:
        X = self.matrix(sents)
        return {lab: m.predict_proba(X)[:, 1] for lab, m in self.models.items()}


def fit(sents: Sequence[Sent], c: float = C) -> Fitted:
    from sklearn.linear_model import LogisticRegression

    vecs = _vectorizers()
    texts = [s.text for s in sents]
    for v in vecs:
        v.fit(texts)
    fitted = Fitted(vecs, sorted({s.section for s in sents}), {})
    X = fitted.matrix(sents)
    for lab in LABELS:
        y = [int(s.gold[lab]) for s in sents]
        m = LogisticRegression(C=c, class_weight="balanced", solver="liblinear", max_iter=5000, random_state=SEED)
        m.fit(X, y)
        fitted.models[lab] = m
    return fitted


# -- combining and scoring ----------------------------------------------------------------------

def predictions(notes: Sequence[Note], probs: dict[str, dict[str, list[float]]],
                thresholds: dict[str, float | None]) -> dict[str, list[Any]]:
    """Rule statements plus each classifier-positive sentence no rule statement overlaps."""
    out: dict[str, list[Any]] = {}
    for note in notes:
        preds: list[Any] = list(note.rules)
        for lab, th in thresholds.items():
            if th is None:
                continue
            p = probs[note.note_id][lab]
            for s, pr in zip(note.sents, p, strict=True):
                if pr >= th and s.allowed[lab] and not s.blocked[lab]:
                    preds.append((s.start, s.end, lab))
        out[note.note_id] = preds
    return out


def score(notes: Sequence[Note], probs: dict[str, dict[str, list[float]]],
          thresholds: dict[str, float | None]) -> dict[str, Any]:
    from driftcheck.evaluation.extraction import score_extraction

    res = score_extraction([n.gold for n in notes], predictions(notes, probs, thresholds))
    out = {lab: res["labels"][lab]["lenient"] for lab in LABELS}
    tp = sum(out[lab]["tp"] for lab in LABELS)
    fp = sum(out[lab]["fp"] for lab in LABELS)
    fn = sum(out[lab]["fn"] for lab in LABELS)
    out["micro3"] = _prf(tp, fp, fn)
    out["micro_all"] = res["micro"]["lenient"]
    return out


def _prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "tp": tp, "fp": fp, "fn": fn}


def cv_probs(notes: Sequence[Note], folds: int = 5, c: float = C) -> dict[str, dict[str, list[float]]]:
    """Out-of-fold probabilities, folds grouped by note (seeded)."""
    from sklearn.model_selection import GroupKFold

    idx = list(range(len(notes)))
    out: dict[str, dict[str, list[float]]] = {}
    for tr, te in GroupKFold(n_splits=folds, shuffle=True, random_state=SEED).split(idx, groups=idx):
        model = fit([s for i in tr for s in notes[i].sents], c)
        for i in te:
            p = model.proba(notes[i].sents) if notes[i].sents else {lab: [] for lab in LABELS}
            out[notes[i].note_id] = {lab: list(map(float, p[lab])) for lab in LABELS}
    return out


def choose_thresholds(notes: Sequence[Note], probs: dict[str, dict[str, list[float]]]) -> dict[str, float | None]:
    """Per label, the threshold with the best lenient F1 (ties: the higher); None when no
    threshold beats the rules alone."""
    chosen: dict[str, float | None] = {}
    for lab in LABELS:
        base = score(notes, probs, {lab: None})[lab]["f1"]
        best, best_th = base, None
        for th in THRESHOLDS:
            f1 = score(notes, probs, {lab: th})[lab]["f1"]
            if f1 > best + 1e-9 or (best_th is not None and abs(f1 - best) <= 1e-9 and th > best_th):
                best, best_th = f1, th
        chosen[lab] = best_th
    return chosen


def evaluate(gold_dir: Path = GOLD, c: float = C) -> dict[str, Any]:
    """The whole protocol; returns figures and the model fitted on dev + train1."""
    notes = load_notes(gold_dir)
    dev1 = [n for n in notes if n.split != "train2"]
    train2 = [n for n in notes if n.split == "train2"]
    none = dict.fromkeys(LABELS)
    probs = cv_probs(dev1, 5, c)
    thresholds = choose_thresholds(dev1, probs)
    result: dict[str, Any] = {"thresholds": thresholds, "C": c,
                              "cv_dev_train1": {"rules": score(dev1, probs, none),
                                                "combined": score(dev1, probs, thresholds)}}
    model = fit([s for n in dev1 for s in n.sents], c)
    held = {}
    for n in train2:
        p = model.proba(n.sents)
        held[n.note_id] = {lab: list(map(float, p[lab])) for lab in LABELS}
    result["train2"] = {"rules": score(train2, held, none), "combined": score(train2, held, thresholds)}
    all_probs = cv_probs(notes, 5, c)
    result["cv_all"] = {"rules": score(notes, all_probs, none),
                            "combined": score(notes, all_probs, thresholds)}
    result["_model"] = model
    return result


# -- export -------------------------------------------------------------------------------------

def export(model: Fitted, thresholds: dict[str, float | None], meta: dict[str, Any]) -> dict[str, Any]:
    """The JSON model: features with a non-zero weight for some label, idf, coefficients."""
    import numpy as np

    n_blocks = [len(v.vocabulary_) for v in model.vectorizers]
    coefs = {lab: m.coef_[0] for lab, m in model.models.items()}
    vectorizers = []
    label_coef: dict[str, list[list[float]]] = {lab: [] for lab in coefs}
    offset = 0
    for v, n in zip(model.vectorizers, n_blocks, strict=True):
        names = v.get_feature_names_out()
        keep = [j for j in range(n) if any(coefs[lab][offset + j] != 0.0 for lab in coefs)]
        if len(keep) != n:
            # dropping a feature would change the l2 norm the model was fitted with
            raise RuntimeError("a fitted feature has zero weight for every label: refit without it")
        vectorizers.append({"analyzer": v.analyzer, "ngram_range": list(v.ngram_range),
                            "sublinear_tf": bool(v.sublinear_tf),
                            "features": [[str(names[j]), float(v.idf_[j])] for j in keep]})
        for lab in coefs:
            label_coef[lab].append([float(coefs[lab][offset + j]) for j in keep])
        offset += n
    labels = {}
    for lab, m in model.models.items():
        sec = coefs[lab][offset:]
        labels[lab] = {"intercept": float(m.intercept_[0]), "threshold": thresholds.get(lab),
                       "coef": label_coef[lab],
                       "section_coef": {k: float(w) for k, w in zip(model.sections, sec, strict=True) if w != 0.0}}
    assert offset + len(model.sections) == int(np.asarray(coefs[LABELS[0]]).shape[0])
    return {"format": FORMAT, "version": FORMAT_VERSION, "meta": meta, "vectorizers": vectorizers,
            "labels": labels}


def _rounded(obj: Any) -> Any:
    if isinstance(obj, float):
        return round(obj, 4) if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: _rounded(v) for k, v in obj.items() if not k.startswith("_")}
    if isinstance(obj, list | tuple):
        return [_rounded(v) for v in obj]
    return obj


@click.group()
def main() -> None:
    """Sentence classifier: evaluate, or train and export (development gold only)."""


@main.command("evaluate")
@click.option("--gold-dir", type=click.Path(file_okay=False, path_type=Path), default=GOLD, show_default=True)
@click.option("--c", "c", type=float, default=C, show_default=True, help="Inverse regularisation strength.")
def evaluate_cmd(gold_dir: Path, c: float) -> None:
    """Grouped CV on dev + train1 (thresholds), train2, grouped CV on all development notes."""
    click.echo(json.dumps(_rounded(evaluate(gold_dir, c)), indent=1))


@main.command("train")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--gold-dir", type=click.Path(file_okay=False, path_type=Path), default=GOLD, show_default=True)
@click.option("--force", is_flag=True, help="Write the model even when train2 F1 does not rise.")
def train_cmd(out: Path, gold_dir: Path, force: bool) -> None:
    """Run the protocol and write the model fitted on dev + train1 with the chosen thresholds."""
    res = evaluate(gold_dir)
    figures = _rounded(res)
    click.echo(json.dumps(figures, indent=1))
    enabled = [lab for lab, th in res["thresholds"].items() if th is not None]
    t2 = res["train2"]
    rises = bool(enabled) and all(t2["combined"][lab]["f1"] > t2["rules"][lab]["f1"] for lab in enabled) \
        and t2["combined"]["micro_all"]["f1"] > t2["rules"]["micro_all"]["f1"]
    if not rises and not force:
        raise click.ClickException("train2 F1 does not rise for the enabled labels: no model written")
    meta = {"seed": SEED, "C": C, "min_df": MIN_DF, "trained_on": "corpora/gold dev (40) + train1 (60 notes)",
            "figures": {k: figures[k] for k in ("thresholds", "cv_dev_train1", "train2", "cv_all")}}
    data = export(res["_model"], res["thresholds"], meta)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    click.echo(f"model written to {out}")


if __name__ == "__main__":
    main()
