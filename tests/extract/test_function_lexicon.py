"""FUNCTION: returns to work or activities, sleep broken by the complaint ("wakes her up"),
"could barely walk", longer activity-provokes-pain phrases, and phrasings that must stay out
(injury mechanism, a drug that stopped working, quitting a habit). Phrasings are written for these tests, not taken from any gold note.

Each row: text, whether an asserted FUNCTION statement is expected.
"""

from __future__ import annotations

import pytest

from driftcheck.extract.statements import Extractor
from driftcheck.text.pipeline import TextProcessor


def _asserted(extractor: Extractor, text: str):
    return [s for s in extractor.extract(TextProcessor().process(text)) if s.label == "FUNCTION" and s.asserted]


@pytest.mark.parametrize(
    "text, asserted",
    [
        ("Her back pain is worse while gardening.", True),
        # return to work or activities
        ("He returned to work last week.", True),
        ("She has returned to her normal activities.", True),
        # non-pain symptoms brought on by an activity; sleep broken by the complaint
        ("The pain is worse at night and wakes her up.", True),
        ("Walking more than a block causes pain.", True),
        ('She states she could "barely walk".', True),
        # not FUNCTION: injury mechanism, a drug that stopped working, quitting a habit
        ("She states she injured it while skiing.", False),
        ("The patient states he was golfing and hurt his back.", False),
        ("He felt a pop and immediate pain while golfing.", False),
        ("He was walking when he felt a sharp pain in his back.", False),
        ("The ibuprofen stopped working.", False),
        ("He quit smoking.", False),
        ("She has an inability to hold her urine.", False),
    ],
)
def test_when_activity_phrasing_then_asserted_or_not(extractor, text, asserted):
    found = _asserted(extractor, text)
    assert bool(found) is asserted, [(s.pattern_id, text[s.start:s.end]) for s in found]
