"""PAIN_SCORE ``scale``: x/10 is NRS unless the note calls it VAS (ANNOTATION.md), per section."""

from __future__ import annotations

import pytest

from tests.extract.extract_helpers import statements_of

CASES = [
    # (note text, expected scale of every PAIN_SCORE statement in it)
    ("HISTORY OF PRESENT ILLNESS\n\nShe rates her pain 6/10 today.\n", ["nrs"]),
    ("HISTORY OF PRESENT ILLNESS\n\nPain is 7/10 on the visual analog scale.\n", ["vas"]),
    ("PAIN ASSESSMENT (VAS):\nCurrent pain: 2/10.\nWorst pain: 7/10.\n", ["vas", "vas"]),
    ("PAIN ASSESSMENT\nVisual Analogue Scale used.\nCurrent pain: 4/10.\n", ["vas"]),
    # the VAS block is its own section: the HPI score keeps the default
    ("PAIN ASSESSMENT (VAS):\nCurrent pain: 2/10.\n\nHISTORY OF PRESENT ILLNESS:\nShe rates her pain as 6/10 today.\n",
     ["vas", "nrs"]),
    # a VAS mention elsewhere in the note, not in the score's section
    ("HISTORY OF PRESENT ILLNESS:\nShe rates her pain as 6/10 today.\n\nPLAN:\nRepeat VAS at next visit.\n", ["nrs"]),
]


@pytest.mark.parametrize(("text", "scales"), CASES)
def test_scale_follows_the_section_naming_vas(extractor, text, scales):
    found = statements_of(extractor, text, "PAIN_SCORE")
    assert [s.attrs["scale"] for s in found] == scales


def test_a_cached_line_takes_the_scale_of_the_note_it_is_in(extractor):
    """The line cache holds the sentence reading; the section reading is redone per note."""
    line = "Current pain: 2/10.\n"
    named = statements_of(extractor, "PAIN ASSESSMENT (VAS):\n" + line, "PAIN_SCORE")
    plain = statements_of(extractor, "PAIN ASSESSMENT:\n" + line, "PAIN_SCORE")
    assert [s.attrs["scale"] for s in named] == ["vas"]
    assert [s.attrs["scale"] for s in plain] == ["nrs"]
