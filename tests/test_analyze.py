"""The orchestrator: timelines in date order, draft checks, caches that never change answers."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from driftcheck.analyze import Analyzer
from driftcheck.ingest import read_claims, read_notes
from driftcheck.persist import NoteCache
from driftcheck.store import HistoryStore

DEMO = Path(__file__).resolve().parents[1] / "corpora" / "demo"


@pytest.fixture(scope="module")
def demo() -> tuple[list, list]:
    return list(read_notes(DEMO)), list(read_claims(DEMO))


def _codes(result) -> list[tuple[str | None, str, str | None]]:
    return [(f.note_id, f.code, f.claim_id) for f in result.findings]


def test_note_order_does_not_matter(demo) -> None:
    notes, claims = demo
    p02 = [n for n in notes if n.patient_id == "p02"]
    analyzer = Analyzer()
    assert _codes(analyzer.analyze_patient(p02, claims)) == _codes(analyzer.analyze_patient(p02[::-1], claims))


def test_check_note_matches_the_batch_answer_and_is_stable_when_cached(demo) -> None:
    notes, claims = demo
    p02 = sorted((n for n in notes if n.patient_id == "p02"), key=lambda n: n.sort_key())
    draft = replace(p02[2], status="draft")
    batch = Analyzer().analyze_patient(p02[:3], [c for c in claims if c.patient_id == "p02"])
    batch_codes = [(f.code, f.claim_id) for f in batch.findings if f.note_id == draft.note_id]
    analyzer = Analyzer()
    history_claims = [c for c in claims if c.note_id in {n.note_id for n in p02[:2]}]
    own = [c for c in claims if c.note_id == draft.note_id]
    first = analyzer.check_note(draft, p02, history_claims, own)
    second = analyzer.check_note(draft, p02, history_claims, own)  # history index from the cache
    assert _codes(first) == _codes(second)
    assert sorted((f.code, f.claim_id) for f in first.findings) == sorted(batch_codes)
    assert any(f.code == "DC101" for f in first.findings)


def test_store_cache_gives_the_same_statements(demo, tmp_path: Path) -> None:
    notes, _ = demo
    with HistoryStore(tmp_path / "h.sqlite") as store:
        store.add_notes(notes)
        cached = Analyzer(note_cache=NoteCache(store))
        for note in notes:
            cached.analyse_text(note)  # fills the store
        fresh_process = Analyzer(note_cache=NoteCache(store))
        plain = Analyzer()
        for note in notes[:8]:
            doc_a, st_a = fresh_process.analyse_text(note)
            doc_b, st_b = plain.analyse_text(note)
            assert (doc_a.sections, doc_a.sentences, doc_a.blocks) == (doc_b.sections, doc_b.sentences, doc_b.blocks)
            assert st_a == st_b
        assert fresh_process.note_cache.hits == 8


def test_no_real_note_is_cloned_as_a_one_note_patient_through_the_whole_pipeline() -> None:
    """Issue 2 acceptance on real text, through every stage and every DC1xx rule."""
    import json

    from driftcheck.config import Config
    from driftcheck.model import Note

    external = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "external"
    if not external.is_dir():
        pytest.skip(f"external corpus not found at {external} (shared checkout absent)")
    texts = [json.loads(line)["transcription"] for line in (external / "mtsamples_pain_related.jsonl").open()]
    texts += [json.loads(line)["note"] for line in (external / "aci_bench_pain_related.jsonl").open()]
    analyzer = Analyzer(Config().replace(select=("DC1",)))
    from datetime import date

    cloned = []
    for k, text in enumerate(texts):
        res = analyzer.analyze_patient([Note(f"x{k}", f"n{k}", date(2025, 1, 1), text)])
        cloned += [k for f in res.findings if f.code in {"DC101", "DC102", "DC103", "DC105", "DC106"}]
    assert len(texts) > 400 and cloned == []


def test_cache_key_changes_when_a_pattern_file_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A changed pattern file must miss the persisted per-note cache (no stale statements)."""
    from driftcheck import persist

    before = persist._data_fingerprint()
    original = Path.read_bytes

    def patched(self: Path) -> bytes:
        data = original(self)
        return data + b" " if self.name == "function.jsonl" else data

    monkeypatch.setattr(Path, "read_bytes", patched)
    assert persist._data_fingerprint() != before


def test_a_configured_boilerplate_model_must_exist(tmp_path: Path) -> None:
    from driftcheck.config import Config
    from driftcheck.errors import ModelError

    with pytest.raises(ModelError, match="not found"):
        Analyzer(Config(boilerplate_model=tmp_path / "missing.json"))
