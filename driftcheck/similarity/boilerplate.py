"""The boilerplate model: sentences a clinic's template puts in every patient's note.

Template text ("Risks, benefits and alternatives were discussed", "No acute distress") repeats
from visit to visit because the EHR inserts it, not because a note was cloned. The model learns
it the way Landi et al. (between-patient redundancy) and TRACE (frequency fallback) do: a
sentence key that recurs across many *different* patients is template. Keys are stored as
64-bit hashes only, so a saved model holds no note text and no PHI.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from driftcheck.errors import ModelError
from driftcheck.fileio import open_private
from driftcheck.shipped import shipped_model
from driftcheck.similarity.keys import KEY_VERSION, has_measurement, key_hash, sentence_key
from driftcheck.text.pipeline import TextDoc, TextProcessor

log = logging.getLogger(__name__)

FORMAT = "driftcheck-boilerplate"
FORMAT_VERSION = 1
#: Where the shipped model lives (checkout or installed data files; see models/boilerplate/README.md).
DEFAULT_MODEL_PATH = shipped_model("boilerplate/boilerplate.json")


@dataclass(frozen=True)
class BoilerplateParams:
    """When a sentence key counts as template.

    Attributes:
        min_patients: distinct patients the key must appear for. Five keeps a provider who
            reuses one narrative for two or three patients visible to DC105 instead of
            whitelisting it as template.
        min_share: share of all patients the key must appear for (10 %). A clinic's template
            line is in most patients' notes; a phrase shared by a few percent of patients is
            narrative reuse (DC105's business) or a common clinical sentence, and treating it as
            template hides fresh change and carried copies alike. On the synthetic corpus, 2 %
            turned most clinical sentences into "template" (recall of clones 0.76); 10 % keeps
            precision 0.97 / recall 0.94.
        min_chars: keys shorter than this are ignored (too short to matter either way).
    """

    min_patients: int = 5
    min_share: float = 0.1
    min_chars: int = 8


class BoilerplateModel:
    """Sentence keys that recur across many different patients (sklearn-style estimator).

    Args:
        min_patients, min_share, min_chars: see :class:`BoilerplateParams`.

    Attributes (after :meth:`fit` or :meth:`load`):
        hashes_: the set of template key hashes.
        n_patients_: patients seen in training; n_notes_: notes seen.
    """

    def __init__(self, min_patients: int = 5, min_share: float = 0.1, min_chars: int = 8) -> None:
        self.params = BoilerplateParams(min_patients, min_share, min_chars)
        self.hashes_: frozenset[int] = frozenset()
        self.n_patients_ = 0
        self.n_notes_ = 0

    def fit(self, docs: Iterable[tuple[str, TextDoc]]) -> BoilerplateModel:
        """Learn template keys from ``(patient_id, TextDoc)`` pairs of many patients.

        Memory is bounded by distinct keys (a small int set per key, capped at the threshold).
        """
        patients: dict[int, set[str]] = {}
        seen_patients: set[str] = set()
        n_notes = 0
        for patient_id, doc in docs:
            seen_patients.add(patient_id)
            n_notes += 1
            for sent in doc.sentences:
                text = doc.text[sent.start : sent.end]
                key = sentence_key(text)
                if len(key) < self.params.min_chars or has_measurement(text):
                    continue  # measurements are never template (see PatientIndex)
                holders = patients.setdefault(key_hash(key), set())
                if len(holders) < max(self.params.min_patients, 1) * 4:
                    holders.add(patient_id)
        self.n_patients_ = len(seen_patients)
        self.n_notes_ = n_notes
        need = max(self.params.min_patients, self.params.min_share * self.n_patients_)
        self.hashes_ = frozenset(h for h, holders in patients.items() if len(holders) >= need)
        log.info("boilerplate model: %d template keys from %d notes of %d patients",
                 len(self.hashes_), n_notes, self.n_patients_)
        return self

    def is_boilerplate(self, key: str) -> bool:
        """Whether a sentence key (:func:`~driftcheck.similarity.keys.sentence_key`) is template."""
        return key_hash(key) in self.hashes_

    def is_boilerplate_hash(self, h: int) -> bool:
        """Same as :meth:`is_boilerplate` for an already hashed key."""
        return h in self.hashes_

    def __len__(self) -> int:
        return len(self.hashes_)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: versioned, parameters, counts and sorted hashes (no text)."""
        return {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "key_version": KEY_VERSION,
            "hash": "blake2b-64",
            "params": {
                "min_patients": self.params.min_patients,
                "min_share": self.params.min_share,
                "min_chars": self.params.min_chars,
            },
            "n_patients": self.n_patients_,
            "n_notes": self.n_notes_,
            "hashes": [f"{h & 0xFFFFFFFFFFFFFFFF:016x}" for h in sorted(self.hashes_)],
        }

    def save(self, path: str | Path) -> None:
        """Write the model as JSON (never pickle: a model file must be safe to open)."""
        with open_private(path) as fh:  # 0600 like every file driftcheck writes
            fh.write(json.dumps(self.to_dict(), indent=1) + "\n")

    @classmethod
    def load(cls, path: str | Path) -> BoilerplateModel:
        """Read a model written by :meth:`save`; raise ModelError naming the problem."""
        try:
            raw = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelError(f"boilerplate model {path}: cannot read ({type(exc).__name__})") from None
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            raise ModelError(f"boilerplate model {path}: not a {FORMAT} file")
        if raw.get("version") != FORMAT_VERSION:
            raise ModelError(f"boilerplate model {path}: version {raw.get('version')!r}, expected {FORMAT_VERSION}")
        if raw.get("key_version") != KEY_VERSION:
            raise ModelError(f"boilerplate model {path}: built with key function {raw.get('key_version')!r}, "
                             f"this driftcheck uses {KEY_VERSION!r}; rebuild it (models/boilerplate/README.md)")
        params = raw.get("params", {})
        model = cls(int(params.get("min_patients", 5)), float(params.get("min_share", 0.1)),
                    int(params.get("min_chars", 8)))
        try:
            model.hashes_ = frozenset(int.from_bytes(bytes.fromhex(h), "big", signed=True) for h in raw["hashes"])
        except (KeyError, TypeError, ValueError):
            raise ModelError(f"boilerplate model {path}: 'hashes' must be a list of 16-digit hex strings") from None
        model.n_patients_ = int(raw.get("n_patients", 0))
        model.n_notes_ = int(raw.get("n_notes", 0))
        return model

    @classmethod
    def default(cls) -> BoilerplateModel | None:
        """The shipped model from ``models/boilerplate/``, or None if this install lacks it."""
        if not DEFAULT_MODEL_PATH.exists():
            return None
        return cls.load(DEFAULT_MODEL_PATH)


def read_note_texts(notes_path: str | Path) -> Iterator[tuple[str, str]]:
    """``(patient_id, text)`` of the signed notes of any supported notes input.

    Uses the ingest stage's readers (CSV, JSONL, folder, FHIR; encoding fallbacks), so model
    building accepts exactly what ``scan`` accepts; unreadable rows are counted in the log.
    """
    from driftcheck.ingest import read_notes
    from driftcheck.model import RowError

    skipped = 0
    for item in read_notes(Path(notes_path)):
        if isinstance(item, RowError):
            skipped += 1
        elif item.status != "draft":
            yield item.patient_id, item.text
    if skipped:
        log.warning("%s: skipped %d unreadable rows", notes_path, skipped)


def build_boilerplate(notes_path: str | Path, out_path: str | Path, *, min_patients: int = 5,
                      min_share: float = 0.1) -> BoilerplateModel:
    """Train a boilerplate model on a notes file and save it (``driftcheck model build-boilerplate``).

    Train on synthetic or de-identified corpora only: the model stores hashes, but the choice
    of corpus is what decides whose template it learns.
    """
    processor = TextProcessor()
    docs = ((pid, processor.process(text)) for pid, text in read_note_texts(notes_path))
    model = BoilerplateModel(min_patients=min_patients, min_share=min_share).fit(docs)
    model.save(out_path)
    return model
