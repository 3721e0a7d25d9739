"""HistoryStore: every signed note and claim line seen so far, per patient, in one SQLite file.

Why a store at all: a pre-sign check of today's note must compare it with the patient's
earlier visits, which arrived in earlier exports. Why SQLite (stdlib ``sqlite3``): one file,
no server, safe concurrent readers in WAL mode, and a 24-visit history is one indexed query.

Guarantees:

* **Idempotent ingest.** Adding the same note twice changes nothing. A note is identified by
  ``note_id`` and its content by a SHA-256 over its text and metadata.
* **Never overwritten.** New content under a known ``note_id`` (an addendum, a corrected
  date) becomes a new *version*; the newest version is current and earlier ones stay
  readable (:meth:`HistoryStore.note_versions`) because an auditor may ask what was billed
  against. Content equal to *any* earlier version counts as unchanged, so re-running an old
  export never flips the current version back.
* **Private file.** The database is created ``0600`` (before SQLite touches it) in folders
  created ``0700``: it holds PHI.
* **Versioned schema.** ``meta.schema_version``; a store written by a newer driftcheck is
  refused with a clear :class:`~driftcheck.errors.StoreError` instead of being misread.

One ``HistoryStore`` per thread; parallel workers each open their own (WAL lets them read
while one writes).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import sqlite3
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import platformdirs

from driftcheck.errors import StoreError
from driftcheck.model import ClaimLine, Note

logger = logging.getLogger(__name__)

#: Version of the tables below. Bump it, and add a step to ``_MIGRATIONS``, on any change.
SCHEMA_VERSION = 1

#: Rows written per transaction during ``add_*``: bounds the WAL file on huge ingests, and
#: is safe because ingest is idempotent (a re-run finishes an interrupted one).
_BATCH = 2000

_SCHEMA = (
    """CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    # One row per version of a note; exactly one version per note_id has is_current = 1.
    """CREATE TABLE notes (
        note_id       TEXT    NOT NULL,
        version       INTEGER NOT NULL,
        is_current    INTEGER NOT NULL,
        patient_id    TEXT    NOT NULL,
        date          TEXT    NOT NULL,  -- ISO date of service; sorts as text
        text          TEXT    NOT NULL,
        text_sha256   TEXT    NOT NULL,  -- cache key for processed text
        record_sha256 TEXT    NOT NULL,  -- text + metadata: decides "unchanged"
        provider_id   TEXT,
        note_type     TEXT,
        payer         TEXT,
        status        TEXT    NOT NULL,
        added_at      TEXT    NOT NULL,
        PRIMARY KEY (note_id, version)
    )""",
    "CREATE INDEX notes_current_by_patient ON notes (patient_id, date, note_id) WHERE is_current = 1",
    """CREATE TABLE claim_lines (
        claim_id      TEXT    NOT NULL,
        line          INTEGER NOT NULL,
        version       INTEGER NOT NULL,
        is_current    INTEGER NOT NULL,
        code          TEXT    NOT NULL,
        note_id       TEXT,
        patient_id    TEXT,
        date          TEXT,
        modifiers     TEXT    NOT NULL,  -- JSON list
        units         INTEGER NOT NULL,
        diagnoses     TEXT    NOT NULL,  -- JSON list
        payer         TEXT,
        record_sha256 TEXT    NOT NULL,
        added_at      TEXT    NOT NULL,
        PRIMARY KEY (claim_id, line, version)
    )""",
    "CREATE INDEX claim_lines_current_by_patient ON claim_lines (patient_id, date) WHERE is_current = 1",
    "CREATE INDEX claim_lines_current_by_note ON claim_lines (note_id) WHERE is_current = 1",
    # Later stages cache per-note derived data (sentences, statements) keyed by the text hash
    # and a kind string carrying their pipeline version, so history is processed once.
    """CREATE TABLE note_cache (
        note_id     TEXT NOT NULL,
        text_sha256 TEXT NOT NULL,
        kind        TEXT NOT NULL,
        payload     BLOB NOT NULL,
        created_at  TEXT NOT NULL,
        PRIMARY KEY (note_id, text_sha256, kind)
    ) WITHOUT ROWID""",
)

