"""NECESSITY phrasings beyond the dev notes: referral reasons, conditionals, indications, failed care.

Each row: text, whether an asserted NECESSITY statement is expected (ANNOTATION.md, CONVENTIONS.md).
"""

from __future__ import annotations

import pytest
from extract_helpers import in_section

_necessity = in_section("NECESSITY")


@pytest.mark.parametrize(
    "text, asserted",
    [
        # valid: a service tied to a reason
        ("We will also obtain a repeat UA as he did describe to me some dysuria.", True),
        ("He was taken emergently to the operating room for surgical repair of his left humerus fracture.", True),
        ("This 78-year-old man was referred for an episode of unusual behavior and right arm numbness.", True),
        ("He was referred to the Neurology service for evaluation of acute onset paraplegia.", True),
        ("The patient agreed to notify my office if her symptoms return, at which time we could schedule the EGD.",
         True),
        ("I explained to him that if he remains symptomatic, it is possible surgery would be recommended.", True),
        ("If that is not sufficient, we could proceed with admission for the spinal catheter protocol.", True),
        ("On his second visit, arthroscopic surgery was felt to be indicated for the left knee.", True),
        ("The patient had tried nonoperative therapy, which did not assist the patient.", True),
        ("A psychiatric evaluation was obtained due to the patient's increased depression.", True),
        ("REASON FOR EXAM: Status post fall with multifocal pain.", True),
        # invalid: generic purposes, results, temporal 'since', impeded services, consent, visit reasons
        ("The Neurology service was then asked to evaluate the patient.", False),
        ("The patient will return to assess his progress after his spinal injection.", False),
        ("The cervical spine x-ray was negative for fracture.", False),
        ("She has undergone since her last visit an abdominal CT, which shows a simple cyst.", False),
        ("MRI could not be completed due to the patient's weight.", False),
        ("A 6-minute walk test will be performed at the next visit due to time constraints.", False),
        ("I advised the patient that further testing should reveal additional information.", False),
        ("Anemia secondary to upper GI bleeding with EGD performed earlier today.", False),
        ("REASON FOR EVALUATION: Evaluation for chronic pain program.", False),
        ("SURGICAL PROGNOSIS: Remains guarded due to her ongoing pain condition.", False),
        ("The purpose of the surgery is to alleviate the pain and discomfort.", False),
        ("The results were indicated above.", False),
    ],
)
def test_when_necessity_phrasing_then_asserted_or_not(extractor, text, asserted):
    found = [s for s in _necessity(extractor, text) if s.asserted]
    assert bool(found) is asserted, [(s.pattern_id, s.section, text[s.start:s.end]) for s in found]


@pytest.mark.parametrize(
    "text",
    [
        # negated: a reasoned decision against a service
        "I do not think that surgery will help his quality of life because of his tumor.",
        "Given her current asymptomatic status, I am comfortable foregoing the EGD for now.",
    ],
)
def test_when_decision_against_service_then_negated(extractor, text):
    found = _necessity(extractor, text)
    assert found and not any(s.asserted for s in found)


def test_when_indication_paragraph_continues_then_still_indication(extractor):
    text = ("PROCEDURE PERFORMED: Lumbar fusion.\n\nSURGICAL INDICATIONS: The patient is a 59-year-old male "
            "with severe disabling low back pain.\n\nHe is suffering from neurogenic claudication.\n\n"
            "DESCRIPTION: The patient was brought to the operating room and prepped and draped.")
    found = [text[s.start:s.end] for s in _necessity(extractor, text) if s.asserted]
    assert "He is suffering from neurogenic claudication" in found
    assert not any("operating room" in f for f in found)
