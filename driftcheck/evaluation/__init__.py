"""Accuracy against gold files: loaders, pure scorers and tables for ``driftcheck eval``.

Everything here is pure (gold + predictions in, dicts out) so the CLI owns running the pipeline
and the scorers can be proven on hand-made cases. ``driftcheck.eval`` re-exports this API.
"""

from __future__ import annotations

from driftcheck.evaluation.billing import score_billing
from driftcheck.evaluation.cloning import score_cloning
from driftcheck.evaluation.extraction import (
    as_pred_span,
    attr_equal,
    match_lenient,
    score_extraction,
    split_sentences,
)
from driftcheck.evaluation.loaders import load_billing_truth, load_cloning_labels, load_extraction_gold
from driftcheck.evaluation.records import LABELS, CloneLabel, GoldDoc, GoldSpan, PredSpan, Problem, prf
from driftcheck.evaluation.tables import format_table

__all__ = [
    "LABELS",
    "CloneLabel",
    "GoldDoc",
    "GoldSpan",
    "PredSpan",
    "Problem",
    "as_pred_span",
    "attr_equal",
    "format_table",
    "load_billing_truth",
    "load_cloning_labels",
    "load_extraction_gold",
    "match_lenient",
    "prf",
    "score_billing",
    "score_cloning",
    "score_extraction",
    "split_sentences",
]