#: ``from_version -> statements`` upgrading a store one schema version. Empty until v2.
_MIGRATIONS: dict[int, tuple[str, ...]] = {}

_NOTE_COLUMNS = "patient_id, note_id, date, text, provider_id, note_type, payer, status"
_CLAIM_COLUMNS = "claim_id, line, code, note_id, patient_id, date, modifiers, units, diagnoses, payer"


def default_db_path() -> Path:
    """Where the history store lives unless ``--db`` says otherwise (per-user data folder)."""
    return Path(platformdirs.user_data_dir("driftcheck")) / "history.sqlite"


def text_sha256(text: str) -> str:
    """The hash :meth:`HistoryStore.cache_get` keys on: SHA-256 of the UTF-8 text, hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _record_sha(values: Iterable[Any]) -> str:
    payload = json.dumps(list(values), ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class AddResult:
    """What an ``add_notes``/``add_claims`` call did, for the ingest summary."""

    added: int = 0
    unchanged: int = 0
    new_versions: int = 0
    skipped_draft: int = 0
    conflicts: tuple[str, ...] = ()  # note ids already stored for a different patient (not stored)

    def __add__(self, other: AddResult) -> AddResult:
        return AddResult(
            self.added + other.added,
            self.unchanged + other.unchanged,
            self.new_versions + other.new_versions,
            self.skipped_draft + other.skipped_draft,
            self.conflicts + other.conflicts,
        )


def _make_private_dirs(folder: Path) -> None:
    """Create missing folders top-down with mode 0700 (``mkdir -p`` would use the umask)."""
    missing = []
    current = folder
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another process won the race
            path.mkdir(mode=0o700)


def _create_private_file(path: Path) -> None:
    """Create ``path`` with mode 0600 before SQLite opens it (SQLite would use 0644)."""
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(fd)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077 and os.name == "posix":
        logger.warning("history store is readable by other users (mode %o); it holds PHI: chmod 600 it", mode)


class HistoryStore:
    """Signed notes and claim lines per patient, versioned, in SQLite.

    Args:
        path: database file, or ``":memory:"`` for tests; ``None`` means
            :func:`default_db_path`.

    Raises:
        StoreError: the file cannot be opened, is not a driftcheck store, or was written by a
            newer driftcheck.

    Example::

        with HistoryStore(db_path) as store:
            store.add_notes(n for n in read_notes("notes.csv") if isinstance(n, Note))
            history = store.notes_for("P001", before=date(2024, 6, 1))
    """

    def __init__(self, path: Path | str | None = None) -> None:
        self.path: Path | None
        if str(path) == ":memory:":
            self.path = None
            target = ":memory:"
        else:
            self.path = Path(path).expanduser() if path is not None else default_db_path()
            target = str(self.path)
            try:
                _make_private_dirs(self.path.parent)
                _create_private_file(self.path)
            except OSError as exc:
                raise StoreError(
                    f"cannot create history store {self.path.name} ({exc.strerror or type(exc).__name__})"
                ) from None
        try:
            self.conn: sqlite3.Connection = sqlite3.connect(target, timeout=30.0)
            self._configure()
            self._check_schema()
        except sqlite3.DatabaseError as exc:
            self._close_quietly()
            raise StoreError(f"cannot open history store {self._name()}: {exc}") from None
        except StoreError:
            self._close_quietly()
            raise

    # ---------------------------------------------------------------------------- lifecycle

    def _name(self) -> str:
        return self.path.name if self.path else ":memory:"

    def _configure(self) -> None:
        mode = self.conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if self.path is not None and str(mode).lower() != "wal":
            logger.warning("history store: WAL mode unavailable (journal_mode=%s)", mode)
        # NORMAL is durable across application crashes in WAL mode and much faster than FULL.
        self.conn.execute("PRAGMA synchronous=NORMAL")

    def _check_schema(self) -> None:
        tables = {row[0] for row in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "meta" not in tables:
            if tables:
                raise StoreError(
                    f"{self._name()} is an SQLite database but not a driftcheck history store "
                    "(no meta table); choose another file with --db"
                )
            self._create_schema()
            return
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        try:
            version = int(row[0]) if row else None
        except ValueError:
            version = None
        if version is None:
            raise StoreError(f"{self._name()} has no readable schema_version; it is not a driftcheck store")
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self._name()} has schema version {version}, written by a newer driftcheck; this "
                f"version reads up to {SCHEMA_VERSION}. Upgrade driftcheck, or choose another --db"
            )
        while version < SCHEMA_VERSION:
            steps = _MIGRATIONS.get(version)
            if steps is None:
                raise StoreError(f"{self._name()} has schema version {version}, which cannot be upgraded")
            with self.conn:
                for statement in steps:
                    self.conn.execute(statement)
                version += 1
                self.conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version),))
            logger.info("history store upgraded to schema version %d", version)

    def _create_schema(self) -> None:
        # IMMEDIATE: two processes opening a fresh store at once must not both create it.
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            exists = self.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone()
            if not exists:
                for statement in _SCHEMA:
                    self.conn.execute(statement)
                self.conn.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?)",
                    [("schema_version", str(SCHEMA_VERSION)), ("created_at", _now())],
                )
            self.conn.commit()
        except BaseException:
            self.conn.rollback()
            raise

    def _close_quietly(self) -> None:
        conn = getattr(self, "conn", None)
        if conn is not None:
            conn.close()

    def close(self) -> None:
        """Close the connection (idempotent)."""
        self._close_quietly()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        """The schema version of the open store."""
        return int(self.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0])

    # ---------------------------------------------------------------------------- writing

    def add_notes(self, notes: Iterable[Note]) -> AddResult:
        """Store signed notes; drafts are counted and skipped (only signed notes are history).

        Args:
            notes: Note records (pass RowErrors elsewhere, e.g. through
                ``IngestSummary.track``).

        Returns:
            How many notes were new, unchanged, or stored as a new version of a known note_id.

        Raises:
            TypeError: something other than a Note was passed.
        """
        added = unchanged = new_versions = drafts = 0
        conflicts: list[str] = []
        for chunk in _chunks(notes, _BATCH):
            with self.conn:
                for note in chunk:
                    if not isinstance(note, Note):
                        raise TypeError(f"add_notes takes Note records, got {type(note).__name__}")
                    if note.status == "draft":
                        drafts += 1
                        continue
                    outcome = self._add_note(note)
                    if outcome == "conflict":
                        conflicts.append(note.note_id)
                    added += outcome == "added"
                    unchanged += outcome == "unchanged"
                    new_versions += outcome == "new_version"
        result = AddResult(added, unchanged, new_versions, drafts, tuple(conflicts))
        logger.debug("add_notes: %s", result)
        return result

    def _add_note(self, note: Note) -> str:
        values = (
            note.patient_id,
            note.note_id,
            note.date.isoformat(),
            note.text,
            note.provider_id,
            note.note_type,
            note.payer,
            note.status,
        )
        record_sha = _record_sha(values)
        rows = self.conn.execute(
            "SELECT version, record_sha256, patient_id FROM notes WHERE note_id = ?", (note.note_id,)
        ).fetchall()
        if any(pid != note.patient_id for _, _, pid in rows):
            # Another patient's note under the same id: storing it would make it a "new version"
            # of that patient's note. Refuse instead; the caller reports it as a bad row.
            return "conflict"
        versions = [(v, sha) for v, sha, _ in rows]
        if any(sha == record_sha for _, sha in versions):
            return "unchanged"
        version = max((v for v, _ in versions), default=0) + 1
        if versions:
            self.conn.execute(
                "UPDATE notes SET is_current = 0 WHERE note_id = ? AND is_current = 1", (note.note_id,)
            )
            logger.info("note %s: stored new version %d", note.note_id, version)
        self.conn.execute(
            f"INSERT INTO notes ({_NOTE_COLUMNS}, version, is_current, text_sha256, record_sha256, added_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)",
            (*values, version, text_sha256(note.text), record_sha, _now()),
        )
        return "new_version" if versions else "added"

    def add_claims(self, lines: Iterable[ClaimLine]) -> AddResult:
        """Store claim lines, idempotent on ``(claim_id, line)``; changed content is a new version.

        Raises:
            TypeError: something other than a ClaimLine was passed.
        """
        added = unchanged = new_versions = 0
        for chunk in _chunks(lines, _BATCH):
            with self.conn:
                for line in chunk:
                    if not isinstance(line, ClaimLine):
                        raise TypeError(f"add_claims takes ClaimLine records, got {type(line).__name__}")
                    outcome = self._add_claim(line)
                    added += outcome == "added"
                    unchanged += outcome == "unchanged"
                    new_versions += outcome == "new_version"
        return AddResult(added, unchanged, new_versions)

    def _add_claim(self, line: ClaimLine) -> str:
        values = (
            line.claim_id,
            line.line,
            line.code,
            line.note_id,
            line.patient_id,
            line.date.isoformat() if line.date else None,
            json.dumps(list(line.modifiers)),
            line.units,
            json.dumps(list(line.diagnoses)),
            line.payer,
        )
        record_sha = _record_sha(values)
        versions = self.conn.execute(
            "SELECT version, record_sha256 FROM claim_lines WHERE claim_id = ? AND line = ?",
            (line.claim_id, line.line),
        ).fetchall()
        if any(sha == record_sha for _, sha in versions):
            return "unchanged"
        version = max((v for v, _ in versions), default=0) + 1
        if versions:
            self.conn.execute(
                "UPDATE claim_lines SET is_current = 0 WHERE claim_id = ? AND line = ? AND is_current = 1",
                (line.claim_id, line.line),
            )
        self.conn.execute(
            f"INSERT INTO claim_lines ({_CLAIM_COLUMNS}, version, is_current, record_sha256, added_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
            (*values, version, record_sha, _now()),
        )
        return "new_version" if versions else "added"

    # ---------------------------------------------------------------------------- reading

    def patients(self) -> list[str]:
        """Every patient with a current note or claim line, sorted."""
        rows = self.conn.execute(
            "SELECT patient_id FROM notes WHERE is_current = 1 "
            "UNION SELECT patient_id FROM claim_lines WHERE is_current = 1 AND patient_id IS NOT NULL "
            "ORDER BY 1"
        )
        return [row[0] for row in rows]

    def notes_for(
        self,
        patient_id: str,
        before: date | None = None,
        exclude_note_id: str | None = None,
    ) -> list[Note]:
        """A patient's current notes in timeline order (date, then note_id).

        Args:
            patient_id: the patient.
            before: only notes dated strictly before this date (the history of a visit on
                that date); same-day notes are left out because their order is unknown.
            exclude_note_id: leave this note out (the note being checked, if stored).
        """
        sql = f"SELECT {_NOTE_COLUMNS} FROM notes WHERE is_current = 1 AND patient_id = ?"
        params: list[Any] = [patient_id]
        if before is not None:
            sql += " AND date < ?"
            params.append(before.isoformat())
        if exclude_note_id is not None:
            sql += " AND note_id <> ?"
            params.append(exclude_note_id)
        sql += " ORDER BY date, note_id"
        return [_note_from_row(row) for row in self.conn.execute(sql, params)]

    def note(self, note_id: str) -> Note | None:
        """The current version of ``note_id``, or None."""
        row = self.conn.execute(
            f"SELECT {_NOTE_COLUMNS} FROM notes WHERE note_id = ? AND is_current = 1", (note_id,)
        ).fetchone()
        return _note_from_row(row) if row else None

    def note_versions(self, note_id: str) -> list[Note]:
        """Every stored version of ``note_id``, oldest first (the last one is current)."""
        rows = self.conn.execute(
            f"SELECT {_NOTE_COLUMNS} FROM notes WHERE note_id = ? ORDER BY version", (note_id,)
        )
        return [_note_from_row(row) for row in rows]

    def claims_for(self, patient_id: str) -> list[ClaimLine]:
        """A patient's current claim lines, by date of service, claim and line.

        A line is the patient's if it names the patient, or names a note of the patient. When
        the line left ``patient_id`` or ``date`` out, they are filled in from its note, so
        later stages can place every line on the timeline.
        """
        cols = ", ".join(f"c.{c.strip()}" for c in _CLAIM_COLUMNS.split(","))
        rows = self.conn.execute(
            f"SELECT {cols}, n.patient_id, n.date FROM claim_lines c "
            "LEFT JOIN notes n ON n.note_id = c.note_id AND n.is_current = 1 "
            "WHERE c.is_current = 1 AND c.patient_id = ? "
            f"UNION SELECT {cols}, n.patient_id, n.date FROM notes n "
            "JOIN claim_lines c ON c.note_id = n.note_id AND c.is_current = 1 "
            "WHERE n.is_current = 1 AND n.patient_id = ?",
            (patient_id, patient_id),
        ).fetchall()
        lines = [_claim_from_row(row) for row in rows]
        lines.sort(key=lambda c: (c.date or date.min, c.claim_id, c.line))
        return lines

    def claims_for_note(self, note_id: str) -> list[ClaimLine]:
        """Current claim lines that name ``note_id``, by claim and line."""
        cols = ", ".join(f"c.{c.strip()}" for c in _CLAIM_COLUMNS.split(","))
        rows = self.conn.execute(
            f"SELECT {cols}, n.patient_id, n.date FROM claim_lines c "
            "LEFT JOIN notes n ON n.note_id = c.note_id AND n.is_current = 1 "
            "WHERE c.is_current = 1 AND c.note_id = ? ORDER BY c.claim_id, c.line",
            (note_id,),
        )
        return [_claim_from_row(row) for row in rows]

    def counts(self) -> dict[str, int]:
        """Sizes for ``driftcheck ingest`` output and health checks."""
        one = self.conn.execute
        return {
            "patients": len(self.patients()),
            "notes": one("SELECT count(*) FROM notes WHERE is_current = 1").fetchone()[0],
            "note_versions": one("SELECT count(*) FROM notes").fetchone()[0],
            "claim_lines": one("SELECT count(*) FROM claim_lines WHERE is_current = 1").fetchone()[0],
            "claim_line_versions": one("SELECT count(*) FROM claim_lines").fetchone()[0],
            "cache_entries": one("SELECT count(*) FROM note_cache").fetchone()[0],
        }

    # ---------------------------------------------------------------------------- cache

    def cache_get(self, note_id: str, sha: str, kind: str) -> bytes | None:
        """Cached payload for a note's text (``sha`` = :func:`text_sha256`) and ``kind``.

        ``kind`` should carry the producing pipeline's version (``"sentences/v3"``) so a new
        pipeline never reads an old payload.
        """
        row = self.conn.execute(
            "SELECT payload FROM note_cache WHERE note_id = ? AND text_sha256 = ? AND kind = ?",
            (note_id, sha, kind),
        ).fetchone()
        return bytes(row[0]) if row else None

    def cache_put(self, note_id: str, sha: str, kind: str, payload: bytes) -> None:
        """Store (or replace) a cached payload; committed immediately."""
        with self.conn:
            self.conn.execute(
                "INSERT OR REPLACE INTO note_cache (note_id, text_sha256, kind, payload, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (note_id, sha, kind, sqlite3.Binary(payload), _now()),
            )

    def cache_clear(self, kind_prefix: str | None = None) -> int:
        """Drop cached payloads (all, or those whose kind starts with ``kind_prefix``)."""
        with self.conn:
            if kind_prefix is None:
                cur = self.conn.execute("DELETE FROM note_cache")
            else:
                escaped = kind_prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                cur = self.conn.execute(
                    "DELETE FROM note_cache WHERE kind LIKE ? ESCAPE '\\'", (escaped + "%",)
                )
        return cur.rowcount


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _note_from_row(row: tuple[Any, ...]) -> Note:
    patient_id, note_id, day, text, provider_id, note_type, payer, status = row
    return Note(
        patient_id=patient_id,
        note_id=note_id,
        date=date.fromisoformat(day),
        text=text,
        provider_id=provider_id,
        note_type=note_type,
        payer=payer,
        status=status,
    )


def _claim_from_row(row: tuple[Any, ...]) -> ClaimLine:
    (claim_id, line, code, note_id, patient_id, day, modifiers, units, diagnoses, payer, n_pid, n_day) = row
    day = day or n_day
    return ClaimLine(
        claim_id=claim_id,
        code=code,
        note_id=note_id,
        patient_id=patient_id or n_pid,
        date=date.fromisoformat(day) if day else None,
        modifiers=tuple(json.loads(modifiers)),
        units=units,
        diagnoses=tuple(json.loads(diagnoses)),
        payer=payer,
        line=line,
    )
