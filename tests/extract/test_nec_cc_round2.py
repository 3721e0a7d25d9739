"""NECESSITY / CONSERVATIVE_CARE, second round: lexicon from the train3 conventions, new orders
handed out at the visit, a remaining pain level as a partial outcome, failed care as a verb
phrase, therapeutic goals.

Table-driven: valid / invalid / negated / historical / hypothetical. Sentences are written for
the tests, not copied from gold notes.
"""

from __future__ import annotations

import pytest
from extract_helpers import asserted_of, statements_of


@pytest.mark.parametrize(
    ("text", "modality", "outcome"),
    [
        ("HPI: He takes Excedrin for his headaches, which helps.", "acetaminophen, nsaid", "helped"),
        ("HPI: For the migraines she uses rizatriptan as needed.", "other", "unknown"),
        ("HPI: Her knee is wrapped and she rubs CBD cream on it, which has been helpful.", "bracing, topical",
         "helped"),
        ("HPI: He has been trying cannabis gummies at night for the back pain.", "other", "unknown"),
        ("HPI: After the stroke he spent two weeks in inpatient rehabilitation.", "physical_therapy", "unknown"),
        ("HPI: Since the sprain she has followed RICE at home.", "activity_modification, ice_heat, bracing, other",
         "unknown"),
        ("HPI: He takes Tylenol #3 at night for the hip pain.", "opioid", "unknown"),
        ("HPI: He completed a course of outpatient antibiotics for the toe ulcer.", "other", "unknown"),
        # a remaining pain level with the drug is a partial outcome
        ("HPI: While taking naproxen, her pain level is 6 out of 10.", "nsaid", "partial"),
        ("HPI: With meloxicam his pain comes down to 4/10.", "nsaid", "partial"),
        # 'provided' is an outcome only with relief-like words
        ("HPI: Physical therapy provided her some relief last spring.", "physical_therapy", "partial"),
    ],
)
def test_when_care_tried_then_asserted_with_attrs(extractor, text, modality, outcome):
    found = asserted_of(extractor, text, "CONSERVATIVE_CARE")
    assert found, text
    assert found[0].attrs["modality"] == modality
    assert found[0].attrs["outcome"] == outcome


@pytest.mark.parametrize(
    "text",
    [
        "PLAN: A prescription for cyclobenzaprine 5 mg at bedtime was provided.",
        "PLAN: Prescription for naproxen also provided.",
        "PLAN: Referral to physical therapy was provided.",
        "PLAN: I gave her a referral to aquatic therapy.",
    ],
)
def test_when_care_is_a_new_order_then_notasserted(extractor, text):
    found = statements_of(extractor, text, "CONSERVATIVE_CARE")
    assert found and not any(s.asserted for s in found), text


@pytest.mark.parametrize(
    "text",
    [
        "HPI: She does not take any medications for pain.",
        "HPI: He has never tried Excedrin or any triptan.",
        "HPI: She has not been to inpatient rehabilitation.",
    ],
)
def test_when_care_denied_then_notasserted(extractor, text):
    assert not asserted_of(extractor, text, "CONSERVATIVE_CARE"), text


def test_when_denial_and_use_in_one_sentence_then_only_the_use(extractor):
    text = "HPI: He denies taking any medications for pain, but he has been using a TENS unit daily."
    found = asserted_of(extractor, text, "CONSERVATIVE_CARE")
    assert len(found) == 1
    assert text[found[0].start:found[0].end].startswith("he has been using a TENS unit")
    assert found[0].attrs["modality"] == "tens"


def test_when_not_healed_despite_care_then_care_stillasserted(extractor):
    # 'has not healed' describes the condition; it does not deny the care
    text = "HPI: The ulcer has not healed despite outpatient antibiotic therapy."
    found = asserted_of(extractor, text, "CONSERVATIVE_CARE")
    assert found and found[0].attrs["modality"] == "other"


def test_when_care_in_past_history_then_historical(extractor):
    text = "HPI: Years ago she spent a month in inpatient rehabilitation after a fall."
    found = statements_of(extractor, text, "CONSERVATIVE_CARE")
    assert found and found[0].historical


