"""Synthetic longitudinal corpus generator (notes, claims and exact ground truth).

Public API: :func:`iter_patients` streams one patient's records at a time and
:func:`write_corpus` streams them to the five JSONL files documented in corpora/synth/README.md.
"""

from driftcheck.corpus.synth import KINDS, PatientRecords, iter_patients, write_corpus

__all__ = ["KINDS", "PatientRecords", "iter_patients", "write_corpus"]
