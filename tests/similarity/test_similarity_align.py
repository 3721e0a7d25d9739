"""Acceptance tests of the clone judgement on synthetic timelines (clone injection, Cohen 2013).

Genuine follow-ups carry PMH, medications, ROS and template but change history, scores, exam
or plan: not cloned. Verbatim and lightly edited copies (numbers nudged, words swapped,
sentences reordered, scores spelled out): cloned, naming the source visit.
"""

from __future__ import annotations

import pytest
from timelines import genuine_visit, light_edit, make_note, nudge_numbers, render, spelled_scores, swap_words

from driftcheck.similarity import NoteSimilarity, PatientIndex, SimilarityOptions
from driftcheck.text.pipeline import process


def run(texts: list[str], options: SimilarityOptions | None = None) -> list[NoteSimilarity]:
    """Compare-then-add every text as one patient's timeline."""
    index = PatientIndex(options=options)
    out = []
    for i, text in enumerate(texts):
        note, doc = make_note(text, i), process(text)
        out.append(index.compare(note, doc))
        index.add(note, doc)
    return out


GENUINE = [render(genuine_visit(i)) for i in range(6)]


def test_first_visit_is_never_cloned() -> None:
    sim = run(GENUINE[:1])[0]
    assert not sim.cloned and sim.prior_notes == 0 and sim.carried == ()
    assert sim.main_source_note_id is None


def test_genuine_follow_ups_carry_template_but_are_not_cloned() -> None:
    sims = run(GENUINE)
    for sim in sims[1:]:
        assert not sim.cloned, sim.reason
        assert sim.fraction_vs_any > 0.3  # PMH, meds, allergies, social, ROS carried legitimately
        assert sim.changed
    # the carried medication list is carried, but the history of each visit is fresh
    assert any(c.source_note_id == "P1-V01" for c in sims[1].carried)


@pytest.mark.parametrize("change", ["hpi", "exam_plan", "scores_response"])
def test_follow_up_changing_one_kind_of_content_is_not_cloned(change: str) -> None:
    base = genuine_visit(0)
    follow = dict(base)
    if change == "hpi":
        follow["hpi"] = genuine_visit(1)["hpi"]
    elif change == "exam_plan":
        follow["exam"] = genuine_visit(1)["exam"]
        follow["plan"] = genuine_visit(1)["plan"]
    else:
        follow.update(pain=3, worst=5, odi=24)
        follow["hpi"] = base["hpi"] + " After the injection he had about 70 percent relief lasting six weeks."
    sims = run([render(base), render(follow)])
    assert not sims[1].cloned, sims[1].reason
    expected = {"hpi": "interval_history", "exam_plan": "exam", "scores_response": "procedure_response"}[change]
    assert expected in sims[1].changed


def test_verbatim_copy_is_cloned_and_names_source() -> None:
    sims = run([*GENUINE[:3], GENUINE[2]])
    sim = sims[3]
    assert sim.cloned and sim.main_source_note_id == "P1-V03"
    assert sim.clinical_fraction == 1.0 and sim.fraction_vs_last == 1.0
    assert "P1-V03" in sim.reason
    assert set(sim.missing_change) >= {"interval_history", "exam", "plan"}
    assert all(c.kind == "exact" for c in sim.carried)


@pytest.mark.parametrize("seed", range(8))
def test_lightly_edited_copy_is_cloned(seed: int) -> None:
    edited = light_edit(GENUINE[3], seed)
    assert edited != GENUINE[3]
    sims = run([*GENUINE[:4], edited])
    sim = sims[4]
    assert sim.cloned, sim.reason
    assert sim.main_source_note_id == "P1-V04"
    assert sim.clinical_fraction >= 0.9


def test_spelled_out_scores_compare_equal_to_digits() -> None:
    sims = run([GENUINE[0], spelled_scores(GENUINE[0])])
    sim = sims[1]
    assert sim.cloned
    pain = [m for m in sim.measurements if m.kind == "pain"]
    assert pain and all(m.unchanged for m in pain)
    assert "six" not in sim.reason and "out of" not in sim.reason


def test_numbers_nudged_count_as_changed_values_but_not_documented_change() -> None:
    import random

    nudged = nudge_numbers(GENUINE[0], random.Random(1))
    sim = run([GENUINE[0], nudged])[1]
    assert sim.cloned  # a one-point nudge does not rescue a copied note
    assert "pain_score" in sim.changed
    assert all(not m.meaningful for m in sim.measurements)
    assert sim.carried_numbers_changed
    # a statement inside a sentence whose score was updated today is fresh
    m = next(m for m in sim.measurements if m.kind == "pain")
    assert sim.is_fresh(m.start, m.end) == (True, None)