def test_when_care_planned_then_hypothetical(extractor):
    found = statements_of(extractor, "PLAN: We will start sumatriptan for the migraines.", "CONSERVATIVE_CARE")
    assert found and all(s.hypothetical for s in found)


@pytest.mark.parametrize(
    "text",
    [
        # failed care as a verb phrase
        "HPI: Her de Quervain tenosynovitis fails to respond to cortisone shots.",
        "HPI: The rib pain is not responding well to escalating doses of opioids.",
        "HPI: His elbow tendinitis has failed to improve with rest and bracing.",
    ],
)
def test_when_failed_care_verb_then_necessity(extractor, text):
    assert asserted_of(extractor, text, "NECESSITY"), text


@pytest.mark.parametrize(
    "text",
    [
        # a therapeutic goal is not a reason (CONVENTIONS.md dev)
        "PLAN: Ultrasound and electrical stimulation in order to decrease pain and inflammation.",
        "PLAN: Manual therapy in order to improve range of motion.",
        # temporal 'since' is not a reason
        "HPI: He has been NPO since midnight for surgery on his left great toe.",
        # a response that is fine is not failed care
        "HPI: Her shoulder has responded well to physical therapy.",
    ],
)
def test_when_no_reason_then_no_necessity(extractor, text):
    assert not asserted_of(extractor, text, "NECESSITY"), text


def test_when_failure_denied_then_no_necessity(extractor):
    # 'responded well' is not failure; 'did not fail' neither
    assert not asserted_of(extractor, "HPI: He did not fail conservative care; it helped.", "NECESSITY")


@pytest.mark.parametrize(
    ("text", "label", "starts"),
    [
        ("BRIEF HISTORY AND INDICATION FOR PROCEDURE: The patient is a 52-year-old man with severe low back "
         "pain who has failed conservative care.\n\nPROCEDURE: Lumbar epidural steroid injection.",
         "NECESSITY", "The patient is"),
        ("Additional Testing: If her wrist pain persists, we will order an MRI to look for a ligament tear.",
         "NECESSITY", "If her wrist pain"),
        ("Current Treatment: She has been taking ibuprofen twice a day with some relief.",
         "CONSERVATIVE_CARE", "She has been taking"),
    ],
)
def test_when_inline_heading_then_span_without_it(extractor, text, label, starts):
    found = asserted_of(extractor, text, label)
    assert found, text
    assert text[found[0].start:found[0].end].startswith(starts)


@pytest.mark.parametrize(
    ("text", "modality"),
    [
        # weaning or getting off a current drug is continuation (CONVENTIONS train3)
        ("PLAN: We will begin a weaning schedule for her oxycodone, decreasing by 5 mg a week.", "opioid"),
        ("PLAN: Over the next months I hope to get him off the hydrocodone.", "opioid"),
        # refills of a current drug count
        ("PLAN: I have given him refills on his meloxicam.", "nsaid"),
    ],
)
def test_when_current_drug_weaned_or_refilled_thenasserted(extractor, text, modality):
    found = asserted_of(extractor, text, "CONSERVATIVE_CARE")
    assert found and found[0].attrs["modality"] == modality, text


@pytest.mark.parametrize(
    "text",
    [
        # an analgesic taken for a non-pain reason (CONVENTIONS dev)
        "HPI: Her son says she often takes Vicodin for her nerves.",
        # a new drug in the plan is still a plan
        "PLAN: Start duloxetine 30 mg daily.",
    ],
)
def test_when_not_care_for_the_complaint_then_notasserted(extractor, text):
    assert not asserted_of(extractor, text, "CONSERVATIVE_CARE"), text


@pytest.mark.parametrize(
    "text",
    [
        # 'for' + a noun phrase with any modifiers ending in a condition head
        "PLAN: She will be fitted with a thumb spica splint for her de Quervain tenosynovitis.",
        "PLAN: We will schedule an epidural injection for his left L5 radiculopathy.",
        # a test to look for a named condition
        "PLAN: An ultrasound will be done to look for a deep vein thrombosis.",
    ],
)
def test_when_service_for_a_named_condition_then_necessity(extractor, text):
    assert asserted_of(extractor, text, "NECESSITY"), text


