"""Table-driven tests of the extraction components, ConText flags, validators and the cache."""

from __future__ import annotations

import pytest
from extract_helpers import statements_of

from driftcheck.errors import DataFileError
from driftcheck.extract import extract_statements, validators
from driftcheck.extract.components import load_pattern_file
from driftcheck.extract.context import load_rules
from driftcheck.extract.statements import Extractor
from driftcheck.text.pipeline import TextProcessor


@pytest.mark.parametrize(
    "text, label, asserted, attrs",
    [
        # valid
        ("She is unable to sit for more than 20 minutes.", "FUNCTION", True, {"direction": "none"}),
        ("He wakes up at night from the pain.", "FUNCTION", True, {}),
        ("He is on light duty at work.", "FUNCTION", True, {}),
        ("ODI score of 42%.", "FUNCTION", True, {"score_name": "odi", "score": 42}),
        ("She is now able to walk two miles, more active than before.", "FUNCTION", True, {"direction": "improved"}),
        ("He has tried Tylenol and ibuprofen without significant relief.", "CONSERVATIVE_CARE", True,
         {"modality": "acetaminophen, nsaid", "outcome": "failed"}),
        ("She completed physical therapy for 6 weeks with some relief.", "CONSERVATIVE_CARE", True,
         {"modality": "physical_therapy", "duration_weeks": 6, "outcome": "partial"}),
        ("Continue with ice and elevation.", "CONSERVATIVE_CARE", True, {}),
        ("She rates her pain as 7/10.", "PAIN_SCORE", True, {"value": 7, "scale": "nrs"}),
        ("Pain is 6-8/10 on VAS.", "PAIN_SCORE", True, {"value": 8, "scale": "vas"}),
        ("The last epidural injection gave 70% relief for 3 months.", "PROCEDURE_RESPONSE", True,
         {"relief_pct": 70, "duration_weeks": 12.9}),
        ("The prior injection provided no relief.", "PROCEDURE_RESPONSE", True, {"relief_pct": 0}),
        ("I spent 25 minutes with the patient, more than half in counseling.", "TIME_SPENT", True, {"minutes": 25}),
        ("X-ray ordered to rule out fracture.", "NECESSITY", True, {}),
        ("If he continues to have pain, we will obtain an MRI for further evaluation.", "NECESSITY", True, {}),
        # negated
        ("She denies any difficulty walking.", "FUNCTION", False, {}),
        ("He has not tried physical therapy.", "CONSERVATIVE_CARE", False, {}),
        ("Physical therapy: No.", "CONSERVATIVE_CARE", False, {}),
        # hypothetical (plans to start treatment; therapy goals)
        ("We will start physical therapy twice a week.", "CONSERVATIVE_CARE", False, {}),
        ("Goal: pain less than 4/10.", "PAIN_SCORE", False, {}),
    ],
)
def test_when_statement_then_label_flags_and_attrs(extractor, text, label, asserted, attrs):
    found = statements_of(extractor, text, label)
    assert found, f"no {label} found"
    best = next((s for s in found if s.asserted), found[0])
    assert best.asserted is asserted
    for key, value in attrs.items():
        assert best.attrs.get(key) == value, key


@pytest.mark.parametrize(
    "text, label",
    [
        # invalid values are rejected by validators
        ("Pain 12/10 today.", "PAIN_SCORE"),
        ("The injection gave 150% relief.", "PROCEDURE_RESPONSE"),
        ("I spent 900 minutes with the patient.", "TIME_SPENT"),
        # not the label at all
        ("Gait: antalgic.", "FUNCTION"),
        ("Depo-Medrol 80 mg was injected at L4-L5.", "CONSERVATIVE_CARE"),
        ("After a 30-minute recovery period the patient was discharged.", "TIME_SPENT"),
    ],
)
def test_when_invalid_or_excluded_then_no_asserted_statement(extractor, text, label):
    assert not [s for s in statements_of(extractor, text, label) if s.asserted]