def test_meaningful_score_change_is_documented_change() -> None:
    follow = dict(genuine_visit(0), pain=3, worst=4, odi=20)
    sim = run([render(genuine_visit(0)), render(follow)])[1]
    pain = [m for m in sim.measurements if m.kind == "pain"]
    assert pain[0].previous_value == 7 and pain[0].value == 3 and pain[0].meaningful
    assert not sim.cloned
    assert "pain_score" in sim.changed and "function" in sim.changed


def test_is_fresh_marks_carried_text_stale_with_its_source() -> None:
    follow = dict(genuine_visit(0), hpi=genuine_visit(1)["hpi"])
    texts = [render(genuine_visit(0)), render(follow)]
    sim = run(texts)[1]
    exam_at = texts[1].index("Straight leg raise")
    assert sim.is_fresh(exam_at, exam_at + 20) == (False, "P1-V01")
    hpi_at = texts[1].index("transforaminal epidural steroid injection three weeks")
    assert sim.is_fresh(hpi_at, hpi_at + 30) == (True, None)


def test_carried_spans_point_into_both_original_texts() -> None:
    texts = [GENUINE[0], swap_words(GENUINE[0], 4)]
    sim = run(texts)[1]
    fuzzy = [c for c in sim.carried if c.kind == "fuzzy"]
    assert fuzzy
    for c in sim.carried:
        assert 0 <= c.start < c.end <= len(texts[1])
        assert 0 <= c.source_start < c.source_end <= len(texts[0])
        if c.kind == "exact":
            assert texts[1][c.start : c.end].lower().split() == texts[0][c.source_start : c.source_end].lower().split() \
                or any(ch.isdigit() for ch in texts[1][c.start : c.end])


def test_section_streaks_count_unchanged_visits() -> None:
    texts = [GENUINE[0], GENUINE[0], GENUINE[0], GENUINE[1]]
    sims = run(texts)
    assert sims[1].section("exam").streak == 1
    assert sims[2].section("exam").streak == 2 and sims[2].section("exam").unchanged
    assert sims[2].section("exam").source_note_id == "P1-V02"
    assert sims[3].section("hpi").streak == 0


def test_measurement_streak_and_pairing_by_slot() -> None:
    sims = run([GENUINE[0]] * 3)
    worst = [m for m in sims[2].measurements if m.kind == "pain"][1]
    assert worst.value == 9 and worst.previous_value == 9 and worst.streak == 2
    assert worst.previous_note_id == "P1-V02"
    odi = next(m for m in sims[2].measurements if m.kind == "odi")
    assert odi.unchanged and odi.streak == 2


def test_within_note_duplicate_block_is_found() -> None:
    text = GENUINE[0].replace("ASSESSMENT: ", "ASSESSMENT: " + genuine_visit(0)["hpi"] + " ")
    sim = run([text])[0]
    assert any(b.sentences >= 3 for b in sim.duplicates)
    block = max(sim.duplicates, key=lambda b: b.sentences)
    assert text[block.start : block.end] == text[block.first_start : block.first_end]


def test_results_hold_no_note_text() -> None:
    sim = run([GENUINE[0], light_edit(GENUINE[0], 3)])[1]
    for word in ("gabapentin", "warehouse", "radicular", "Penicillin"):
        assert word.lower() not in repr(sim).lower()


def test_polarity_flip_in_an_otherwise_copied_sentence_is_change() -> None:
    base = render(genuine_visit(0))
    flipped = base.replace("Straight leg raise positive on the left at 45 degrees.",
                           "Straight leg raise negative on the right at 45 degrees.")
    sim = run([base, flipped])[1]
    at = flipped.index("Straight leg raise negative")
    assert sim.is_fresh(at, at + 20) == (True, None)


def test_reworded_sentence_without_new_words_is_not_change() -> None:
    base = render(genuine_visit(0))
    reworded = base.replace("Tenderness over the left L5-S1 paraspinals.",
                            "Tender to palpation over the left L5-S1 paraspinals.")
    sim = run([base, reworded])[1]
    assert sim.cloned and "exam" in sim.missing_change
