"""NECESSITY / CONSERVATIVE_CARE, third round (train4 conventions): tests outside imaging,
symptom heads, admissions and visits with a stated reason, named purposes, conservative care
ruled out, symptoms in an indication, and care outcomes (side effects, responses).

Table-driven: valid / invalid / negated / historical / hypothetical / other-person. Sentences are
written for the tests, not copied from gold notes.
"""

from __future__ import annotations

import pytest
from extract_helpers import asserted_of


@pytest.mark.parametrize(
    "text",
    [
        # a test outside imaging with a stated reason; symptom heads as the condition
        "PLAN: We will order a Holter monitor and an echocardiogram for his palpitations and syncope.",
        "PLAN: An EKG was done in clinic because I heard a new murmur.",
        "PLAN: Sleep study for her daytime somnolence and apnea.",
        "PLAN: A lumbar puncture to rule out meningitis.",
        "PLAN: Bone scan for evidence of metastatic disease.",
        "PLAN: We will repeat the EKG to ensure that he has no arrhythmia.",
        # an admission or visit with a stated reason
        "HPI: She was admitted with complaints of worsening gait instability.",
        "HPI: He was seen two weeks earlier for headaches and vomiting.",
        "HPI: She was seen at an outside clinic secondary to low back pain.",
        "HPI: He was hospitalized for a five-day history of leg weakness.",
        "HPI: He required two admissions for intravenous anticoagulation.",
        "HPI: She was readmitted in May as her leg numbness and weakness worsened.",
        # conservative care ruled out is a reason
        "HPI: Given the cord compression, nonoperative treatment was not an option.",
        # symptoms in an indication
        "INDICATIONS FOR OPERATION: He developed headaches and a draining wound after his laminectomy.",
        "CLINICAL NOTE: This is a 60-year-old man with refractory arm pain from a C6 disc herniation.",
    ],
)
def test_when_service_has_reason_then_necessity(extractor, text):
    assert asserted_of(extractor, text, "NECESSITY"), text


@pytest.mark.parametrize(
    "text",
    [
        # no reason / a result / an opening history
        "PLAN: EKG today.",
        "RESULTS: The echocardiogram was normal.",
        "RESULTS: The bone scan was negative for evidence of metastatic disease.",
        "HPI: She presented with a two-month history of hip pain.",
        "HPI: He was seen by his primary physician last week.",
        "HPI: He was admitted for evaluation, observation and treatment.",
        # other person
        "FAMILY HISTORY: Her mother was admitted for a stroke.",
    ],
)
def test_when_no_reason_then_no_necessity(extractor, text):
    assert not asserted_of(extractor, text, "NECESSITY"), text


@pytest.mark.parametrize(
    "text",
    [
        "ASSESSMENT: The compression has been present too long to warrant decompression.",
        "ASSESSMENT: Surgery was not an option given her cardiac disease.",
        "PLAN: No echocardiogram is needed for the murmur.",
    ],
)
def test_when_reasoned_decision_against_then_notasserted(extractor, text):
    assert not asserted_of(extractor, text, "NECESSITY"), text


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("HPI: He tried gabapentin, but this caused oversedation.", "failed"),
        ("HPI: She took nortriptyline, which she finds too sedating.", "failed"),
        ("HPI: Meloxicam was stopped because of stomach upset.", "failed"),
        ("HPI: Her headaches respond nicely to naproxen.", "helped"),
        ("HPI: His pain is controlled by tramadol at night.", "helped"),
        ("HPI: Of everything she has tried, ibuprofen works the best.", "helped"),
        ("HPI: He was switched to oxycodone and had good pain control with it.", "helped"),
        ("HPI: She wears a knee brace, which only helps her some.", "partial"),
    ],
)
def test_when_care_outcome_stated_then_outcome(extractor, text, outcome):
    found = asserted_of(extractor, text, "CONSERVATIVE_CARE")
    assert found, text
    assert found[0].attrs["outcome"] == outcome, (text, found[0].attrs)


@pytest.mark.parametrize(
    "text",
    [
        "HPI: His sister takes tramadol, which works the best for her.",
        "PLAN: If the ibuprofen causes nausea, she may switch to acetaminophen.",
    ],
)
def test_when_other_person_or_hypothetical_then_care_notasserted(extractor, text):
    assert not asserted_of(extractor, text, "CONSERVATIVE_CARE"), text


@pytest.mark.parametrize(
    "text",
    [
        "HPI: After the hip fracture he spent three weeks in a rehabilitation center.",
        "HPI: She was transferred to the skilled nursing unit for further rehabilitation.",
    ],
)
def test_when_rehabilitation_stay_then_physical_therapy(extractor, text):
    found = asserted_of(extractor, text, "CONSERVATIVE_CARE")
    assert found and found[0].attrs["modality"] == "physical_therapy", text


@pytest.mark.parametrize(
    "text",
    [
        "PLAN: We will refer her for rehabilitation after the surgery.",
        "HPI: She has never been to a rehabilitation center.",
    ],
)
def test_when_rehabilitation_planned_or_denied_then_notasserted(extractor, text):
    assert not asserted_of(extractor, text, "CONSERVATIVE_CARE"), text
