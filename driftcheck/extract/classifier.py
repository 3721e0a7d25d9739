"""Sentence classifier that adds recall to the rule extractor (issue 4 item 6), without sklearn.

A per-label logistic regression over TF-IDF features of one text-stage sentence:

- word 1-2-grams (``(?u)\\b\\w\\w+\\b`` tokens, lower-cased, sublinear tf, smooth idf, l2 norm),
- character 3-5-grams inside word boundaries (sklearn's ``char_wb``, same weighting, own l2 norm),
- one indicator feature for the section kind of the sentence.

It is trained by :mod:`driftcheck.evaluation.train_classifier` with scikit-learn and exported to a
versioned JSON file (vocabularies, idf, coefficients, thresholds; no pickle, no note text). This
module re-implements the vectorizers and ``predict_proba`` with plain Python so that
``driftcheck check`` never imports scikit-learn (about 0.4 s of cold start); a test checks the
two agree within 1e-6.

The model is loaded lazily, once per process (:func:`default_model`). A sentence the classifier
scores at or above its label's threshold becomes a statement only when no rule statement of that
label overlaps it (so a sentence the rules found negated is never added): see
:meth:`driftcheck.extract.statements.Extractor.extract`.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from driftcheck.errors import DataFileError
from driftcheck.shipped import shipped_model

FORMAT = "driftcheck-sentence-classifier"
FORMAT_VERSION = 1
#: Where a shipped model would live (checkout or installed data files; none ships today).
DEFAULT_MODEL_PATH = shipped_model("sentence_classifier/sentence_classifier.json")

_TOKEN = re.compile(r"(?u)\b\w\w+\b")
_WHITE = re.compile(r"\s\s+")


def word_ngrams(text: str, lo: int = 1, hi: int = 2) -> list[str]:
    """sklearn's ``analyzer="word"`` with the default token pattern, lower-cased."""
    tokens = _TOKEN.findall(text.lower())
    if hi == 1:
        return tokens
    out = list(tokens) if lo == 1 else []
    n_tok = len(tokens)
    for n in range(max(lo, 2), min(hi, n_tok) + 1):
        out.extend(" ".join(tokens[i:i + n]) for i in range(n_tok - n + 1))
    return out


def char_wb_ngrams(text: str, lo: int = 3, hi: int = 5) -> list[str]:
    """sklearn's ``analyzer="char_wb"``, lower-cased."""
    text = _WHITE.sub(" ", text.lower())
    out: list[str] = []
    for w in text.split():
        w = " " + w + " "
        w_len = len(w)
        for n in range(lo, hi + 1):
            offset = 0
            out.append(w[offset:offset + n])
            while offset + n < w_len:
                offset += 1
                out.append(w[offset:offset + n])
            if offset == 0:  # a short word counts once
                break
    return out


@dataclass(frozen=True)
class _Block:
    """One TF-IDF vectorizer: n-gram -> (column, idf)."""

    analyzer: str
    ngram_range: tuple[int, int]
    sublinear_tf: bool
    vocab: Mapping[str, tuple[int, float]]

    def vector(self, text: str) -> dict[int, float]:
        grams = (word_ngrams if self.analyzer == "word" else char_wb_ngrams)(text, *self.ngram_range)
        counts: dict[str, int] = {}
        for g in grams:
            if g in self.vocab:
                counts[g] = counts.get(g, 0) + 1
        out: dict[int, float] = {}
        for g, c in counts.items():
            col, idf = self.vocab[g]
            tf = 1.0 + math.log(c) if self.sublinear_tf else float(c)
            out[col] = tf * idf
        norm = math.sqrt(sum(v * v for v in out.values()))
        if norm > 0:
            for col in out:
                out[col] /= norm
        return out


class SentenceClassifier:
    """The exported model: ``proba(text, section) -> {label: P(label)}``.

    Args:
        data: the parsed JSON model (see ``models/sentence_classifier/README.md``).
    """

    def __init__(self, data: Mapping[str, Any]) -> None:
        if data.get("format") != FORMAT or data.get("version") != FORMAT_VERSION:
            raise DataFileError(f"not a {FORMAT} v{FORMAT_VERSION} model")
        self.meta = dict(data.get("meta", {}))
        blocks: list[_Block] = []
        for spec in data["vectorizers"]:
            vocab = {gram: (col, float(idf)) for col, (gram, idf) in enumerate(spec["features"])}
            blocks.append(_Block(spec["analyzer"], tuple(spec["ngram_range"]), bool(spec["sublinear_tf"]), vocab))
        self.blocks = tuple(blocks)
        self.labels: dict[str, dict[str, Any]] = {}
        for label, spec in data["labels"].items():
            coefs = [[float(w) for w in block] for block in spec["coef"]]
            if [len(c) for c in coefs] != [len(b.vocab) for b in self.blocks]:
                raise ValueError(f"{label}: coefficients do not match the vocabularies")
            self.labels[label] = {
                "coef": coefs,
                "section_coef": {k: float(v) for k, v in spec.get("section_coef", {}).items()},
                "intercept": float(spec["intercept"]),
                "threshold": None if spec.get("threshold") is None else float(spec["threshold"]),
            }

    @property
    def enabled(self) -> tuple[str, ...]:
        """Labels with a threshold (the ones that may add statements)."""
        return tuple(lab for lab, spec in self.labels.items() if spec["threshold"] is not None)

    def threshold(self, label: str) -> float | None:
        spec = self.labels.get(label)
        return None if spec is None else spec["threshold"]

    def vectors(self, text: str) -> list[dict[int, float]]:
        """The normalized TF-IDF vector of each vectorizer (sparse: column -> value)."""
        return [block.vector(text) for block in self.blocks]

    def proba(self, text: str, section: str, labels: Iterable[str] | None = None) -> dict[str, float]:
        """P(label) of the sentence ``text`` in a section of kind ``section``."""
        vecs = self.vectors(text)
        out: dict[str, float] = {}
        for label in (self.labels if labels is None else labels):
            spec = self.labels[label]
            z = spec["intercept"] + spec["section_coef"].get(section, 0.0)
            for vec, coef in zip(vecs, spec["coef"], strict=True):
                z += sum(v * coef[c] for c, v in vec.items())
            out[label] = _sigmoid(z)
        return out


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def load_model(path: Path | str) -> SentenceClassifier:
    """Read an exported model file.

    Raises:
        DataFileError: the file is missing, not JSON, or not a model of this format/version.
    """
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError) as exc:
        raise DataFileError(f"{path}: cannot read sentence classifier ({type(exc).__name__})") from None
    try:
        return SentenceClassifier(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFileError(f"{path}: malformed sentence classifier ({type(exc).__name__})") from None


_DEFAULT: SentenceClassifier | None = None
_DEFAULT_LOADED = False
_LOCK = threading.Lock()


def default_model() -> SentenceClassifier | None:
    """The shipped model, loaded once per process; ``None`` when it is not installed."""
    global _DEFAULT, _DEFAULT_LOADED
    if not _DEFAULT_LOADED:
        with _LOCK:
            if not _DEFAULT_LOADED:
                _DEFAULT = load_model(DEFAULT_MODEL_PATH) if DEFAULT_MODEL_PATH.exists() else None
                _DEFAULT_LOADED = True
    return _DEFAULT
