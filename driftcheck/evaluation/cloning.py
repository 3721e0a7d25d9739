"""Score cloning verdicts (note level) and carried-forward spans (character level).

Note level answers the product question — would a reviewer call this note cloned — so it is
the headline. Character level, where labels mark copied spans, checks that the evidence we show
points at the right text. The by-kind table shows *which* kinds of notes (e.g. a synthetic
generator's scenarios: verbatim clone, reworded clone, genuine follow-up) get flagged, which a
single F1 hides.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from driftcheck.evaluation.records import CloneLabel, prf, rate

#: by_kind bucket for labelled notes that carry no ``kind``.
UNSPECIFIED_KIND = "unspecified"


def _char_set(spans: Iterable[Sequence[Any]], limit: int | None) -> set[int]:
    """Characters covered by ``(start, end, ...)`` spans, clipped to ``[0, limit)``.

    Sets make overlapping or duplicated spans count once, which is what "characters flagged as
    copied" means. Notes are a few thousand characters, so this stays cheap.
    """
    chars: set[int] = set()
    for span in spans:
        start, end = max(0, int(span[0])), int(span[1])
        if limit is not None:
            end = min(end, limit)
        if end > start:
            chars.update(range(start, end))
    return chars


def score_cloning(
    labels: Mapping[str, CloneLabel],
    predicted: Mapping[str, bool],
    predicted_spans: Mapping[str, Iterable[Sequence[Any]]] | None = None,
    texts_len: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """Score note-level cloning verdicts and, where possible, copied-character spans.

    Args:
        labels: note id -> gold label (from :func:`~driftcheck.evaluation.loaders.load_cloning_labels`).
            Only these notes are scored.
        predicted: note id -> "flagged as cloned". A labelled note missing here counts as not
            flagged (the pipeline said nothing about it); extra ids are ignored.
        predicted_spans: note id -> predicted carried-forward spans ``(start, end, ...)``
            (e.g. ``(CarriedSpan.start, CarriedSpan.end)`` of non-boilerplate spans). ``None``
            disables character scoring.
        texts_len: note id -> text length, used to clip spans to the text.

    Returns:
        ``{"note": {p, r, f1, tp, fp, fn}, "chars": {"p", "r", "f1", "tp", "fp", "fn",
        "notes"} | None, "by_kind": {kind: {"n", "cloned", "flagged", "rate"}} | None}``
        (``cloned``: how many of the kind the labels call cloned; ``rate``: flagged / n).
        Character scores pool all notes whose label has ``copied_spans`` (``[]`` included: it
        says nothing was copied, so any predicted character there is a false positive); they
        are ``None`` when no label has spans or no spans were predicted. ``by_kind`` is ``None``
        when no label has a ``kind``; notes without one are counted under ``"unspecified"``.
    """
    tp = fp = fn = 0
    for note_id, label in labels.items():
        flagged = bool(predicted.get(note_id, False))
        tp += flagged and label.cloned
        fp += flagged and not label.cloned
        fn += label.cloned and not flagged
    note = prf(tp, fp, fn)

    chars: dict[str, Any] | None = None
    with_spans = [nid for nid, lab in labels.items() if lab.copied_spans is not None]
    if predicted_spans is not None and with_spans:
        c_tp = c_fp = c_fn = 0
        for note_id in with_spans:
            limit = texts_len.get(note_id) if texts_len is not None else None
            gold_chars = _char_set(labels[note_id].copied_spans or (), limit)
            pred_chars = _char_set(predicted_spans.get(note_id, ()), limit)
            both = len(gold_chars & pred_chars)
            c_tp, c_fp, c_fn = c_tp + both, c_fp + len(pred_chars) - both, c_fn + len(gold_chars) - both
        chars = {**prf(c_tp, c_fp, c_fn), "notes": len(with_spans)}

    by_kind: dict[str, Any] | None = None
    if any(lab.kind is not None for lab in labels.values()):
        n = Counter[str]()
        flagged_n = Counter[str]()
        cloned_n = Counter[str]()
        for note_id, label in labels.items():
            kind = label.kind if label.kind is not None else UNSPECIFIED_KIND
            n[kind] += 1
            flagged_n[kind] += bool(predicted.get(note_id, False))
            cloned_n[kind] += label.cloned
        by_kind = {
            kind: {
                "n": n[kind],
                "cloned": cloned_n[kind],
                "flagged": flagged_n[kind],
                "rate": rate(flagged_n[kind], n[kind]),
            }
            for kind in sorted(n)
        }
    return {"note": note, "chars": chars, "by_kind": by_kind}
