"""BoilerplateModel: template sentences learnt across patients; saved as hashes, never text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from timelines import genuine_visit, make_note, render

from driftcheck.errors import ModelError
from driftcheck.similarity import BoilerplateModel, PatientIndex, build_boilerplate, sentence_key
from driftcheck.text.pipeline import process

TEMPLATE_LINE = "Risks, benefits and alternatives were discussed and the patient agreed to proceed."


def _corpus(n_patients: int = 8) -> list[tuple[str, str]]:
    rows = []
    for p in range(n_patients):
        for v in range(2):
            fields = genuine_visit(p + v, seed=p)
            fields["plan"] = f"{fields['plan']} {TEMPLATE_LINE}"
            rows.append((f"P{p}", render(fields)))
    # one narrative shared by two patients only: reuse, not template
    rows.append(("P0", "HISTORY OF PRESENT ILLNESS: He slipped on the loading dock ramp on Tuesday and twisted his back."))
    rows.append(("P1", "HISTORY OF PRESENT ILLNESS: He slipped on the loading dock ramp on Tuesday and twisted his back."))
    return rows


@pytest.fixture(scope="module")
def model() -> BoilerplateModel:
    return BoilerplateModel(min_patients=5, min_share=0.02).fit((pid, process(t)) for pid, t in _corpus())


def test_sentences_shared_by_many_patients_are_template(model: BoilerplateModel) -> None:
    assert model.is_boilerplate(sentence_key(TEMPLATE_LINE))
    assert model.is_boilerplate(sentence_key("Penicillin causes hives."))
    assert not model.is_boilerplate(
        sentence_key("He slipped on the loading dock ramp on Tuesday and twisted his back."))
    assert model.n_patients_ == 8


def test_save_load_round_trip_holds_hashes_only(model: BoilerplateModel, tmp_path: Path) -> None:
    path = tmp_path / "bp.json"
    model.save(path)
    raw = path.read_text(encoding="utf-8")
    assert "Risks" not in raw and "hives" not in raw.lower()
    data = json.loads(raw)
    assert data["format"] == "driftcheck-boilerplate" and data["version"] == 1
    loaded = BoilerplateModel.load(path)
    assert loaded.hashes_ == model.hashes_
    assert loaded.is_boilerplate(sentence_key(TEMPLATE_LINE))


def test_load_rejects_other_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something-else"}', encoding="utf-8")
    with pytest.raises(ModelError, match="D-E005"):
        BoilerplateModel.load(bad)
    stale = tmp_path / "stale.json"
    stale.write_text(json.dumps({"format": "driftcheck-boilerplate", "version": 1, "key_version": "key-0",
                                 "hashes": []}), encoding="utf-8")
    with pytest.raises(ModelError, match="rebuild"):
        BoilerplateModel.load(stale)


def test_build_boilerplate_from_jsonl(tmp_path: Path) -> None:
    notes = tmp_path / "notes.jsonl"
    with notes.open("w", encoding="utf-8") as fh:
        for i, (pid, text) in enumerate(_corpus()):
            fh.write(json.dumps({"patient_id": pid, "note_id": f"N{i}", "date": "2024-01-01", "text": text}) + "\n")
    out = tmp_path / "m" / "boilerplate.json"
    model = build_boilerplate(notes, out)
    assert out.exists() and len(model) > 0
    assert BoilerplateModel.load(out).is_boilerplate(sentence_key(TEMPLATE_LINE))


def test_template_text_is_carried_but_not_counted(model: BoilerplateModel) -> None:
    fields = genuine_visit(0)
    fields["plan"] = f"{fields['plan']} {TEMPLATE_LINE}"
    first = render(fields)
    second_fields = dict(genuine_visit(1))
    second_fields["plan"] = f"{second_fields['plan']} {TEMPLATE_LINE}"
    second = render(second_fields)
    index = PatientIndex(model)
    index.add(make_note(first, 0), process(first))
    sim = index.compare(make_note(second, 1), process(second))
    at = second.index("Risks, benefits")
    span = next(c for c in sim.carried if c.start == at)
    assert span.boilerplate
    assert sim.is_fresh(at, at + 10) == (True, None)  # template is not stale evidence
    assert not sim.cloned


def test_shipped_model_loads_when_present() -> None:
    model = BoilerplateModel.default()
    if model is None:
        pytest.skip("models/boilerplate/boilerplate.json not built in this checkout")
    assert model.n_patients_ > 0 and len(model) > 0
