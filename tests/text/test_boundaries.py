"""Sentence boundaries after abbreviations: dosing Latin, titles, units (table-driven)."""

from __future__ import annotations

import pytest

from driftcheck.text.pipeline import TextProcessor

CASES = [
    # (line, expected sentences)
    ("He is to continue the Vicodin p.r.n. pain that he was taking previously.",
     ["He is to continue the Vicodin p.r.n. pain that he was taking previously."]),
    ("MEDICATIONS: Tylenol p.r.n., Ultram p.r.n., Mucinex one tablet b.i.d., Lyrica 75 mg q.h.s.",
     ["Tylenol p.r.n., Ultram p.r.n., Mucinex one tablet b.i.d., Lyrica 75 mg q.h.s."]),
    ("Meloxicam 15 mg q.d. discontinued today, tramadol 50 mg t.i.d. p.r.n. pain.",
     ["Meloxicam 15 mg q.d. discontinued today, tramadol 50 mg t.i.d. p.r.n. pain."]),
    ("She was seen by Dr. Patel last week. Approx. 3 cm of scar tissue was noted.",
     ["She was seen by Dr. Patel last week.", "Approx. 3 cm of scar tissue was noted."]),
    ("He takes Tylenol No. 3 at night for back pain.", ["He takes Tylenol No. 3 at night for back pain."]),
    ("Norco 10/325 mg q.4-6h. p.r.n. severe pain", ["Norco 10/325 mg q.4-6h. p.r.n. severe pain"]),
    ("Took ibuprofen 800 mg. then stopped because of heartburn.",
     ["Took ibuprofen 800 mg. then stopped because of heartburn."]),
    # a capitalised word after a dosing abbreviation is a new sentence
    ("Gabapentin 300 mg t.i.d. She reports less burning in the feet.",
     ["Gabapentin 300 mg t.i.d.", "She reports less burning in the feet."]),
    # ordinary sentence ends are untouched
    ("Her pain is 6/10. She sleeps 4 hours a night.", ["Her pain is 6/10.", "She sleeps 4 hours a night."]),
    ("Pain improved after the block. he is walking more.", ["Pain improved after the block.", "he is walking more."]),
    ("Blood pressure 2.5 mg daily. Recheck in 2 wks.", ["Blood pressure 2.5 mg daily.", "Recheck in 2 wks."]),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_abbreviation_does_not_end_sentence(text: str, expected: list[str]) -> None:
    doc = TextProcessor().process(text)
    assert [doc.sentence_text(s) for s in doc.sentences] == expected


def test_line_break_after_abbreviation_still_starts_a_sentence() -> None:
    doc = TextProcessor().process("Continue tramadol 50 mg b.i.d.\nphysical therapy twice a week.")
    assert [doc.sentence_text(s) for s in doc.sentences] == [
        "Continue tramadol 50 mg b.i.d.", "physical therapy twice a week."]
