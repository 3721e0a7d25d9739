"""Table-driven tests of the billing-evidence phrasings: clinician time, pain duration, care
outcome verbs, relief percentages and pain-score look-alikes (valid / invalid / negated).

Sentences are written for the tests from the phenomena (a number + unit + clinician-time
context; a duration with spelled numbers; an outcome verb of failure), not copied from a corpus.
"""

from __future__ import annotations

import pytest
from extract_helpers import asserted_of

from driftcheck.extract import validators

# ------------------------------------------------------------------------------ TIME_SPENT


@pytest.mark.parametrize(
    "text, minutes",
    [
        ("PLAN: Chronic pain management time this calendar month totals 42 minutes.", 42),
        ("PLAN: Month-to-date chronic pain care time: 35 minutes.", 35),
        ("PLAN: CPM time for the month, including coordination with the pharmacy: 64 minutes.", 64),
        ("PLAN: Cumulative care management time for this month is 45 minutes.", 45),
        ("PLAN: My total time for this visit, face-to-face and non-face-to-face, was 38 minutes.", 38),
        ("PLAN: Total critical care time spent today reviewing labs and counseling the family is 35 minutes.", 35),
        ("PLAN: 30 minutes of counseling and coordination of care were provided.", 30),
        ("PLAN: I personally furnished 50 minutes of care management this month.", 50),
        ("PLAN: 25 minutes were devoted to chronic pain management by me this month.", 25),
        ("PLAN: I spent 40 minutes with the patient and on documentation today.", 40),
    ],
)
def test_when_clinician_time_then_minutes(extractor, text, minutes):
    found = asserted_of(extractor, text, "TIME_SPENT")
    assert [s.attrs["minutes"] for s in found] == [minutes]


@pytest.mark.parametrize(
    "text",
    [
        # a number of minutes that is an activity tolerance, not clinician time
        "HPI: Standing is limited to about 20 minutes because of pain.",
        "HPI: She cannot drive more than 30 minutes because of her pain.",
        "HPI: Walking tolerance is about 15 minutes.",
        "HPI: He can sit for 45 minutes before changing position.",
        "GOALS: The patient will be able to sit for greater than 25 minutes without complaints of pain.",
        "HPI: Morning stiffness lasts 30 minutes with a hot shower.",
        # time that is not the clinician's
        "PLAN: Total recovery time was 30 minutes.",
        "PLAN: Total fluoroscopy time 1 minute.",
        "HPI: Total travel time to the clinic is 40 minutes.",
    ],
)
def test_when_minutes_not_clinician_time_then_no_time_spent(extractor, text):
    assert not asserted_of(extractor, text, "TIME_SPENT")


# --------------------------------------------------------------------------- PAIN_DURATION


@pytest.mark.parametrize(
    "text, months",
    [
        ("INDICATION: This is chronic lumbar pain of 44 months duration.", 44),
        ("INDICATION: Pain duration is about fourteen months.", 14),
        ("INDICATION: Neck pain with a history of 18 months.", 18),
        ("INDICATION: She has had low back pain for more than 4 years.", 48),
        ("INDICATION: The low back pain dates back 2 years.", 24),
        ("INDICATION: He describes 15 months of ongoing axial pain.", 15),
        ("INDICATION: Symptoms began about twenty-one months ago.", 21),
        ("INDICATION: He has a 3-year history of back pain.", 36),
    ],
)
def test_when_pain_duration_then_months(extractor, text, months):
    found = asserted_of(extractor, text, "PAIN_DURATION")
    assert [s.attrs["months"] for s in found] == [months]


@pytest.mark.parametrize(
    "text",
    [
        # a treatment's duration is not the pain's
        "HPI: After 8 weeks of physical therapy for back pain she improved.",
        "HPI: He describes 10 weeks of physical therapy without relief.",
    ],
)
def test_when_duration_of_treatment_then_no_pain_duration(extractor, text):
    assert not asserted_of(extractor, text, "PAIN_DURATION")


@pytest.mark.parametrize(
    "word, value",
    [("fourteen", 14), ("nineteen", 19), ("twenty-one", 21), ("ninety nine", 99), ("forty-five", 45), ("a few", 3)],
)
def test_when_spelled_number_then_value(word, value):
    assert validators.number(word) == value
    assert validators.find_duration_weeks(f"over {word} weeks") == value


# ---------------------------------------------------------------------- CONSERVATIVE_CARE


