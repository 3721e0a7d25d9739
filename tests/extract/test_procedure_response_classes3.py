"""PROCEDURE_RESPONSE, third round (CONVENTIONS.md train4): function regained after a procedure
('recovered some strength following surgery', relief_pct null) and an ability the procedure
restored, contrasted with the state before it. Sentences are written for these tests.
"""

from __future__ import annotations

import pytest
from extract_helpers import HPI, in_section

_responses = in_section("PROCEDURE_RESPONSE", HPI)


@pytest.mark.parametrize(
    "text, asserted",
    [
        ("She regained full use of her hand after the carpal tunnel release.", True),
        ("He recovered most of his grip strength following the surgery.", True),
        ("After the carpal tunnel release she could open jars, which she was not able to do preoperatively.", True),
        # invalid: recovery from anesthesia, consciousness, a room
        ("She regained consciousness after the procedure.", False),
        ("He recovered in the PACU after the surgery.", False),
        ("The patient recovered from anesthesia without incident after the procedure.", False),
    ],
)
def test_when_regained_function_then_asserted_or_not(extractor, text, asserted):
    found = [s for s in _responses(extractor, text) if s.asserted]
    assert bool(found) is asserted, [(s.pattern_id, s.attrs) for s in found]
    if found:
        assert found[0].attrs.get("relief_pct") is None


@pytest.mark.parametrize(
    "text",
    [
        "She did not recover any strength after the surgery.",
        "We hope he will regain full strength after the surgery.",
    ],
)
def test_when_regained_function_negated_or_hoped_then_not_asserted(extractor, text):
    assert not any(s.asserted for s in _responses(extractor, text))
