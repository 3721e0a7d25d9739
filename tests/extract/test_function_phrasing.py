"""FUNCTION phrasings beyond the dev notes: ability statements, work status, scores, vetoes.

Each row: text, whether an asserted FUNCTION statement is expected. Invalid rows are phrasings
that share a word with a FUNCTION pattern but are not a functional statement (ANNOTATION.md).
"""

from __future__ import annotations

import pytest
from extract_helpers import in_section

_function = in_section("FUNCTION")


@pytest.mark.parametrize(
    "text, asserted",
    [
        # valid: ability and status phrasings without a limitation word
        ("She is able to walk two blocks.", True),
        ("He can sit for 30 minutes.", True),
        ("She is independent with ADLs.", True),
        ("He continues to work full-time.", True),
        ("She works part time.", True),
        ("Sometimes the pain awakens him from his sleep.", True),
        ("He has inability to bear weight on the left leg.", True),
        ("She has pain vocalization with standing and walking.", True),
        ("PERFORMANCE STATUS: Karnofsky score 100.", True),
        ("ECOG performance status 1.", True),
        ("If he sits for a long period, his pain returns.", True),
        ("If he is working with the computer, it is very difficult to use his mouse.", True),
        # invalid: organ function, exam tests, ROM, relief, goals, consent, anesthesia, height
        ("Her liver function tests are within normal limits.", False),
        ("Sexual function is within normal limits.", False),
        ("Testing highlights deficits in working memory.", False),
        ("She is working on diet and exercise.", False),
        ("He is able to ambulate on his toes and heels without difficulty.", False),
        ("The patient is able to perform a straight leg lift.", False),
        ("He is able to bend his knee with pain at the end of motion.", False),
        ("She is able to move her ankle a little bit.", False),
        ("However, they subside when she stands.", False),
        ("He is able to get some pain relief when laying on his side.", False),
        ("The goal is to improve her functional abilities.", False),
        ("The risks including numbness and loss of function were discussed.", False),
        ("The patient was awakened from general anesthetic and taken to recovery.", False),
        ("He stands five feet nine inches in height.", False),
        ("She presents to the preoperative holding area for surgery on her painful bunion.", False),
    ],
)
def test_when_function_phrasing_then_asserted_or_not(extractor, text, asserted):
    found = [s for s in _function(extractor, text) if s.asserted]
    assert bool(found) is asserted, [(s.pattern_id, text[s.start:s.end]) for s in found]


@pytest.mark.parametrize(
    "text, flag",
    [
        # negated
        ("She denies any difficulty walking.", "negated"),
        ("Denies sleep disturbance.", "negated"),
        ("The patient denies any pain with sitting.", "negated"),
        # historical
        ("Prior to the injury he was able to walk two miles.", "historical"),
        # hypothetical: advice and goals are not statements of function
        ("I encouraged the patient to limit repetitive motions while working.", "hypothetical"),
        ("She should be able to sit for greater than 25 minutes.", "hypothetical"),
    ],
)
def test_when_function_in_context_then_flagged(extractor, text, flag):
    found = _function(extractor, text)
    assert found, "no FUNCTION found"
    assert not any(s.asserted for s in found) or flag == "historical"
    assert any(getattr(s, flag) for s in found), [(s.pattern_id, s.negated, s.historical, s.hypothetical)
                                                  for s in found]
