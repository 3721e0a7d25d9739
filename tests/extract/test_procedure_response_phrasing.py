"""PROCEDURE_RESPONSE: responses to an earlier procedure, and the operative, consent and plan
phrasings that share its words but are not a response (ANNOTATION.md). Sentences are written for
these tests, not taken from any gold note.
"""

from __future__ import annotations

import pytest
from extract_helpers import HPI, in_section

_responses = in_section("PROCEDURE_RESPONSE", HPI)


@pytest.mark.parametrize(
    "text, attrs",
    [
        ("The epidural she had in March was only beneficial for about two weeks.", {"relief_pct": None}),
        ("He had a knee arthroscopy last year and did very well.", {"relief_pct": None}),
        ("The trigger point injections helped for a few weeks.", {"relief_pct": None, "duration_weeks": None}),
        ("The pressure in his leg was relieved after the block.", {"relief_pct": None}),
        ("She is doing well status post lumbar fusion.", {"relief_pct": None}),
        ("His prior laminectomy worsened the instability.", {"relief_pct": None}),
        ("The medial branch blocks gave her 80% relief for six hours.", {"relief_pct": 80, "duration_weeks": 0}),
    ],
)
def test_when_response_then_asserted_with_attrs(extractor, text, attrs):
    found = [s for s in _responses(extractor, text) if s.asserted]
    assert found, "no PROCEDURE_RESPONSE found"
    for key, value in attrs.items():
        assert found[0].attrs.get(key) == value, (key, found[0].attrs)


@pytest.mark.parametrize(
    "text, heading",
    [
        # operative technique
        ("The femur was elevated for better exposure of the canal.", "PROCEDURE"),
        ("Sagittal reformats were obtained for better anatomical localization.", "PROCEDURE"),
        ("High-resolution images were obtained through the cervical spine.", "PROCEDURE"),
        ("The component was revised to a stemmed one with better alignment.", "PROCEDURE"),
        ("A clamp helped to compress the osteotomy site.", "PROCEDURE"),
        ("There was improvement in the patellar tilt after the release.", "PROCEDURE"),
        ("The compression on the median nerve was relieved.", "PROCEDURE"),
        ("Dead space was eliminated with a drain.", "PROCEDURE"),
        ("Attempts to reduce the fragment with traction and flexion were unsuccessful.", "PROCEDURE"),
        ("After the successful placement of an epidural catheter, the leg was prepped.", "PROCEDURE"),
        ("There was no change in the intraoperative monitoring signals.", "PROCEDURE"),
        ("The patient did well on oral pain medications.", "PROCEDURE"),
        # consent and counselling
        ("The risks of lack of pain relief, infection and bleeding were explained.", "PROCEDURE"),
        ("No guarantee of success was given, though most patients have improved function.", "PROCEDURE"),
        ("Risks and benefits of the injection were discussed, including incomplete relief.", "PLAN"),
        # plans and hypothetical benefit
        ("If her symptoms do not improve, we can consider a steroid injection.", "PLAN"),
        ("If there is no relief from therapy, a nerve block may be tried.", "PLAN"),
        ("Cortisone shots can be very effective for this condition.", "PLAN"),
        ("I think that an epidural injection may be helpful.", "ASSESSMENT"),
        ("The likelihood of benefit from surgery is small.", "ASSESSMENT"),
        ("She would like the hardware removed so that she can swallow better before her surgery.", "PLAN"),
        # findings
        ("Repeat CT showed no change in the epidural hematoma.", "HOSPITAL COURSE"),
    ],
)
def test_when_not_a_response_then_not_asserted(extractor, text, heading):
    found = [s for s in _responses(extractor, text, heading) if s.asserted]
    assert not found, [(s.pattern_id, s.attrs) for s in found]


@pytest.mark.parametrize("text", ["He reports no relief from the injection.", "The injection did not help at all."])
def test_when_no_relief_then_asserted_with_zero(extractor, text):
    # CONVENTIONS.md: "no relief from the injection" is a response with relief_pct 0, not a negation
    found = [s for s in _responses(extractor, text) if s.asserted]
    assert found and found[0].attrs.get("relief_pct") == 0, [(s.pattern_id, s.attrs) for s in found]
