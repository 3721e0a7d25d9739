"""FUNCTION: activity classes x ability / limitation / change cues (ANNOTATION.md), written for
these tests, not taken from any gold note: sports and household tasks, self-care verbs, therapy
assistance levels, being bed- or home-bound, work cut back or given up, provocation phrasings,
and the direction of a statement ("worse with walking" says what provokes, "used to" compares).

Each row: text, whether an asserted FUNCTION statement is expected (and, for some, its direction).
"""

from __future__ import annotations

import pytest
from extract_helpers import HPI, in_section

from driftcheck.text.pipeline import TextProcessor

_function = in_section("FUNCTION", HPI)


@pytest.mark.parametrize(
    "text, asserted",
    [
        # valid: activity classes with an ability or limitation cue
        ("He can't pick up his grandson anymore.", True),
        ("She is having trouble putting on her shoes and socks.", True),
        ("He needs help getting dressed in the morning.", True),
        ("She has been doing her normal activities without any issues.", True),
        ("She is limited in what she can do around the house.", True),
        ("She has cut back on her hours at work because of the pain.", True),
        ("He has been walking his dog every day without pain.", True),
        ("She is struggling to keep up with her kids.", True),
        ("She notes that she can't hold a cup of coffee.", True),
        ("She reports that she has trouble falling asleep due to the pain.", True),
        ("He has not been able to play golf this season.", True),
        ("He participates with difficulty in basketball.", True),
        ("The patient rates her pain at 6/10, primarily with ambulation.", True),
        ("She notes the pain in her right knee when climbing stairs.", True),
        ("She can walk only short distances.", True),
        ("She has pain going up stairs.", True),
        ("It is painful to put weight on her left foot.", True),
        ("He has to hold onto the railing to climb stairs.", True),
        ("He fatigues easily with activity.", True),
        ("Her hip hurts when she lies on that side at night.", True),
        ("She is currently on medical leave from her job.", True),
        ("He has missed classes because of the headaches.", True),
        ("He was laid off due to his back injury.", True),
        ("He quit his job because of the pain.", True),
        ("She uses a cane for ambulation outside the house.", True),
        ("Transfers: sit to stand with moderate assistance.", True),
        ("She is homebound.", True),
        ("He is wheelchair bound.", True),
        ("She spends most of the day in bed because of the pain.", True),
        ("His activity level is low.", True),
        ("Has been ambulating well.", True),
        ("She reports improved sleep since the injection.", True),
        ("She is still able to pay her bills and do her own shopping.", True),
        # a limitation stated with "not" is not a denial
        ("He hasn't been able to exercise since the fall.", True),
        ("He has not returned to work.", True),
        ("She has not worked since the accident.", True),
        ("He has not driven since the accident.", True),
        ("She does not do any housework now.", True),
        ("He was unable to finish his shift.", True),
        ("She has worked since her date of injury and will need a gradual return to full activities.", True),
        # invalid: injury mechanism, advice, goals, continence, appointments, organ function
        ("He heard a pop while playing basketball.", False),
        ("He hurt his shoulder lifting a box at work.", False),
        ("She felt a pop and immediate pain while skiing.", False),
        ("She should avoid heavy lifting for two weeks.", False),
        ("The patient is to ambulate 500 feet with standby assist.", False),
        ("She has an inability to hold her urine.", False),
        ("She was unable to keep her appointment last week.", False),
        ("His urinary function had been stable.", False),
        ("She is not able to identify any aggravating factors.", False),
        ("He was able to give a good history.", False),
        ("She was able to tolerate the chest pain for two days.", False),
        ("The MRI could not be completed because of claustrophobia.", False),
        ("He quit smoking two years ago.", False),
        ("He did not go to the emergency room after the fall.", False),
        ("She experienced a sudden sharp pain in her lower back while walking to her car.", False),
        ("He was found unable to move or feel his legs.", False),
        ("Motor examination is very limited because of guarding.", False),
        ("Pain was exacerbated with lateral flexion and rotation of the neck.", False),
        ("She has some difficulty rising up onto her heels.", False),
        ("She does not need help getting dressed.", False),
    ],
)
def test_when_activity_class_phrasing_then_asserted_or_not(extractor, text, asserted):
    found = [s for s in _function(extractor, text) if s.asserted]
    assert bool(found) is asserted, [(s.pattern_id, s.attrs) for s in found]


@pytest.mark.parametrize(
    "text, direction",
    [
        ("Her pain is worse with walking.", "none"),
        ("His symptoms are worse at night and he wakes with numbness.", "none"),
        ("Sitting for long periods makes it worse.", "none"),
        ("The pain interferes with her sleep.", "none"),
        ("He can't walk as far as he used to.", "worsened"),
        ("He quit his job because of the pain.", "worsened"),
        ("She previously played soccer, but now she is not very active.", "worsened"),
        ("He has lost his ability to do his job.", "worsened"),
        ("She has remained active since her last visit.", "unchanged"),
        ("He is walking more since the injection.", "improved"),
        ("She notes that her walking is definitely better.", "improved"),
        ("He reports increased difficulty walking over the past month.", "worsened"),
        ("She is having more difficulty with stairs.", "worsened"),
        ("Her ability to sit has decreased.", "worsened"),
        ("He is having less difficulty with dressing.", "improved"),
        ("She now has difficulty climbing stairs.", "worsened"),
        ("Since the injection she is able to walk further.", "improved"),
        ("She has had continued difficulty with prolonged standing.", "none"),
    ],
)
def test_when_function_statement_then_direction(extractor, text, direction):
    found = [s for s in _function(extractor, text) if s.asserted]
    assert found, "no FUNCTION found"
    assert found[0].attrs.get("direction") == direction, [(s.pattern_id, s.attrs) for s in found]


@pytest.mark.parametrize(
    "text, flag",
    [
        # negated
        ("She denies any trouble putting on her shoes.", "negated"),
        ("He has no difficulty playing tennis.", "negated"),
        # hypothetical: plans and goals
        ("She will be able to return to playing golf in six weeks.", "hypothetical"),
        ("If the pain persists, he will need help with bathing.", "hypothetical"),
    ],
)
def test_when_activity_class_in_context_then_flagged(extractor, text, flag):
    found = _function(extractor, text)
    assert found, "no FUNCTION found"
    assert not any(s.asserted for s in found)
    assert any(getattr(s, flag) for s in found), [(s.pattern_id, s.negated, s.hypothetical) for s in found]


def test_when_past_ability_then_historical(extractor):
    found = _function(extractor, "Prior to the injury he was able to play basketball every weekend.")
    assert found and any(s.historical for s in found), [(s.pattern_id, s.historical) for s in found]


@pytest.mark.parametrize(
    "text, span",
    [
        ("Medical Reasoning: She has trouble walking more than a block.", "She has trouble walking more than a block"),
        ("FUNCTIONAL MOBILITY: He transfers with moderate assistance.", "He transfers with moderate assistance"),
        ("Sitting: 20 minutes.", "Sitting: 20 minutes"),
    ],
)
def test_when_inline_heading_then_span_without_it(extractor, text, span):
    doc = TextProcessor().process("HISTORY OF PRESENT ILLNESS\n\n" + text)
    found = [s for s in extractor.extract(doc) if s.label == "FUNCTION" and s.asserted]
    assert [doc.text[s.start:s.end] for s in found] == [span]
