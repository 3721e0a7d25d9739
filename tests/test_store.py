"""HistoryStore: idempotent, versioned, private, schema-checked, fast enough for pre-sign checks."""

from __future__ import annotations

import os
import sqlite3
import stat
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from driftcheck.errors import StoreError
from driftcheck.ingest import IngestSummary, read_claims, read_notes
from driftcheck.model import ClaimLine, Note, RowError
from driftcheck.store import SCHEMA_VERSION, AddResult, HistoryStore, default_db_path, text_sha256

DATA = Path(__file__).resolve().parent / "ingest" / "data"


def note(note_id: str, day: int, text: str = "Pain 5/10.", patient_id: str = "P1", **kw: object) -> Note:
    return Note(
        patient_id=patient_id, note_id=note_id, date=date(2024, 1, 1) + timedelta(days=day), text=text, **kw
    )


@pytest.fixture
def store(tmp_path: Path):
    with HistoryStore(tmp_path / "h.sqlite") as s:
        yield s


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_store_file_is_0600_in_0700_folders_even_with_a_lax_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = tmp_path / "a" / "b" / "history.sqlite"
        with HistoryStore(path) as s:
            s.add_notes([note("N1", 0)])
            wal = Path(str(path) + "-wal")
            assert _mode(path) == 0o600
            assert wal.exists() and _mode(wal) == 0o600  # SQLite copies the db file's mode
        assert _mode(tmp_path / "a") == 0o700 and _mode(tmp_path / "a" / "b") == 0o700
    finally:
        os.umask(old)


def test_store_uses_wal_and_records_schema_version(store: HistoryStore) -> None:
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.schema_version == SCHEMA_VERSION