@pytest.mark.parametrize(
    "text, outcome",
    [
        # failure verbs
        ("HPI: She says eight weeks of naproxen did not make a difference.", "failed"),
        ("HPI: Physical therapy for six weeks made no difference.", "failed"),
        ("HPI: She gained nothing from over fourteen weeks of chiropractic care.", "failed"),
        ("HPI: He got no benefit from 8 weeks of physical therapy.", "failed"),
        ("HPI: Even after ten weeks of ibuprofen the back pain has not let up.", "failed"),
        ("HPI: Pain remained severe after 12 weeks of physical therapy.", "failed"),
        ("HPI: He went through 10 weeks of chiropractic care but continues to have leg pain.", "failed"),
        # partial / helped
        ("HPI: A TENS unit for six weeks helped only partially.", "partial"),
        ("HPI: Nine weeks of topical lidocaine gave modest, short-lived improvement.", "partial"),
        ("HPI: Acetaminophen continues to help.", "helped"),
        ("HPI: Gabapentin takes the edge off the pain.", "helped"),
    ],
)
def test_when_care_outcome_phrase_then_outcome(extractor, text, outcome):
    found = asserted_of(extractor, text, "CONSERVATIVE_CARE")
    assert found and found[0].attrs["outcome"] == outcome


@pytest.mark.parametrize(
    "text, weeks",
    [
        ("HPI: Symptoms persisted through fourteen weeks of ibuprofen.", 14.0),
        ("HPI: She completed over twelve weeks of physical therapy without relief.", 12.0),
    ],
)
def test_when_spelled_care_duration_then_weeks(extractor, text, weeks):
    found = asserted_of(extractor, text, "CONSERVATIVE_CARE")
    assert found and found[0].attrs["duration_weeks"] == weeks


@pytest.mark.parametrize(
    "text",
    [
        "HPI: She has not tried physical therapy.",
        "HPI: He denies any chiropractic care.",
    ],
)
def test_when_care_denied_then_notasserted(extractor, text):
    assert not asserted_of(extractor, text, "CONSERVATIVE_CARE")


# --------------------------------------------------------------------- PROCEDURE_RESPONSE


@pytest.mark.parametrize(
    "text, pct",
    [
        ("HPI: Since the ESI on 04/12/2024 he has had 55% less pain, now 13 weeks out.", 55),
        ("INDICATION: Index pain decreased by 85% for 6 hours following the medial branch block.", 85),
        ("HPI: After the injection her pain was reduced by about 70% for three months.", 70),
    ],
)
def test_when_relief_phrase_then_percent(extractor, text, pct):
    found = asserted_of(extractor, text, "PROCEDURE_RESPONSE")
    assert found and found[0].attrs["relief_pct"] == pct


@pytest.mark.parametrize(
    "text",
    [
        "HPI: Her gabapentin dose was reduced last month.",
        "PLAN: Opioid tapering discussed with the patient.",
    ],
)
def test_when_no_relief_then_no_procedure_response(extractor, text):
    assert not asserted_of(extractor, text, "PROCEDURE_RESPONSE")


# ------------------------------------------------------------------------------ PAIN_SCORE


@pytest.mark.parametrize(
    "text, value",
    [
        ("HPI: She puts her discomfort at 3 on a ten-point scale.", 3),
        ("HPI: Pain is 7/10 today.", 7),
        ("HPI: Pain went from 8/10 to 3/10 after the block.", 8),
    ],
)
def test_when_pain_score_then_value(extractor, text, value):
    found = asserted_of(extractor, text, "PAIN_SCORE")
    assert found and found[0].attrs["value"] == value


@pytest.mark.parametrize(
    "text",
    [
        # a duration or a date that looks like a labelled score
        "INDICATION: This is chronic lower back pain of 3 years duration.",
        "INDICATION: After the MBB on 08/10 he had good relief of the index pain.",
        "INDICATION: Her pain of 6 months is axial.",
    ],
)
def test_when_number_is_duration_or_date_then_no_pain_score(extractor, text):
    assert not asserted_of(extractor, text, "PAIN_SCORE")


def test_a_failed_trial_of_care_is_asserted_not_hypothetical() -> None:
    """'A trial of X failed' reports care that was tried; 'trial' is not a plan word."""
    from driftcheck.extract import Extractor
    from driftcheck.text.pipeline import process

    doc = process("HPI: Trial of the home exercise program for about 7 weeks failed.\n")
    care = [s for s in Extractor().extract(doc) if s.label == "CONSERVATIVE_CARE"]
    assert care and care[0].asserted and care[0].attrs.get("outcome") == "failed"


def test_qualifier_requirement_holds_in_blocks_without_any_qualifier() -> None:
    """A pattern that needs a qualifier in its sentence must not fire when the line has none."""
    from driftcheck.extract import Extractor
    from driftcheck.text.pipeline import process

    doc = process("INDICATION: Trial of physical therapy (about 7 weeks) failed.\n")
    durations = [s for s in Extractor().extract(doc) if s.label == "PAIN_DURATION"]
    assert durations == []
