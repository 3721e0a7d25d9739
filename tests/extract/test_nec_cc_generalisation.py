"""NECESSITY and CONSERVATIVE_CARE: general structures, outcome wording, and negation scope.

Table-driven: valid / invalid / negated / historical / hypothetical, and attribute values.
Sentences are written for the tests (phenomena from ANNOTATION.md and CONVENTIONS.md), not
copied from gold notes.
"""

from __future__ import annotations

import pytest
from extract_helpers import asserted_of, statements_of


@pytest.mark.parametrize(
    "text",
    [
        # a consequence clause ties the service to the reason
        "HPI: The ankle is still swollen after three weeks, so we will obtain an MRI.",
        "PLAN: Her hip pain has not settled, so I have referred her to orthopedics.",
        # 'to assess the possibility of X' is a reason, not risk talk
        "PLAN: To assess the possibility of a stress fracture, I ordered a bone scan.",
        # a referral 'secondary to' a condition
        "HISTORY: The patient is a 61-year-old man referred to physical therapy secondary to neck pain.",
        # failed injections are failed care
        "HPI: She has failed two lumbar epidural steroid injections.",
        # a lab test with a reason
        "PLAN: I sent him to the lab for a CBC because of his night sweats.",
        # 'as such' connects the plan to the reasoning before it
        "PLAN: As such, he was given a referral for physical therapy of the lumbar spine.",
    ],
)
def test_when_necessity_structure_thenasserted(extractor, text):
    assert asserted_of(extractor, text, "NECESSITY"), text


@pytest.mark.parametrize(
    "text",
    [
        # a study named as a result, or an exam maneuver, is not a service ordered
        "ASSESSMENT: His abdominal pain is most likely constipation given the normal abdominal CT.",
        "HPI: Her lumbar MRI was unremarkable, and given her mild symptoms she prefers to wait.",
        "EXAM: Strength testing is limited due to pain in the right shoulder.",
        # a schedule, a visit reason, a therapeutic goal
        "PLAN: I reminded him that he is due for a pneumonia vaccine.",
        "HPI: The patient is a 40-year-old woman who presents for further evaluation of hip pain.",
        "HPI: These injections did not appear to improve her mood.",
        # risk talk
        "PLAN: There is also the possibility of nerve injury with the surgery.",
    ],
)
def test_when_not_a_reasoned_service_then_notasserted(extractor, text):
    found = asserted_of(extractor, text, "NECESSITY")
    assert not found, [(s.pattern_id, text[s.start:s.end]) for s in found]


@pytest.mark.parametrize(
    "text",
    [
        # a reasoned decision against a service is a negated mention
        "PLAN: We talked about a knee arthroscopy, but this is not recommended given her mild symptoms.",
        "PLAN: He is not a candidate for fusion because of his poor bone quality.",
        "PLAN: An MRI is not warranted at this time because her exam is normal.",
        "PLAN: I do not recommend an MRI at this time because the exam is benign.",
        "PLAN: We will hold off on an MRI since she is improving.",
        "PLAN: He refused the MRI due to claustrophobia.",
        "PLAN: Surgery is not an option because of his cardiac history.",
        "PLAN: She does not want to pursue physical therapy due to cost.",
    ],
)
def test_when_decision_against_then_necessity_notasserted(extractor, text):
    found = asserted_of(extractor, text, "NECESSITY")
    assert not found, [(s.pattern_id, text[s.start:s.end]) for s in found]


@pytest.mark.parametrize(
    "text",
    [
        # the whole list after a denial is negated, not only the first six tokens
        "HPI: She has never had formal physical therapy, a TENS unit, a back brace, or acupuncture.",
        "HPI: He has not yet tried anti-inflammatory medications, muscle relaxants, or heat.",
        "HPI: She has not been on any gabapentin or other neuropathic agents.",
        "PRIOR TREATMENT: Physical therapy: Never.",
        "HPI: He did not attend physical therapy and does not use a brace.",
        "HPI: No physical therapy, injections, or chiropractic care to date.",
        "HPI: She is not taking ibuprofen, naproxen, or any other anti-inflammatory medication.",
        "HPI: She never went to physical therapy, chiropractic care, or massage therapy.",
        "PRIOR TREATMENT: Physical therapy: not done.",
    ],
)
def test_when_care_denied_then_notasserted(extractor, text):
    found = statements_of(extractor, text, "CONSERVATIVE_CARE")
    assert found, "no CONSERVATIVE_CARE mention"
    assert not any(s.asserted for s in found), [(s.pattern_id, text[s.start:s.end]) for s in found]


