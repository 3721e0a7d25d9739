"""FUNCTION, second round of classes (ANNOTATION.md, CONVENTIONS.md train3): assistive devices
for walking, a symptom and its provoking activity a few words apart, rising from a chair, weight
bearing, objects slipping from the hands, a lost night's sleep, an observed ability with effort.
Sentences are written for these tests, not taken from any gold note.
"""

from __future__ import annotations

import pytest
from extract_helpers import HPI, in_section

_function = in_section("FUNCTION", HPI)


@pytest.mark.parametrize(
    "text, heading, asserted",
    [
        # valid: devices for walking (reported or observed) -> none
        ("He gets around the house with a rolling walker.", "HISTORY OF PRESENT ILLNESS", True),
        ("She walks with the help of a single point cane.", "HISTORY OF PRESENT ILLNESS", True),
        ("He has been using crutches since the fracture.", "HISTORY OF PRESENT ILLNESS", True),
        ("The patient relies on a wheelchair for longer trips.", "HISTORY OF PRESENT ILLNESS", True),
        ("She has been on crutches for a week.", "HISTORY OF PRESENT ILLNESS", True),
        ("He ambulated into the room with a quad cane.", "PHYSICAL EXAMINATION", True),
        # valid: a symptom and the activity that provokes it in one clause
        ("She notices a dull ache and some swelling around the knee when climbing stairs.", "HISTORY OF PRESENT ILLNESS", True),
        ("She notices numbness down the outside of her leg while driving.", "HISTORY OF PRESENT ILLNESS", True),
        # valid: other ability statements
        ("She reports some trouble getting up from a low chair.", "HISTORY OF PRESENT ILLNESS", True),
        ("He was unable to tolerate weightbearing on the right foot.", "HISTORY OF PRESENT ILLNESS", True),
        ("Cups keep slipping out of her hands.", "HISTORY OF PRESENT ILLNESS", True),
        ("He has not had a decent night's sleep since the surgery.", "HISTORY OF PRESENT ILLNESS", True),
        ("She transfers with considerable effort.", "PHYSICAL EXAMINATION", True),
        ("He has had difficulty stepping onto a curb.", "HISTORY OF PRESENT ILLNESS", True),
        ("Her back hurts when she gets up in the morning.", "HISTORY OF PRESENT ILLNESS", True),
        ("Testing showed deficits in mobility and self-care.", "HISTORY OF PRESENT ILLNESS", True),
        ("She has stopped going to the gym because of her hip.", "HISTORY OF PRESENT ILLNESS", True),
        ("He had to give up tennis last year.", "HISTORY OF PRESENT ILLNESS", True),
        ("He can no longer mow his own lawn.", "HISTORY OF PRESENT ILLNESS", True),
        ("She has increased her walking distance to a mile a day.", "HISTORY OF PRESENT ILLNESS", True),
        ("He reports better tolerance for standing at work.", "HISTORY OF PRESENT ILLNESS", True),
        ("She gets up two or three times a night with leg pain.", "HISTORY OF PRESENT ILLNESS", True),
        ("His condition precludes heavy lifting at work.", "HISTORY OF PRESENT ILLNESS", True),
        ("She has lost much of her capacity for bending and lifting.", "HISTORY OF PRESENT ILLNESS", True),
        ("He has to use a straight cane outdoors.", "HISTORY OF PRESENT ILLNESS", True),
        ("She needs to change positions frequently when sitting.", "HISTORY OF PRESENT ILLNESS", True),
        ("He cannot turn over in bed at night.", "HISTORY OF PRESENT ILLNESS", True),
        ("She relies on her daughter for bathing.", "HISTORY OF PRESENT ILLNESS", True),
        ("He has had to adjust his work hours.", "HISTORY OF PRESENT ILLNESS", True),
        ("Long car rides are uncomfortable for her.", "HISTORY OF PRESENT ILLNESS", True),
        ("Her pain gets worse after being on her feet.", "HISTORY OF PRESENT ILLNESS", True),
        ("He requires rest breaks while gardening.", "HISTORY OF PRESENT ILLNESS", True),
        # invalid: instructions, fall mechanisms, a symptom in another sentence
        ("We will have him ambulate with crutches until the cast is off.", "HISTORY OF PRESENT ILLNESS", False),
        ("She is supposed to be using a cane but does not.", "HISTORY OF PRESENT ILLNESS", False),
        ("While walking with her walker she tripped and fell.", "HISTORY OF PRESENT ILLNESS", False),
        ("Use crutches while ambulating.", "PLAN", False),
        ("He denies chest pain. He reports that he is walking daily.", "HISTORY OF PRESENT ILLNESS", False),
        ("If any problems arise from the medication she will call.", "HISTORY OF PRESENT ILLNESS", False),
        ("She has had trouble with her new glasses when reading signs.", "HISTORY OF PRESENT ILLNESS", False),
        ("Berg balance testing was performed by therapy.", "HISTORY OF PRESENT ILLNESS", False),
        ("He gets up twice a night to urinate.", "HISTORY OF PRESENT ILLNESS", False),
        ("She still has some problems with eye movements since the stroke.", "HISTORY OF PRESENT ILLNESS", False),
        ("He has difficulty with bowel movements on the opioid.", "HISTORY OF PRESENT ILLNESS", False),
        ("She has lost the ability to concentrate on reading.", "HISTORY OF PRESENT ILLNESS", False),
        ("He noted he was moving slower and his handwriting had become small.", "HISTORY OF PRESENT ILLNESS", False),
    ],
)
def test_when_class_phrasing_then_asserted_or_not(extractor, text, heading, asserted):
    found = [s for s in _function(extractor, text, heading) if s.asserted]
    assert bool(found) is asserted, [(s.pattern_id, s.attrs) for s in found]


@pytest.mark.parametrize(
    "text",
    [
        "She walks with a cane.",
        "He is using a walker for ambulation.",
        "She has pain and swelling in her ankle while walking.",
    ],
)
def test_when_device_or_provocation_then_direction_none(extractor, text):
    found = [s for s in _function(extractor, text) if s.asserted]
    assert found and found[0].attrs.get("direction") == "none", [(s.pattern_id, s.attrs) for s in found]


@pytest.mark.parametrize(
    "text, direction",
    [
        ("She feels she is walking slower than last year.", "worsened"),
        ("He has lost half of his capacity for lifting since the injury.", "worsened"),
        ("She has increased her walking distance to two miles.", "improved"),
    ],
)
def test_when_change_then_direction(extractor, text, direction):
    found = [s for s in _function(extractor, text) if s.asserted]
    assert found and found[0].attrs.get("direction") == direction, [(s.pattern_id, s.attrs) for s in found]


@pytest.mark.parametrize(
    "text, flag",
    [
        ("She does not use a cane or walker.", "negated"),
        ("He denies any pain or stiffness in his back while sitting.", "negated"),
        ("He will need to use crutches after the surgery.", "hypothetical"),
    ],
)
def test_when_class_in_context_then_not_asserted(extractor, text, flag):
    found = _function(extractor, text)
    assert not any(s.asserted for s in found), [(s.pattern_id, s.attrs) for s in found]
    if found:
        assert any(getattr(s, flag) for s in found), [(s.pattern_id, s.negated, s.hypothetical) for s in found]

