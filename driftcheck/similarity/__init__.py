"""The similarity stage: what a note carried forward, from where, and whether it documents change.

Public API (the analyze stage calls exactly this)::

    index = PatientIndex(boilerplate=BoilerplateModel.default())
    for note, doc in patient_notes_in_date_order:
        sim = index.compare(note, doc)   # vs every note added so far
        index.add(note, doc)

plus :class:`BoilerplateModel` (template sentences learnt across patients),
:func:`build_boilerplate` (``driftcheck model build-boilerplate NOTES OUT``) and
:class:`CrossPatientIndex` (the same narrative in different patients' notes).
"""

from __future__ import annotations

from driftcheck.similarity.align import PatientIndex, SimilarityOptions
from driftcheck.similarity.boilerplate import BoilerplateModel, build_boilerplate
from driftcheck.similarity.crosspatient import CrossPatientIndex
from driftcheck.similarity.keys import KEY_VERSION, key_hash, sentence_key
from driftcheck.similarity.result import (
    CHANGE_KINDS,
    DuplicateBlock,
    Measurement,
    NoteSimilarity,
    SectionSimilarity,
    merge_spans,
)

__all__ = [
    "CHANGE_KINDS",
    "KEY_VERSION",
    "BoilerplateModel",
    "CrossPatientIndex",
    "DuplicateBlock",
    "Measurement",
    "NoteSimilarity",
    "PatientIndex",
    "SectionSimilarity",
    "SimilarityOptions",
    "build_boilerplate",
    "key_hash",
    "merge_spans",
    "sentence_key",
]
