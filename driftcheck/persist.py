"""Per-note analysis persisted in the history store, so a new process need not redo it.

A pre-sign ``driftcheck check`` runs in a fresh process: without this, every one of the
patient's earlier notes would be re-tokenised and re-extracted on each check. The text stage
result and the (freshness-free) statements of each stored note are saved as JSON in the store's
per-note cache, keyed by the note text's sha256 and the pipeline versions, so a changed note or
a new pipeline version simply misses. JSON, not pickle: the cache is data, never code.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from importlib import resources
from typing import Any

from driftcheck.extract.statements import EXTRACT_VERSION
from driftcheck.model import Note, Statement, frozen_attrs
from driftcheck.store import HistoryStore, text_sha256
from driftcheck.text.pipeline import PIPELINE_VERSION, Block, Sentence, TextDoc
from driftcheck.text.sections import Section


def _data_fingerprint() -> str:
    """Hash of every packaged file that shapes the analysis (patterns, headers) and the version.

    Version constants are easy to forget to bump when a pattern file changes; hashing the data
    itself means any change to what extraction or sectioning would produce misses the cache.
    """
    from driftcheck import __version__

    digest = hashlib.sha256(__version__.encode())
    for package in ("driftcheck.extract", "driftcheck.text"):
        root = resources.files(package)
        for folder in ("patterns", "data"):
            node = root / folder
            if node.is_dir():
                for item in sorted(node.iterdir(), key=lambda n: n.name):
                    if item.is_file():
                        digest.update(item.name.encode())
                        digest.update(item.read_bytes())
    return digest.hexdigest()[:16]


_FINGERPRINT = _data_fingerprint()
TEXT_KIND = f"textdoc:{PIPELINE_VERSION}:{_FINGERPRINT}"
STATEMENTS_KIND = f"statements:{EXTRACT_VERSION}:{PIPELINE_VERSION}:{_FINGERPRINT}"


def dump_textdoc(doc: TextDoc) -> bytes:
    """Sections, sentences and blocks (not the text itself: the store already holds it)."""
    return json.dumps({
        "sections": [[s.kind, s.title_start, s.title_end, s.start, s.end, s.clinical] for s in doc.sections],
        "sentences": [[s.start, s.end, s.section, s.clinical] for s in doc.sentences],
        "blocks": [[b.start, b.end, b.section, b.clinical] for b in doc.blocks],
    }, separators=(",", ":")).encode()


def load_textdoc(text: str, payload: bytes) -> TextDoc:
    """Rebuild a TextDoc for ``text`` from :func:`dump_textdoc` output."""
    raw = json.loads(payload)
    return TextDoc(
        text=text,
        sections=tuple(Section(*row) for row in raw["sections"]),
        sentences=tuple(Sentence(*row) for row in raw["sentences"]),
        blocks=tuple(Block(*row) for row in raw["blocks"]),
    )


def dump_statements(statements: tuple[Statement, ...]) -> bytes:
    """Statements without freshness (which depends on the history, not on the note)."""
    return json.dumps([
        [s.label, s.start, s.end, dict(s.attrs), s.pattern_id, s.section, s.negated, s.historical,
         s.hypothetical, s.other_person] for s in statements
    ], separators=(",", ":")).encode()


def load_statements(payload: bytes) -> tuple[Statement, ...]:
    """Rebuild statements saved by :func:`dump_statements` (all marked fresh)."""
    out = []
    for label, start, end, attrs, pattern_id, section, neg, hist, hypo, other in json.loads(payload):
        out.append(Statement(label=label, start=start, end=end, attrs=frozen_attrs(attrs), pattern_id=pattern_id,
                             section=section, negated=neg, historical=hist, hypothetical=hypo, other_person=other))
    return tuple(out)


def with_freshness(statements: tuple[Statement, ...], freshness: Any) -> tuple[Statement, ...]:
    """Mark each statement fresh or carried using the similarity stage's ``is_fresh``."""
    out = []
    for s in statements:
        fresh, source = freshness(s.start, s.end)
        fresh = bool(fresh)
        source = None if fresh else source
        # statements are immutable: one already marked this way is reused, not copied
        out.append(s if s.fresh is fresh and s.source_note_id == source else
                   replace(s, fresh=fresh, source_note_id=source))
    return tuple(out)


class NoteCache:
    """Read-through cache of per-note analysis in a :class:`HistoryStore`."""

    def __init__(self, store: HistoryStore) -> None:
        self.store = store
        self.hits = 0
        self.misses = 0

    def get(self, note: Note) -> tuple[TextDoc, tuple[Statement, ...]] | None:
        """The cached analysis of ``note``, or None."""
        sha = text_sha256(note.text)
        doc = self.store.cache_get(note.note_id, sha, TEXT_KIND)
        stmts = self.store.cache_get(note.note_id, sha, STATEMENTS_KIND) if doc is not None else None
        if doc is None or stmts is None:
            self.misses += 1
            return None
        self.hits += 1
        return load_textdoc(note.text, doc), load_statements(stmts)

    def put(self, note: Note, doc: TextDoc, statements: tuple[Statement, ...]) -> None:
        """Save the analysis of a stored (signed) note."""
        sha = text_sha256(note.text)
        self.store.cache_put(note.note_id, sha, TEXT_KIND, dump_textdoc(doc))
        self.store.cache_put(note.note_id, sha, STATEMENTS_KIND, dump_statements(statements))
