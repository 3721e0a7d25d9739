"""Score extracted statements against an extraction gold set.

Three views of the same predictions, because each answers a different question:

* **strict** — exact ``start``/``end`` and label. Punishes every boundary disagreement, which is
  mostly annotation style; useful to watch boundary drift.
* **lenient** — any character overlap with the same label, one-to-one. The number that says
  whether the extractor *found the statement*, which is what rules depend on.
* **sentence** — per sentence of the text: does it hold a gold span of the label, and does it
  hold a predicted one. Robust to boundary style and to how a statement is split into spans.

Lenient matching (one-to-one, per note and label): every (gold, predicted) pair that overlaps by
at least one character is a candidate; candidates are taken greedily by larger overlap in
characters, then smaller boundary distance ``|Δstart| + |Δend|``, then gold order, then
prediction order; a pair is kept only if neither side is already matched. So two predictions
over one gold span give 1 tp and 1 fp, and one long prediction over two gold spans gives 1 tp
and 1 fn. Strict matching is one-to-one on identical offsets.

Precision/recall conventions: see :func:`driftcheck.evaluation.records.prf` (0.0 when the
denominator is 0; the counts are always reported).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from driftcheck.evaluation.records import LABELS, GoldDoc, GoldSpan, PredSpan, prf, rate
from driftcheck.model import frozen_attrs

#: Absolute tolerance when comparing numeric attributes (minutes, weeks, percent, score).
NUMBER_TOLERANCE = 0.05

_ABBREVIATIONS = frozenset(
    {
        "dr", "mr", "mrs", "ms", "st", "vs", "etc", "approx", "no", "fig", "jr", "sr", "prof",
        "e.g", "i.e", "a.m", "p.m", "p.o", "b.i.d", "t.i.d", "q.i.d", "q.d", "h.s", "p.r.n", "u.s",
    }
)  # fmt: skip
_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*(?=\s+[\"'(\[]?[A-Z0-9•\-*])")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split a note into sentence bounds with a small, predictable rule set.

    Why not the spaCy pipeline: the scorer must not depend on the component under test, and a
    rule set that fits in a docstring makes sentence-level scores reproducible. Rules:

    1. every line break ends a sentence (clinical notes put list items, vitals and headings on
       their own lines, and the gold notes are not hard-wrapped);
    2. inside a line, ``.``, ``!`` or ``?`` (optionally followed by a closing quote/bracket)
       ends a sentence when whitespace and then an upper-case letter, digit, opening quote or
       bracket, bullet or dash follow — unless the word before the period is a common
       abbreviation (Dr., Mrs., e.g., p.o., ...) or a single letter (an initial);
    3. bounds are trimmed of surrounding whitespace and empty pieces are dropped.

    Returns:
        ``(start, end)`` character offsets into ``text``, in order, non-overlapping.
    """
    bounds: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        piece_start = 0
        for match in _SENTENCE_END.finditer(line):
            word = _WORD_BEFORE.search(line, 0, match.start())
            if (
                word
                and match.group().startswith(".")
                and (len(word.group(1)) == 1 or word.group(1).lower().rstrip(".") in _ABBREVIATIONS)
            ):
                continue
            _add_trimmed(bounds, line, line_start, piece_start, match.end())
            piece_start = match.end()
        _add_trimmed(bounds, line, line_start, piece_start, len(line))
    return bounds


def _add_trimmed(out: list[tuple[int, int]], line: str, offset: int, a: int, b: int) -> None:
    piece = line[a:b]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        out.append((offset + a + lead, offset + a + lead + len(stripped)))


def as_pred_span(obj: Any) -> PredSpan | None:
    """Turn one prediction into a :class:`PredSpan`, or ``None`` when it is not asserted.

    Accepts a PredSpan/GoldSpan, a mapping ``{"start", "end", "label", "attrs"?}``, a tuple
    ``(start, end, label[, attrs])``, or any object with those attributes (e.g.
    ``driftcheck.model.Statement``). Objects or mappings whose ``asserted`` is False (negated,
    hypothetical, about another person) are dropped, because DESIGN.md says negated statements
    are not spans; pass them filtered if you want them counted.
    """
    if isinstance(obj, PredSpan):
        return obj
    if isinstance(obj, Mapping):
        if obj.get("asserted", True) is False:
            return None
        return PredSpan(int(obj["start"]), int(obj["end"]), str(obj["label"]), frozen_attrs(obj.get("attrs")))
    if isinstance(obj, tuple | list):
        attrs = obj[3] if len(obj) > 3 else None
        return PredSpan(int(obj[0]), int(obj[1]), str(obj[2]), frozen_attrs(attrs))
    if getattr(obj, "asserted", True) is False:
        return None
    return PredSpan(int(obj.start), int(obj.end), str(obj.label), frozen_attrs(getattr(obj, "attrs", None)))


