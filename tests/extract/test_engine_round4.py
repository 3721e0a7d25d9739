"""Engine fixes (statements.py), round 4: ConText on a pre-procedure history's condition cues,
FUNCTION direction for "progressive and persistent" limitations.

Table-driven: valid / invalid / negated / historical / hypothetical. Sentences are written for
the tests, not copied from gold notes.
"""

from __future__ import annotations

import pytest
from extract_helpers import asserted_of, statements_of

from driftcheck.extract.statements import _note_kind
from driftcheck.text.pipeline import TextProcessor

# --- 1. nec.procedure_history follows ConText --------------------------------------------------

_PROC = "INDICATION: {}\n\nPROCEDURE: Right L5 transforaminal epidural steroid injection.\n"


@pytest.mark.parametrize("sentence", [
    "She has had burning numbness down the right leg for four months.",
    "He reports constant low back pain radiating into the buttock.",
])
def test_history_conditionasserted(extractor, sentence):
    found = [s for s in asserted_of(extractor, _PROC.format(sentence), "NECESSITY")
             if s.pattern_id == "nec.procedure_history"]
    assert found, sentence


@pytest.mark.parametrize("sentence", [
    "She has not had any numbness in the legs.",  # negated
    "He denies any tingling in the feet.",  # negated
    "There is no numbness or tingling in either leg.",  # negated
])
def test_history_condition_notasserted(extractor, sentence):
    text = _PROC.format(sentence)
    start = text.index(sentence)
    found = [s for s in asserted_of(extractor, text, "NECESSITY")
             if s.start < start + len(sentence) and s.end > start]
    assert not found, (sentence, [(s.pattern_id, text[s.start:s.end]) for s in found])


def test_history_condition_negated_thenasserted(extractor):
    # one denied and one present condition: the sentence still presents the condition
    text = _PROC.format("She denies weakness but has constant radiating leg pain.")
    assert any(s.pattern_id == "nec.procedure_history" for s in asserted_of(extractor, text, "NECESSITY"))


# --- 4. FUNCTION direction ---------------------------------------------------------------------

@pytest.mark.parametrize(("sentence", "direction"), [
    ("He has progressive and persistent limitations in walking because of his back pain.", "worsened"),
    ("She describes increasing and severe difficulty climbing stairs due to knee pain.", "worsened"),
    ("His persistent limitations in walking are unchanged since the last visit.", "unchanged"),
])
def test_function_direction(extractor, sentence, direction):
    found = asserted_of(extractor, "HISTORY OF PRESENT ILLNESS:\n" + sentence + "\n", "FUNCTION")
    assert found and found[0].attrs["direction"] == direction, [dict(s.attrs) for s in found]


def test_function_direction_negated(extractor):
    text = "HISTORY OF PRESENT ILLNESS:\nHe denies progressive and persistent limitations in walking.\n"
    assert not asserted_of(extractor, text, "FUNCTION")


# --- 3. FUNCTION by section --------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "PLAN:\nIt may be several weeks before he is able to tolerate walking.\n",  # prognosis
    "PLAN:\nShe is unable to lift her grandson because of the shoulder pain.\n",  # stated inability
])
def test_plan_ability_kept(extractor, text):
    assert asserted_of(extractor, text, "FUNCTION"), text


@pytest.mark.parametrize("text", [
    "PLAN:\nUse crutches while ambulating for two weeks.\n",  # advice (invalid)
    "PLAN:\nHe denies being unable to walk.\n",  # negated
])
def test_plan_advice_or_denial_dropped(extractor, text):
    assert not asserted_of(extractor, text, "FUNCTION"), text


@pytest.mark.parametrize("text", [
    "REVIEW OF SYSTEMS:\nPsychiatric: Positive for waking up at night. No depression.\n",
    "REVIEW OF SYSTEMS:\nPsychiatric: Sleep disturbance. No depression.\n",
])
def test_ros_sleep_dropped(extractor, text):
    assert not asserted_of(extractor, text, "FUNCTION"), text


def test_hpi_sleep_kept(extractor):
    text = "HISTORY OF PRESENT ILLNESS:\nThe back pain wakes her up at night several times.\n"
    assert asserted_of(extractor, text, "FUNCTION")


# --- 2. note kind: same-visit procedure, pre-operative history -----------------------------------


@pytest.mark.parametrize(("text", "kind"), [
    # valid: a procedure done at this visit; a pre-operative history ending in the decision
    ("HISTORY OF PRESENT ILLNESS:\nLow back pain for a year.\n\nPLAN:\nTrigger point injections, "
     "which were performed today, were tolerated well.\n", "procedure"),
    ("HISTORY OF PRESENT ILLNESS:\nShe has had left hip pain for years despite therapy. She has "
     "elected to undergo total hip arthroplasty.\n", "procedure"),
    # invalid: a test done today, a prescription given today
    ("HISTORY OF PRESENT ILLNESS:\nNeck pain.\n\nPLAN:\nAn EMG will be performed today.\n", "visit"),
    ("HISTORY OF PRESENT ILLNESS:\nNeck pain.\n\nPLAN:\nA prescription was given today.\n", "visit"),
    # hypothetical / future: an injection planned, a surgery discussed
    ("HISTORY OF PRESENT ILLNESS:\nKnee pain.\n\nPLAN:\nAn injection will be scheduled next week.\n", "visit"),
    ("HISTORY OF PRESENT ILLNESS:\nKnee pain.\n\nPLAN:\nWe discussed surgery; she is undecided.\n", "visit"),
])
def test_note_kind(text, kind):
    assert _note_kind(TextProcessor().process(text)) == kind


def test_same_visit_history_is_necessity(extractor):
    text = ("HISTORY OF PRESENT ILLNESS:\nHe has constant aching pain across the upper trapezius.\n"
            "He denies any numbness in the arms.\n\n"
            "PLAN:\nTrigger point injections were performed today without complication.\n")
    found = [s for s in statements_of(extractor, text, "NECESSITY") if s.pattern_id == "nec.procedure_history"]
    asserted = [text[s.start:s.end] for s in found if s.asserted]
    assert any("aching pain" in a for a in asserted), asserted
    assert not any("numbness" in a for a in asserted), asserted  # negated (fix 1)
