"""ConText round 3 (reported by the FUNCTION engineer): a response with little relief is not a
negation, a relative as the subject is another person, a stated inability in a prognosis counts,
and a reasoned 'too ... to warrant' decision is a negated NECESSITY.

Table-driven; sentences are written for the tests, not copied from gold notes.
"""

from __future__ import annotations

import pytest
from extract_helpers import statements_of


@pytest.mark.parametrize(
    "text",
    [
        "He did not get much relief from the last injection.",
        "She did not notice any lasting benefit from the epidural.",
        "He has not had significant improvement after the facet block.",
    ],
)
def test_when_little_relief_reported_then_response_not_negated(extractor, text):
    found = statements_of(extractor, text, "PROCEDURE_RESPONSE")
    assert found and not found[0].negated, text


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Her mother uses a wheelchair.", "FUNCTION"),
        ("His father walks with a cane since his stroke.", "FUNCTION"),
        ("His mother has back pain and takes ibuprofen.", "CONSERVATIVE_CARE"),
    ],
)
def test_when_relative_is_subject_then_other_person(extractor, text, label):
    found = statements_of(extractor, text, label)
    assert found and all(s.other_person and not s.asserted for s in found), text


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # the relative is an object or a helper: the statement stays the patient's
        ("He lives with his son and walks with a cane.", "FUNCTION"),
        ("She has trouble lifting her grandson because of back pain.", "FUNCTION"),
        ("She relies on her daughter for bathing.", "FUNCTION"),
    ],
)
def test_when_relative_is_not_subject_then_patient(extractor, text, label):
    found = statements_of(extractor, text, label)
    assert found and all(s.asserted for s in found), text


@pytest.mark.parametrize(
    "text",
    [
        "He will not be able to work until the MRI is done.",
        "She won't be able to lift her children for several weeks.",
    ],
)
def test_when_inability_in_prognosis_then_asserted(extractor, text):
    found = statements_of(extractor, text, "FUNCTION")
    assert found and found[0].asserted, text


@pytest.mark.parametrize(
    "text",
    [
        "The nerve compression has been present too long to warrant decompression.",
        "The deformity is too mild to justify surgery.",
    ],
)
def test_when_too_to_warrant_then_necessity_negated(extractor, text):
    assert not [s for s in statements_of(extractor, text, "NECESSITY") if s.asserted], text