def _overlap(a: GoldSpan | PredSpan, b: GoldSpan | PredSpan) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def match_lenient(gold: Sequence[GoldSpan], pred: Sequence[PredSpan]) -> list[tuple[int, int]]:
    """One-to-one overlap matching of spans of one label in one note (module docstring rule).

    Returns:
        ``(gold index, prediction index)`` pairs, sorted by gold index.
    """
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            ov = _overlap(g, p)
            if ov > 0:
                candidates.append((-ov, abs(g.start - p.start) + abs(g.end - p.end), gi, pi))
    candidates.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, _, gi, pi in candidates:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return sorted(pairs)


def _strict_tp(gold: Sequence[GoldSpan], pred: Sequence[PredSpan]) -> int:
    remaining = Counter((g.start, g.end) for g in gold)
    tp = 0
    for p in pred:
        key = (p.start, p.end)
        if remaining[key] > 0:
            remaining[key] -= 1
            tp += 1
    return tp


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def _modalities(value: Any) -> frozenset[str]:
    if value is None:
        return frozenset()
    items = value if isinstance(value, list | tuple) else str(value).split(",")
    return frozenset(str(m).strip().lower() for m in items if str(m).strip())


def attr_equal(name: str, gold: Any, pred: Any) -> bool:
    """Compare one attribute value the way a reviewer would.

    ``modality`` compares as a set of the comma-joined modalities (order and spacing are style);
    numbers (or numeric strings) are equal within :data:`NUMBER_TOLERANCE`; ``None`` equals only
    ``None`` (a missing predicted attribute counts as ``None``); other values compare as
    case-insensitive, stripped strings.
    """
    if name == "modality":
        return _modalities(gold) == _modalities(pred)
    if gold is None or pred is None:
        return gold is None and pred is None
    g_num, p_num = _as_number(gold), _as_number(pred)
    if g_num is not None and p_num is not None:
        return abs(g_num - p_num) <= NUMBER_TOLERANCE + 1e-9
    return str(gold).strip().lower() == str(pred).strip().lower()


def _sum(counts: Iterable[dict[str, Any]]) -> dict[str, Any]:
    tp = fp = fn = 0
    for c in counts:
        tp, fp, fn = tp + c["tp"], fp + c["fp"], fn + c["fn"]
    return prf(tp, fp, fn)