@pytest.mark.parametrize(
    "text, flag",
    [
        ("PAST MEDICAL HISTORY:\nShe had physical therapy in 2015.", "historical"),
        ("FAMILY HISTORY:\nMother takes oxycodone for back pain.", "other_person"),
        ("His mother has difficulty walking.", "other_person"),
    ],
)
def test_when_context_then_flag_set(extractor, text, flag):
    found = [s for s in extractor.extract(TextProcessor().process(text))
             if s.label in ("CONSERVATIVE_CARE", "FUNCTION")]
    assert found and getattr(found[0], flag)


@pytest.mark.parametrize(
    "text, label, attrs",
    [
        ("Trigger points were injected in the left trapezius and right rhomboid.", "MUSCLE",
         [{"muscle": "trapezius", "side": "left"}, {"muscle": "rhomboid", "side": "right"}]),
        ("Left L4-L5 transforaminal epidural steroid injection.", "SPINAL_LEVEL",
         [{"levels": ["L4-L5"], "region": "lumbar", "laterality": "left", "approach": "transforaminal"}]),
        ("Under fluoroscopic guidance the needle was advanced.", "GUIDANCE", [{"modality": "fluoroscopy"}]),
        ("Diagnostic medial branch block at L3, L4 and L5.", "INTENT", [{"intent": "diagnostic"}]),
        ("She has had low back pain for 2 years.", "PAIN_DURATION", [{"months": 24}]),
    ],
)
def test_when_billing_mention_then_attrs(extractor, text, label, attrs):
    found = statements_of(extractor, text, label)
    assert len(found) >= len(attrs)
    for want, got in zip(attrs, found, strict=False):
        for key, value in want.items():
            assert got.attrs.get(key) == value, key


@pytest.mark.parametrize(
    "check, value, ok",
    [
        (validators.validate_pain_score, {"value": 7, "max": 10}, True),
        (validators.validate_pain_score, {"value": 11, "max": 10}, False),
        (validators.validate_relief, {"relief_pct": 100}, True),
        (validators.validate_relief, {"relief_pct": 120}, False),
        (validators.validate_minutes, {"minutes": 45}, True),
        (validators.validate_minutes, {"minutes": 601}, False),
        (validators.validate_levels, {"levels": ["L5-S1"]}, True),
        (validators.validate_levels, {"levels": ["L7-L8"]}, False),
        (validators.validate_months, {"months": 1500}, False),
    ],
)
def test_when_value_then_validator_decides(check, value, ok):
    assert check(value) is ok


def test_when_pattern_entry_bad_then_error_names_file_and_line():
    with pytest.raises(DataFileError, match=r"x\.jsonl line 2"):
        load_pattern_file("x.jsonl", '{"id": "a", "pattern": "pain"}\n{"id": "b", "patern": "x"}\n')


def test_when_context_rule_bad_then_error_names_entry():
    with pytest.raises(DataFileError, match=r"rules\[0\]"):
        load_rules({"rules": [{"literal": "no", "category": "NEGATED", "direction": "forward"}]}, "c.json")


NOTE = """HISTORY OF PRESENT ILLNESS:
She has failed 8 weeks of physical therapy and ibuprofen.
She is unable to stand for more than 10 minutes.
Pain is 7/10 today.
PLAN:
Left L4-L5 transforaminal epidural steroid injection under fluoroscopy.
"""


def test_when_cached_then_statements_identical_and_counted():
    cold, warm = Extractor(), Extractor()
    processor = TextProcessor()
    first = cold.extract(processor.process(NOTE))
    assert cold.hits == 0 and cold.misses > 0
    warm.extract(TextProcessor().process(NOTE))
    again = warm.extract(processor.process(NOTE))  # every block cached now
    assert warm.hits == cold.misses
    assert again == first


def test_when_freshness_given_then_carried_statements_are_stale():
    doc = TextProcessor().process(NOTE)
    cut = NOTE.index("Pain is")

    def freshness(start: int, end: int) -> tuple[bool, str | None]:
        return (start >= cut, None if start >= cut else "N1")

    statements = Extractor().extract(doc, freshness)
    stale = [s for s in statements if not s.fresh]
    assert stale and all(s.source_note_id == "N1" and s.start < cut for s in stale)
    assert all(s.fresh for s in statements if s.start >= cut)


def test_when_module_function_then_same_as_extractor():
    doc = TextProcessor().process(NOTE)
    assert extract_statements(doc) == Extractor().extract(doc)