def test_store_refuses_a_newer_schema(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    HistoryStore(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    conn.close()
    with pytest.raises(
        StoreError, match=rf"\[D-E004\] h.sqlite has schema version {SCHEMA_VERSION + 1}.*newer"
    ):
        HistoryStore(path)


def test_store_refuses_foreign_databases_and_garbage(tmp_path: Path) -> None:
    foreign = tmp_path / "other.sqlite"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE patients (id TEXT)")
    conn.close()
    with pytest.raises(StoreError, match="not a driftcheck history store"):
        HistoryStore(foreign)
    garbage = tmp_path / "notes.csv"
    garbage.write_bytes(b"patient_id,note_id,date,text\n" * 200)
    with pytest.raises(StoreError, match="cannot open history store notes.csv"):
        HistoryStore(garbage)


def test_store_persists_across_reopen(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    with HistoryStore(path) as s:
        s.add_notes([note("N1", 0)])
    with HistoryStore(path) as s:
        assert s.note("N1") == note("N1", 0)


def test_default_db_path_is_in_the_user_data_folder() -> None:
    path = default_db_path()
    assert path.name == "history.sqlite" and "driftcheck" in str(path.parent)


def test_add_notes_is_idempotent(store: HistoryStore) -> None:
    batch = [note("N1", 0), note("N2", 30, "Pain 4/10.")]
    assert store.add_notes(batch) == AddResult(added=2)
    assert store.add_notes(batch) == AddResult(unchanged=2)
    assert store.counts()["note_versions"] == 2


def test_add_notes_skips_drafts(store: HistoryStore) -> None:
    result = store.add_notes([note("N1", 0), note("N2", 1, status="draft")])
    assert result == AddResult(added=1, skipped_draft=1)
    assert store.note("N2") is None


def test_new_text_under_a_known_note_id_is_a_new_version(store: HistoryStore) -> None:
    store.add_notes([note("N1", 0, "Pain 5/10.")])
    assert store.add_notes([note("N1", 0, "Pain 5/10. Addendum: MRI reviewed.")]) == AddResult(new_versions=1)
    assert store.note("N1").text.endswith("MRI reviewed.")
    assert [n.text for n in store.note_versions("N1")] == ["Pain 5/10.", "Pain 5/10. Addendum: MRI reviewed."]
    # Re-running the old export does not flip the current version back.
    assert store.add_notes([note("N1", 0, "Pain 5/10.")]) == AddResult(unchanged=1)
    assert store.note("N1").text.endswith("MRI reviewed.")
    assert store.counts()["notes"] == 1


def test_corrected_metadata_is_a_new_version(store: HistoryStore) -> None:
    store.add_notes([note("N1", 0)])
    assert store.add_notes([note("N1", 1)]) == AddResult(new_versions=1)
    assert store.note("N1").date == date(2024, 1, 2)


def test_notes_for_returns_the_timeline(store: HistoryStore) -> None:
    store.add_notes(
        [note("N3", 60), note("N1", 0), note("N2b", 30), note("N2a", 30), note("X1", 5, patient_id="P2")]
    )
    assert [n.note_id for n in store.notes_for("P1")] == ["N1", "N2a", "N2b", "N3"]
    assert [n.note_id for n in store.notes_for("P1", before=date(2024, 1, 31))] == ["N1"]  # strictly before
    assert [n.note_id for n in store.notes_for("P1", exclude_note_id="N2a")] == ["N1", "N2b", "N3"]
    assert store.notes_for("nobody") == []
    assert store.patients() == ["P1", "P2"]


def test_add_claims_idempotent_and_versioned(store: HistoryStore) -> None:
    line = ClaimLine(claim_id="C1", code="64483", note_id="N1", modifiers=("LT",), diagnoses=("M54.16",))
    assert store.add_claims([line]) == AddResult(added=1)
    assert store.add_claims([line]) == AddResult(unchanged=1)
    assert store.add_claims([replace(line, units=2)]) == AddResult(new_versions=1)
    assert store.counts()["claim_lines"] == 1 and store.counts()["claim_line_versions"] == 2


def test_claims_for_links_lines_by_note_or_by_patient(store: HistoryStore) -> None:
    store.add_notes([note("N1", 0), note("N9", 0, patient_id="P2")])
    store.add_claims(
        [
            ClaimLine(claim_id="C1", code="99214", note_id="N1", modifiers=("25",)),
            ClaimLine(claim_id="C1", code="64483", note_id="N1", line=2),
            ClaimLine(claim_id="C0", code="99213", patient_id="P1", date=date(2023, 12, 1)),
            ClaimLine(claim_id="C9", code="99213", note_id="N9"),
        ]
    )
    lines = store.claims_for("P1")
    assert [c.line_id for c in lines] == ["C0#1", "C1#1", "C1#2"]
    assert lines[1].patient_id == "P1" and lines[1].date == date(2024, 1, 1)  # filled from note N1
    assert lines[1].modifiers == ("25",)
    assert [c.line_id for c in store.claims_for_note("N1")] == ["C1#1", "C1#2"]


def test_add_rejects_row_errors(store: HistoryStore) -> None:
    with pytest.raises(TypeError, match="RowError"):
        store.add_notes([RowError("f.csv", 2, "date", "bad")])  # type: ignore[list-item]


def test_cache_round_trip_by_note_sha_and_kind(store: HistoryStore) -> None:
    sha = text_sha256("Pain 5/10.")
    assert store.cache_get("N1", sha, "sentences/v1") is None
    store.cache_put("N1", sha, "sentences/v1", b"\x00\x01payload")
    store.cache_put("N1", sha, "statements/v1", b"other")
    assert store.cache_get("N1", sha, "sentences/v1") == b"\x00\x01payload"
    assert store.cache_get("N1", text_sha256("Pain 4/10."), "sentences/v1") is None
    assert store.cache_get("N1", sha, "sentences/v2") is None
    store.cache_put("N1", sha, "sentences/v1", b"new")
    assert store.cache_get("N1", sha, "sentences/v1") == b"new"
    assert store.cache_clear("sentences/") == 1
    assert store.counts()["cache_entries"] == 1


def test_fixtures_ingest_end_to_end_twice(tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "h.sqlite") as s:
        summary = IngestSummary()
        first = s.add_notes(summary.track(read_notes(DATA / "notes.csv")))
        s.add_claims(summary.track(read_claims(DATA / "claims.csv")))
        assert first == AddResult(added=4, skipped_draft=1)
        assert (summary.notes_ok, summary.claims_ok, summary.rows_skipped) == (5, 5, 0)
        assert s.add_notes(n for n in read_notes(DATA / "notes.csv") if isinstance(n, Note)) == AddResult(
            unchanged=4, skipped_draft=1
        )
        assert [c.code for c in s.claims_for("P001")] == ["99214", "64483", "99213"]


def test_memory_store_for_tests(tmp_path: Path) -> None:
    with HistoryStore(":memory:") as s:
        s.add_notes([note("N1", 0)])
        assert s.counts()["notes"] == 1


def test_history_lookup_uses_an_index_not_a_table_scan(tmp_path: Path) -> None:
    """A 24-visit history must load in milliseconds from a big store: the query plan proves it
    uses an index on the patient (timings belong in benchmarks/, not in unit tests)."""
    with HistoryStore(tmp_path / "h.sqlite") as s:
        s.add_notes(note(f"P{p}-N{v}", v * 14, patient_id=f"P{p}") for p in range(20) for v in range(24))
        history = s.notes_for("P15", before=date(2025, 1, 1))
        assert len(history) == 24
        plan = " ".join(str(row) for row in s.conn.execute(
            "EXPLAIN QUERY PLAN SELECT * FROM notes WHERE patient_id = ? AND is_current = 1", ("P15",)))
        assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, plan


# Model-based property: the store behaves like a dict of version lists.
pool = st.builds(
    note,
    note_id=st.sampled_from(["N1", "N2", "N3"]),
    day=st.integers(0, 2),
    text=st.sampled_from(["Pain 5/10.", "Pain 4/10.", "Pain 4/10, walking more."]),
)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(pool, max_size=12))
def test_store_matches_a_simple_version_model(batch: list[Note]) -> None:
    model: dict[str, list[Note]] = {}
    with HistoryStore(":memory:") as s:
        result = s.add_notes(batch)
        for n in batch:
            versions = model.setdefault(n.note_id, [])
            if n not in versions:
                versions.append(n)
        assert result.added == len(model)
        assert result.added + result.new_versions == sum(len(v) for v in model.values())
        for note_id, versions in model.items():
            assert s.note(note_id) == versions[-1]
            assert s.note_versions(note_id) == versions
        assert s.add_notes(batch).unchanged == len(batch)