@pytest.mark.parametrize(
    "text, modality, outcome",
    [
        # failed care is care tried: 'no improvement with X' is not a negation (CONVENTIONS.md)
        ("HPI: He took ibuprofen and used a heating pad, but it did not seem to help.", "nsaid, ice_heat", "failed"),
        ("HPI: She has been taking Tylenol, which does not provide any relief.", "acetaminophen", "failed"),
        ("HPI: Naproxen gives minimal symptomatic relief.", "nsaid", "failed"),
        ("HPI: The pain was unrelieved by conservative measures.", "conservative_unspecified", "failed"),
        ("HPI: He reports that nothing he has tried has relieved the pain.", "conservative_unspecified",
         "failed"),
        ("HPI: Celebrex brings her pain down to a 4/10.", "nsaid", "partial"),
        # generic 'treated conservatively with' names its modalities
        ("HPI: She was treated conservatively with a wrist splint and meloxicam.", "bracing, nsaid", "unknown"),
        # lexicon
        ("HPI: She does yoga and pilates three times a week for her back.", "home_exercise", "unknown"),
        ("HPI: He has used ice, elevation, and Advil.", "ice_heat, other, nsaid", "unknown"),
        ("MEDICATIONS: Vioxx 25 mg daily, glucosamine 1500 mg daily.", "nsaid, other", "unknown"),
        # an outcome marks plan-section care as tried
        ("ASSESSMENT AND PLAN: Physical therapy has also been helpful for her.", "physical_therapy", "helped"),
        ("PLAN: She would like to decrease her dose of oxycodone.", "opioid", "unknown"),
    ],
)
def test_when_care_tried_then_asserted_with_attrs(extractor, text, modality, outcome):
    found = asserted_of(extractor, text, "CONSERVATIVE_CARE")
    assert len(found) == 1, [(s.pattern_id, text[s.start:s.end]) for s in found]
    attrs = dict(found[0].attrs)
    assert set(attrs["modality"].split(", ")) == set(modality.split(", "))
    assert attrs["outcome"] == outcome


@pytest.mark.parametrize(
    "text",
    [
        # lookalikes: a cold, a fall on ice, a reflex brace, a diagnosis, sedation, a lab value
        "HPI: He caught a cold and his cough has worsened.",
        "HPI: She slipped on a patch of ice and landed on her wrist.",
        "HPI: She braced herself with her left hand as she fell.",
        "ASSESSMENT: Cervical strain with myofascial dysfunction.",
        "PROCEDURE: Versed 2 mg was given for the procedure.",
        "HOSPITAL COURSE: Fentanyl 50 mcg IV was given before the reduction.",
        "HPI: His liver enzymes were mildly elevated and will be rechecked.",
        "HOSPITAL COURSE: She was started on intravenous morphine for the pain.",
    ],
)
def test_when_care_lookalike_then_notasserted(extractor, text):
    found = asserted_of(extractor, text, "CONSERVATIVE_CARE")
    assert not found, [(s.pattern_id, text[s.start:s.end]) for s in found]


@pytest.mark.parametrize(
    "text",
    [
        # new orders and plans are hypothetical, not care tried
        "PLAN: A hinged knee brace was dispensed today.",
        "PLAN: A wrist splint was provided today for nighttime use.",
        "HPI: Her surgeon requested physical therapy to evaluate and treat.",
        "PLAN: She can start taking ibuprofen and try to get some of the swelling down.",
        "ASSESSMENT AND PLAN: Physical therapy would be beneficial for her.",
    ],
)
def test_when_care_is_a_new_order_then_hypothetical(extractor, text):
    found = statements_of(extractor, text, "CONSERVATIVE_CARE")
    assert found, "no CONSERVATIVE_CARE mention"
    assert all(s.hypothetical and not s.asserted for s in found)


def test_when_care_in_past_history_then_historical(extractor):
    found = statements_of(extractor, "HPI: He had tried acupuncture in the past with some relief.", "CONSERVATIVE_CARE")
    assert found and all(s.historical for s in found)


def test_when_factor_not_identified_then_no_asserted_function(extractor):
    # Either vetoed (not an activity) or found and negated: never an asserted FUNCTION statement.
    found = statements_of(extractor, "HPI: She is not able to identify any aggravating factors.", "FUNCTION")
    assert not any(s.asserted for s in found)


@pytest.mark.parametrize(
    "text, modality",
    [
        # current use in a plan section: 'on longstanding X', 'takes X'
        ("ASSESSMENT AND PLAN: A 65-year-old man with polymyalgia, on longstanding prednisone.", "oral_steroid"),
        ("PLAN: She takes naproxen twice a day and will follow up in a month.", "nsaid"),
        # plural dose packs and a steroid taper
        ("HPI: He has taken two Medrol dose packs this year.", "oral_steroid"),
        ("HPI: She finished a steroid taper last week.", "oral_steroid"),
        ("HPI: She uses a fentanyl patch for her low back pain.", "opioid"),
        ("MEDICATIONS: MS Contin 30 mg twice daily.", "opioid"),
    ],
)
def test_when_current_use_thenasserted(extractor, text, modality):
    found = asserted_of(extractor, text, "CONSERVATIVE_CARE")
    assert found and dict(found[0].attrs)["modality"] == modality


def test_when_a_referral_follows_is_a_then_still_a_plan(extractor):
    # 'is a' does not mark care as current: the referral stays a plan
    text = "PLAN: The patient is a 40-year-old woman whom we will refer to physical therapy."
    assert not asserted_of(extractor, text, "CONSERVATIVE_CARE")


@pytest.mark.parametrize(
    "text, outcome",
    [
        # 'no improvement with X' states failed care, it does not deny the care (CONVENTIONS.md)
        ("HPI: He reports no improvement with physical therapy.", "failed"),
        ("HPI: She has had no relief with ibuprofen or Tylenol.", "failed"),
        ("HPI: Physical therapy did not help.", "failed"),
    ],
)
def test_when_no_improvement_with_care_then_asserted_failed(extractor, text, outcome):
    found = asserted_of(extractor, text, "CONSERVATIVE_CARE")
    assert found and dict(found[0].attrs)["outcome"] == outcome
