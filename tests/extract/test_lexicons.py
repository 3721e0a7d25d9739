"""Table-driven tests of the broad lexicons: valid / invalid / negated / historical / hypothetical.

Sentences are written for the tests (phenomena from the label definitions), not copied from
gold notes.
"""

from __future__ import annotations

import pytest
from extract_helpers import statements_of

from driftcheck.extract.statements import Extractor, inline_sections
from driftcheck.text.pipeline import TextProcessor


def _asserted(extractor: Extractor, text: str, label: str) -> bool:
    return any(s.asserted for s in statements_of(extractor, text, label))


@pytest.mark.parametrize(
    "text, label",
    [
        # FUNCTION: an activity and a limitation/provocation in one sentence
        ("HPI: It hurts to kneel and she avoids reaching overhead.", "FUNCTION"),
        ("HPI: He has trouble tying his shoes and getting out of a car.", "FUNCTION"),
        ("HPI: Her knee pain gets worse with prolonged standing.", "FUNCTION"),
        ("HPI: He could not do any yard work because of the pain.", "FUNCTION"),
        ("HPI: He is not very active and sits at home most of the day.", "FUNCTION"),
        ("SOCIAL HISTORY: She works full time as a teacher.", "FUNCTION"),
        ("REVIEW OF SYSTEMS: Musculoskeletal: Endorses hip pain with exertion.", "FUNCTION"),
        # CONSERVATIVE_CARE: unnamed analgesics, hyphenated NSAID class, prn aspirin
        ("HPI: Pain medication was tried without relief.", "CONSERVATIVE_CARE"),
        ("HPI: She occasionally takes anti-inflammatories.", "CONSERVATIVE_CARE"),
        ("MEDICATIONS: Lisinopril 10 mg daily, aspirin as needed.", "CONSERVATIVE_CARE"),
        ("HPI: He has been prescribed narcotic medications with partial relief.", "CONSERVATIVE_CARE"),
        # NECESSITY: a service tied to a reason
        ("PLAN: She was referred to gastroenterology for suspected esophagitis.", "NECESSITY"),
        ("PLAN: If her symptoms return, we could schedule an EGD.", "NECESSITY"),
        ("PLAN: We will obtain an MRI of the knee to further evaluate for a meniscal tear.", "NECESSITY"),
        ("HPI: She wished to proceed with surgery due to her persistent symptoms.", "NECESSITY"),
        # PAIN_SCORE phrasings
        ("HPI: His pain is about 6 to 7 on a scale of 1 to 10.", "PAIN_SCORE"),
    ],
)
def test_when_valid_then_asserted(extractor, text, label):
    assert _asserted(extractor, text, label), f"{label} not found"


@pytest.mark.parametrize(
    "text, label",
    [
        # invalid: not the label's concept
        ("SOCIAL HISTORY: She is very active and enjoys hiking.", "FUNCTION"),
        ("HPI: He was working on a roof when he fell.", "FUNCTION"),
        ("HPI: He thinks he needs to eat healthier.", "FUNCTION"),
        ("HPI: For exercise, she walks in the evening.", "FUNCTION"),
        ("PHYSICAL EXAMINATION: Pain with flexion and bending of the wrist.", "FUNCTION"),
        ("PLAN: I have recommended a knee brace.", "NECESSITY"),
        ("PLAN: The patient will need a colonoscopy on an outpatient basis.", "NECESSITY"),
        ("PLAN: I have also prescribed tramadol to treat her pain.", "NECESSITY"),
        ("MEDICATIONS: Sinemet CR 25/100 one tab three times a day.", "PAIN_SCORE"),
        ("HPI: She rates her stress level as an 8/10.", "PAIN_SCORE"),
        ("HPI: She is allergic to several pain medications.", "CONSERVATIVE_CARE"),
        ("HPI: He injured his wrist after falling on ice.", "CONSERVATIVE_CARE"),
    ],
)
def test_when_invalid_then_not_asserted(extractor, text, label):
    assert not _asserted(extractor, text, label)


@pytest.mark.parametrize(
    "text, label, flag",
    [
        # negated
        ("HPI: She denies any difficulty sleeping.", "FUNCTION", "negated"),
        ("PLAN: Given his asymptomatic status, I am comfortable foregoing the EGD.", "NECESSITY", "negated"),
        ("PLAN: Surgery would not be in his best interest because of his age.", "NECESSITY", "negated"),
        ("PLAN: He was told to avoid NSAIDs in the future.", "CONSERVATIVE_CARE", "negated"),
        # hypothetical: goals and advice
        ("ASSESSMENT: The patient will be able to sit for greater than 30 minutes.", "FUNCTION", "hypothetical"),
        ("HPI: She was advised to limit bending and lifting for a week.", "FUNCTION", "hypothetical"),
        ("ASSESSMENT: The patient will be independent with a home exercise program.", "CONSERVATIVE_CARE",
         "hypothetical"),
        # historical
        ("PAST MEDICAL HISTORY: Physical therapy in 2015.", "CONSERVATIVE_CARE", "historical"),
    ],
)
def test_when_context_then_flagged_not_asserted(extractor, text, label, flag):
    found = statements_of(extractor, text, label)
    assert found, f"no {label} mention"
    assert all(getattr(s, flag) for s in found)
    if flag != "historical":
        assert not any(s.asserted for s in found)


@pytest.mark.parametrize(
    "line, kind",
    [
        ("INDICATIONS FOR SURGERY: The patient has had foot pain for years.", "indication"),
        ("BRIEF HISTORY AND INDICATION FOR PROCEDURE: A 47-year-old with knee pain.", "indication"),
        ("ESTIMATED BLOOD LOSS: Minimal.", "procedure"),
        ("The patient tolerated the procedure well.", "procedure"),
    ],
)
def test_when_inline_header_then_block_section(line, kind):
    text = "PROCEDURE: Knee arthroscopy.\n" + line + "\n"
    doc = TextProcessor().process(text)
    blocks = inline_sections(text, doc.blocks)
    # the text stage cuts an inline header out of the block (a span never includes it); the
    # block is the line's body, with the kind the header gave it
    block = next(b for b in blocks if b.start > text.index("\n") and text[b.start:b.end] in line)
    assert block.section == kind