@pytest.mark.parametrize(
    "text",
    [
        # a visit reason and a generic search are not reasons (CONVENTIONS dev, train3)
        "HPI: She is a 52-year-old woman who presents to the clinic today for the evaluation of knee pain.",
        "PLAN: We will get labs to look for other causes of her fatigue.",
    ],
)
def test_when_visit_reason_or_generic_search_then_no_necessity(extractor, text):
    assert not asserted_of(extractor, text, "NECESSITY"), text


def test_when_service_for_condition_declined_then_negated(extractor):
    text = "PLAN: She declined a wrist splint for her carpal tunnel syndrome."
    assert not asserted_of(extractor, text, "NECESSITY")


@pytest.mark.parametrize(
    ("text", "modality", "outcome"),
    [
        ("HPI: She has been wearing a knee sleeve for the patellar pain.", "bracing", "unknown"),
        ("HPI: He tried a counterforce strap for the elbow without relief.", "bracing", "failed"),
        ("HPI: She went to physical therapy, but it made her pain worse.", "physical_therapy", "failed"),
        ("HPI: A course of prednisone gave him relief.", "oral_steroid", "helped"),
        ("HPI: Naproxen gave her some relief.", "nsaid", "partial"),
    ],
)
def test_when_support_or_outcome_phrase_then_attrs(extractor, text, modality, outcome):
    found = asserted_of(extractor, text, "CONSERVATIVE_CARE")
    assert found, text
    assert (found[0].attrs["modality"], found[0].attrs["outcome"]) == (modality, outcome)


def test_when_indication_names_the_imaging_finding_then_each_sentence_is_necessity(extractor):
    text = ("INDICATIONS: Six months of axial neck pain. She has failed physical therapy and NSAIDs. "
            "Her MRI shows facet hypertrophy at C5-C6.\n\nPROCEDURE: Cervical medial branch block.")
    found = asserted_of(extractor, text, "NECESSITY")
    assert any(text[s.start:s.end].startswith("Her MRI shows facet hypertrophy") for s in found)


def test_when_service_for_a_severe_condition_then_necessity(extractor):
    text = "PLAN: She is scheduled for a carpal tunnel release for severe carpal tunnel syndrome."
    assert asserted_of(extractor, text, "NECESSITY")


@pytest.mark.parametrize(
    ("text", "asserted"),
    [
        # permission to keep using a drug counts like 'continue X' (annotated so in train3)
        ("PLAN: He can take naproxen twice daily as needed for the knee pain.", True),
        ("PLAN: She may continue to use her lidocaine patches.", True),
        # a new treatment in the plan does not (CONVENTIONS dev: 'She may apply ice and heat')
        ("PLAN: We can start duloxetine at 30 mg.", False),
        ("PLAN: She may apply ice and heat.", False),
    ],
)
def test_when_permission_to_keep_using_then_continued(extractor, text, asserted):
    assert bool(asserted_of(extractor, text, "CONSERVATIVE_CARE")) is asserted, text


@pytest.mark.parametrize(
    ("text", "asserted"),
    [
        # a conditional order counts (CONVENTIONS dev), whatever the condition is called
        ("PLAN: If she has any further problems with the knee, we can consider an MRI.", True),
        ("PLAN: If he has another flare, we will refer him to rheumatology.", True),
        # ... but not a condition with no service
        ("PLAN: If he has any problems with the medication, he can call the office.", False),
    ],
)
def test_when_conditional_order_then_necessity(extractor, text, asserted):
    assert bool(asserted_of(extractor, text, "NECESSITY")) is asserted, text


@pytest.mark.parametrize(
    ("text", "modality"),
    [
        ("HPI: He takes Voltaren 75 mg twice a day.", "nsaid"),
        ("HPI: She rubs Voltaren gel on both knees.", "topical"),
        ("HPI: He has been on Vicoprofen since the injury.", "opioid, nsaid"),
        ("HPI: She takes Fioricet for her tension headaches.", "acetaminophen"),
        ("HPI: She takes carbamazepine 200 mg for her trigeminal neuralgia.", "neuropathic"),
        ("HPI: He has been going to aqua therapy twice a week.", "physical_therapy"),
        ("HPI: She wears ThermaCare wraps at work.", "ice_heat"),
    ],
)
def test_when_more_brands_then_modality(extractor, text, modality):
    found = asserted_of(extractor, text, "CONSERVATIVE_CARE")
    assert found and found[0].attrs["modality"] == modality, text


