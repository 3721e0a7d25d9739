"""The same narrative in different patients' notes (MAC: "exactly the same from patient to patient").

Only exact sentence keys are indexed (hash -> ids): cross-patient search runs over a whole
practice, so it must be a hash lookup, and a reused narrative is normally pasted whole. Template
sentences are excluded twice: by the trained boilerplate model, and by the index itself once a
key has been seen for ``template_patients`` distinct patients. Only clinical sentences of
reasonable length count, because short lines ("No acute distress.") coincide by chance.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

from driftcheck.model import CarriedSpan, Note
from driftcheck.similarity.boilerplate import BoilerplateModel
from driftcheck.similarity.keys import content_words, key_hash, sentence_key, sentence_numbers
from driftcheck.text.pipeline import TextDoc

TABLE = "similarity_crosspatient"
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    key_hash   INTEGER NOT NULL,
    patient_id TEXT    NOT NULL,
    note_id    TEXT    NOT NULL,
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    PRIMARY KEY (key_hash, note_id, start)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS {TABLE}_note ON {TABLE} (note_id);
"""


@dataclass(frozen=True, slots=True)
class _Hit:
    patient_id: str
    note_id: str
    start: int
    end: int


#: Sections whose text is templated per provider rather than written per patient.
NON_NARRATIVE = frozenset({"procedure", "indication", "exam", "vitals", "results", "pain", "time",
                           "chief_complaint"})


class CrossPatientIndex:
    """Sentence-key hashes of many patients' notes, in memory or in the SQLite history store.

    Args:
        boilerplate: trained template model; its keys are never indexed.
        conn: an open ``sqlite3.Connection`` (the history store's ``.conn``); when given the
            index lives in table ``similarity_crosspatient`` there (created if missing), holding
            only hashes and ids. Without it the index is an in-memory dict (batch runs).
        min_chars: shortest sentence (normalised key length) considered narrative.
        min_words: fewest content words a sentence needs.
        template_patients: a key seen for this many distinct patients is template, not reuse.

    Batch use: ``add`` every note first, then call ``matches`` for each, so the result does not
    depend on the order patients are processed in.
    """

    def __init__(self, boilerplate: BoilerplateModel | None = None, conn: sqlite3.Connection | None = None,
                 *, min_chars: int = 40, min_words: int = 5, template_patients: int = 5) -> None:
        self.boilerplate = boilerplate
        self.conn = conn
        self.min_chars = min_chars
        self.min_words = min_words
        self.template_patients = template_patients
        self._mem: dict[int, list[_Hit]] = {}
        if conn is not None:
            conn.executescript(_SCHEMA)

    def _keys(self, doc: TextDoc) -> Iterator[tuple[int, int, int]]:
        """``(hash, start, end)`` of the note's narrative clinical sentences.

        Only narrative sections count (history, assessment, plan): exam findings, procedure
        descriptions and indications are legitimately templated per provider and collide across
        patients. Numbers are part of the key here (unlike same-patient matching): another
        patient's "79-year-old man referred for low back pain" is not this patient's
        "76-year-old man ..." — different facts, same template.
        """
        for sent in doc.sentences:
            if not sent.clinical or sent.section in NON_NARRATIVE:
                continue
            text = doc.text[sent.start : sent.end]
            key = sentence_key(text)
            if len(key) < self.min_chars or len(content_words(text)) < self.min_words:
                continue
            if self.boilerplate is not None and self.boilerplate.is_boilerplate_hash(key_hash(key)):
                continue
            yield key_hash(key + "|" + "#".join(sentence_numbers(text))), sent.start, sent.end

    def add(self, note: Note, doc: TextDoc) -> None:
        """Index one note (idempotent for the SQLite table; re-adding replaces nothing)."""
        rows = [(h, note.patient_id, note.note_id, a, b) for h, a, b in self._keys(doc)]
        if self.conn is not None:
            self.conn.executemany(f"INSERT OR IGNORE INTO {TABLE} VALUES (?, ?, ?, ?, ?)", rows)
            return
        for h, pid, nid, a, b in rows:
            hits = self._mem.setdefault(h, [])
            if len(hits) < 64 and not any(x.note_id == nid and x.start == a for x in hits):
                hits.append(_Hit(pid, nid, a, b))

    def _lookup(self, h: int) -> list[_Hit]:
        if self.conn is None:
            return self._mem.get(h, [])
        cur = self.conn.execute(
            f'SELECT patient_id, note_id, start, "end" FROM {TABLE} WHERE key_hash = ? LIMIT 64', (h,))
        return [_Hit(*row) for row in cur]

    def matches(self, note: Note, doc: TextDoc) -> list[CarriedSpan]:
        """Sentences of ``note`` found verbatim (after normalisation) in other patients' notes.

        Each span names the other note (``source_note_id``) and its offsets there; a key used by
        ``template_patients`` or more patients is treated as template and skipped.
        """
        out: list[CarriedSpan] = []
        for h, a, b in self._keys(doc):
            hits = self._lookup(h)
            patients = {x.patient_id for x in hits}
            if len(patients | {note.patient_id}) >= self.template_patients:
                continue
            others = [x for x in hits if x.patient_id != note.patient_id]
            if not others:
                continue
            src = min(others, key=lambda x: (x.note_id, x.start))
            out.append(CarriedSpan(a, b, src.note_id, src.start, src.end, 100.0, "exact", False))
        return out

    def remove(self, note_id: str) -> None:
        """Forget one note (re-ingested or deleted)."""
        if self.conn is not None:
            self.conn.execute(f"DELETE FROM {TABLE} WHERE note_id = ?", (note_id,))
            return
        for hits in self._mem.values():
            hits[:] = [x for x in hits if x.note_id != note_id]
