"""FUNCTION, third round of classes (CONVENTIONS.md train3/train4: general-medicine consult
wording): trouble with gait or balance named as a noun, everyday tasks taken over by family,
limitations named by severity, pain from shoes or with each step, being ambulatory or standing
with support, balance/gait scores with a value, and the course cues (a device taken up, a
baseline not regained, back to normal, able to do something again).
Sentences are written for these tests, not taken from any gold note.
"""

from __future__ import annotations

import pytest
from extract_helpers import HPI, in_section

_function = in_section("FUNCTION", HPI)


@pytest.mark.parametrize(
    "text, asserted",
    [
        # valid
        ("Her son says she has had trouble with her balance since the winter.", True),
        ("He has had problems with his gait for about two years.", True),
        ("Her husband took over the cooking and shopping last spring.", True),
        ("His daughter has taken over the checkbook.", True),
        ("She has severe arthritis of both hips with significant pain and limitations.", True),
        ("Because of his persistent limitations he would like to discuss surgery.", True),
        ("She reports aching when wearing closed shoes.", True),
        ("He describes discomfort with every step on the left.", True),
        ("At the time of discharge he was ambulatory.", True),
        ("Walks with assistance of one person.", True),
        ("A Tinetti gait score of 8/12 was recorded.", True),
        ("He did not return to his baseline after the admission.", True),
        ("She says the ache is more uncomfortable when seated for a while.", True),
        ("His knee pain is manageable by limiting his walking.", True),
        # invalid: motion, settings, other people's business, a test named alone
        ("She has significant limitation of motion in the right shoulder.", False),
        ("He was referred to the ambulatory surgery center.", False),
        ("His brother took over the family business.", False),
        ("Limitations of this study include motion artifact.", False),
        ("A Berg balance test was ordered.", False),
        ("The headache is worse when supine.", True),
        ("Her condition progressed to the point of requiring dialysis.", False),
        ("He walks with a cane because of the disability from his left knee.", True),
        ("Since the fall she has been unable to leave the house.", True),
        ("She will be able to leave the hospital tomorrow.", False),
        # invalid: the device, nerves, an eye, orthostatic symptoms
        ("She tripped because of a problem with her cane.", False),
        ("He has trouble getting his anxiety under control.", False),
        ("The right eye did not move past midline.", False),
        ("He gets lightheaded upon standing quickly.", False),
        ("She feels dizzy when she stands and has trouble walking to the mailbox.", True),
    ],
)
def test_when_consult_class_then_asserted_or_not(extractor, text, asserted):
    found = [s for s in _function(extractor, text) if s.asserted]
    assert bool(found) is asserted, [(s.pattern_id, s.attrs) for s in found]


@pytest.mark.parametrize(
    "text, direction",
    [
        ("She began using a rolling walker after the fall.", "worsened"),
        ("Last spring he began to have to use a cane.", "worsened"),
        ("She started having to use a wheelchair.", "worsened"),
        ("He has not returned to his baseline since the stroke.", "worsened"),
        ("He had trouble walking after the fall but returned back to normal.", "improved"),
        ("After two weeks of rehabilitation he was able to walk with his cane again.", "improved"),
        ("His wife took over his medications two years ago.", "none"),
        ("She is ambulatory.", "none"),
        ("Climbing stairs became a struggle for her over the winter.", "worsened"),
        ("Over the week his leg weakness progressed to where he could not stand.", "worsened"),
    ],
)
def test_when_course_then_direction(extractor, text, direction):
    found = [s for s in _function(extractor, text) if s.asserted]
    assert found and found[0].attrs.get("direction") == direction, [(s.pattern_id, s.attrs) for s in found]


@pytest.mark.parametrize(
    "text, flag",
    [
        ("She denies any difficulty with her balance.", "negated"),
        ("He has no trouble with his gait.", "negated"),
        ("She denies pain with shoe gear.", "negated"),
        ("He will probably have difficulty with his balance after the surgery.", "hypothetical"),
        ("He would have to use a walker after the surgery.", "hypothetical"),
    ],
)
def test_when_consult_class_in_context_then_not_asserted(extractor, text, flag):
    found = _function(extractor, text)
    assert not any(s.asserted for s in found), [(s.pattern_id, s.attrs) for s in found]
    if found:
        assert any(getattr(s, flag) for s in found), [(s.pattern_id, s.negated, s.hypothetical) for s in found]