def score_extraction(
    gold_docs: Sequence[GoldDoc],
    predicted: Mapping[str, Iterable[Any]],
    labels: Collection[str] | None = None,
    sentence_bounds: Mapping[str, Sequence[tuple[int, int]]] | None = None,
) -> dict[str, Any]:
    """Score predicted spans against gold documents (strict, lenient, sentence, attrs, negation).

    Args:
        gold_docs: from :func:`~driftcheck.evaluation.loaders.load_extraction_gold`.
        predicted: note id -> predicted spans (anything :func:`as_pred_span` accepts). A gold
            note without an entry has no predictions; entries for notes not in the gold set are
            ignored and counted in ``ignored.pred_notes_not_in_gold``.
        labels: labels to score. Default: the six DESIGN.md labels plus any other label found in
            the gold. Predictions with other labels are ignored (an extractor may emit labels
            nobody annotated; they are neither right nor wrong here) and counted in
            ``ignored.pred_spans_other_labels``.
        sentence_bounds: note id -> sentence bounds to use instead of :func:`split_sentences`
            (e.g. the text stage's sentences), for any subset of notes.

    Returns:
        ``{"labels": {LABEL: {"strict", "lenient", "sentence": {p, r, f1, tp, fp, fn},
        "gold": n, "predicted": n}}, "micro": {"strict", "lenient", "sentence"},
        "negation": {"total", "not_extracted", "rate", "by_label"}, "attrs": {LABEL: {attr:
        {"n", "correct", "accuracy"}}}, "docs": n, "ignored": {...}}``.
        ``attrs`` counts, over lenient-matched pairs, each attribute the *gold* span carries.
        ``negation.rate`` is the share of gold negated mentions that no predicted span of the
        same label overlaps (higher is better; ``None`` when there are none).

    Raises:
        ValueError: a predicted span has ``end <= start`` or lies outside its note's text (a
            pipeline bug that would otherwise skew the scores silently).
    """
    if labels is None:
        found = {s.label for d in gold_docs for s in (*d.spans, *d.negated)}
        labels = [*LABELS, *sorted(found - set(LABELS))]
    labels = list(dict.fromkeys(labels))
    label_set = set(labels)
    counts: dict[str, dict[str, list[dict[str, Any]]]] = {
        lab: {"strict": [], "lenient": [], "sentence": []} for lab in labels
    }
    n_gold = Counter[str]()
    n_pred = Counter[str]()
    attrs: dict[str, dict[str, list[int]]] = {}
    neg_total = Counter[str]()
    neg_missed = Counter[str]()
    ignored_spans = 0
    gold_ids = {d.note_id for d in gold_docs}

    for doc in gold_docs:
        preds: list[PredSpan] = []
        for obj in predicted.get(doc.note_id, ()):
            span = as_pred_span(obj)
            if span is None:
                continue
            if not 0 <= span.start < span.end <= len(doc.text):
                raise ValueError(
                    f"note {doc.note_id}: predicted {span.label} span {span.start}-{span.end} "
                    f"is outside the text (length {len(doc.text)}) or empty"
                )
            if span.label not in label_set:
                ignored_spans += 1
                continue
            preds.append(span)
        sentences = (
            list(sentence_bounds[doc.note_id])
            if sentence_bounds is not None and doc.note_id in sentence_bounds
            else split_sentences(doc.text)
        )
        for lab in labels:
            g = [s for s in doc.spans if s.label == lab]
            p = [s for s in preds if s.label == lab]
            n_gold[lab] += len(g)
            n_pred[lab] += len(p)
            tp = _strict_tp(g, p)
            counts[lab]["strict"].append({"tp": tp, "fp": len(p) - tp, "fn": len(g) - tp})
            pairs = match_lenient(g, p)
            counts[lab]["lenient"].append(
                {"tp": len(pairs), "fp": len(p) - len(pairs), "fn": len(g) - len(pairs)}
            )
            s_tp = s_fp = s_fn = 0
            for a, b in sentences:
                in_g = any(s.start < b and s.end > a for s in g)
                in_p = any(s.start < b and s.end > a for s in p)
                s_tp += in_g and in_p
                s_fp += in_p and not in_g
                s_fn += in_g and not in_p
            counts[lab]["sentence"].append({"tp": s_tp, "fp": s_fp, "fn": s_fn})
            for gi, pi in pairs:
                for name, gold_value in g[gi].attrs.items():
                    tally = attrs.setdefault(lab, {}).setdefault(name, [0, 0])
                    tally[0] += 1
                    tally[1] += attr_equal(name, gold_value, p[pi].attrs.get(name))
        for neg in doc.negated:
            if neg.label not in label_set:
                continue
            neg_total[neg.label] += 1
            if not any(p.label == neg.label and _overlap(neg, p) > 0 for p in preds):
                neg_missed[neg.label] += 1

    per_label = {
        lab: {
            **{view: _sum(counts[lab][view]) for view in ("strict", "lenient", "sentence")},
            "gold": n_gold[lab],
            "predicted": n_pred[lab],
        }
        for lab in labels
    }
    total, missed = sum(neg_total.values()), sum(neg_missed.values())
    return {
        "labels": per_label,
        "micro": {
            view: _sum(per_label[lab][view] for lab in labels) for view in ("strict", "lenient", "sentence")
        },
        "negation": {
            "total": total,
            "not_extracted": missed,
            "rate": rate(missed, total),
            "by_label": {
                lab: {
                    "total": neg_total[lab],
                    "not_extracted": neg_missed[lab],
                    "rate": rate(neg_missed[lab], neg_total[lab]),
                }
                for lab in labels
                if neg_total[lab]
            },
        },
        "attrs": {
            lab: {
                name: {"n": n, "correct": ok, "accuracy": rate(ok, n)}
                for name, (n, ok) in sorted(attrs[lab].items())
            }
            for lab in labels
            if lab in attrs
        },
        "docs": len(gold_docs),
        "ignored": {
            "pred_notes_not_in_gold": len(set(predicted) - gold_ids),
            "pred_spans_other_labels": ignored_spans,
        },
    }