def test_when_anticonvulsant_in_a_list_without_a_pain_reason_then_no_care(extractor):
    assert not asserted_of(extractor, "MEDICATIONS:\n1. Tegretol.\n2. Synthroid.", "CONSERVATIVE_CARE")


@pytest.mark.parametrize(
    ("text", "asserted"),
    [
        # 'to make sure there is no X' names a condition, like 'to rule out X'
        ("PLAN: I will get an x-ray of the ankle to make sure there is no fracture.", True),
        ("PLAN: We will order an ultrasound to make sure it is not a blood clot.", True),
        ("PLAN: We will get some labs to make sure there is nothing else going on.", False),
        # a specialist named by the doctor's title
        ("PLAN: I would like her to see a rheumatologist because of the joint swelling.", True),
        ("PLAN: For your knee osteoarthritis, I am referring you to physical therapy.", True),
        # a generic purpose
        ("PLAN: She will see her neurologist to assess for any change in her treatment.", False),
    ],
)
def test_when_named_purpose_or_specialist_then_necessity(extractor, text, asserted):
    assert bool(asserted_of(extractor, text, "NECESSITY")) is asserted, text


@pytest.mark.parametrize(
    ("text", "asserted"),
    [
        # a consequence clause with the patient as subject
        ("HPI: Her knee pain persisted, so she was referred to physical therapy.", True),
        ("HPI: He was doing well, so he was discharged home.", False),
    ],
)
def test_when_consequence_clause_then_necessity(extractor, text, asserted):
    assert bool(asserted_of(extractor, text, "NECESSITY")) is asserted, text


def test_when_pre_procedure_history_states_functional_interference_then_necessity(extractor):
    text = ("PREOPERATIVE DIAGNOSIS: Right trigger thumb.\n\nHISTORY: The patient is a 60-year-old woman "
            "with a painful right thumb. She has difficulty opening jars. The thumb catches every morning."
            "\n\nPROCEDURE: Right trigger thumb release.")
    found = [text[s.start:s.end] for s in asserted_of(extractor, text, "NECESSITY")]
    assert "She has difficulty opening jars" in found


def test_when_visit_note_states_difficulty_then_no_necessity(extractor):
    # outside a procedure note's history a difficulty is FUNCTION, not NECESSITY
    text = "HPI: She has difficulty opening jars because of thumb pain.\n\nPLAN: Follow up in 3 months."
    assert not asserted_of(extractor, text, "NECESSITY")


@pytest.mark.parametrize(
    ("text", "asserted"),
    [
        ("PLAN: A functional restoration program is recommended, as he is intolerant of oral analgesics.", True),
        # intolerance alone, with no service, is not NECESSITY
        ("HPI: She is intolerant of NSAIDs.", False),
    ],
)
def test_when_care_not_tolerated_then_reason_for_service(extractor, text, asserted):
    assert bool(asserted_of(extractor, text, "NECESSITY")) is asserted, text


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("HPI: He has never taken Excedrin or any triptan.", "CONSERVATIVE_CARE"),
        ("HPI: She denies use of CBD cream.", "CONSERVATIVE_CARE"),
        ("HPI: He is not taking Voltaren.", "CONSERVATIVE_CARE"),
        ("HPI: She has not needed a knee sleeve.", "CONSERVATIVE_CARE"),
        ("PLAN: No x-ray is needed to make sure there is no fracture.", "NECESSITY"),
        ("PLAN: I do not think she needs a splint for her carpal tunnel syndrome.", "NECESSITY"),
        ("PLAN: We will not refer her to a rheumatologist because the labs are normal.", "NECESSITY"),
    ],
)
def test_when_new_lexicon_or_structure_negated_then_notasserted(extractor, text, label):
    found = statements_of(extractor, text, label)
    assert found and not any(s.asserted for s in found), text
