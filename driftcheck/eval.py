"""Accuracy against gold files (``driftcheck eval``): the public facade.

The implementation lives in :mod:`driftcheck.evaluation` (loaders, extraction, cloning,
billing, tables); this module keeps the import path DESIGN.md names stable for the CLI.
"""

from __future__ import annotations

from driftcheck.evaluation import (
    LABELS,
    CloneLabel,
    GoldDoc,
    GoldSpan,
    PredSpan,
    Problem,
    as_pred_span,
    attr_equal,
    format_table,
    load_billing_truth,
    load_cloning_labels,
    load_extraction_gold,
    match_lenient,
    prf,
    score_billing,
    score_cloning,
    score_extraction,
    split_sentences,
)

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
