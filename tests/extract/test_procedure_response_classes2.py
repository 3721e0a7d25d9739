"""PROCEDURE_RESPONSE, second round (ANNOTATION.md): soft-tissue releases as procedures, a
failure to respond to shots, how long relief from an earlier procedure lasted. Sentences are
written for these tests, not taken from any gold note.
"""

from __future__ import annotations

import pytest
from extract_helpers import HPI, in_section

_responses = in_section("PROCEDURE_RESPONSE", HPI)


@pytest.mark.parametrize(
    "text, attrs",
    [
        ("She had a carpal tunnel release in 2019 and her numbness went away.", {}),
        ("His trigger finger release helped a great deal.", {"relief_pct": None}),
        ("Her plantar fasciitis failed to respond to two cortisone shots.", {"relief_pct": 0}),
        ("He would like it repeated since the relief from that injection lasted three months.", {}),
        ("The facet block did not give her any relief.", {"relief_pct": 0}),
        ("After the medial branch block her pain went from 7/10 to 1/10.", {}),
        ("Her leg pain came back about a month after the epidural.", {}),
    ],
)
def test_when_response_then_asserted(extractor, text, attrs):
    found = [s for s in _responses(extractor, text) if s.asserted]
    assert found, "no PROCEDURE_RESPONSE found"
    for key, value in attrs.items():
        assert found[0].attrs.get(key) == value, (key, found[0].attrs)


@pytest.mark.parametrize(
    "text, heading",
    [
        ("He failed to respond, so he was scheduled for surgery.", "HISTORY OF PRESENT ILLNESS"),
        ("She takes extended release morphine and it has helped.", "HISTORY OF PRESENT ILLNESS"),
        ("The release of the transverse carpal ligament was completed.", "PROCEDURE"),
        ("If she fails to respond to the injections, we will consider a release.", "PLAN"),
        ("Her pain came back after she stopped the ibuprofen.", "HISTORY OF PRESENT ILLNESS"),
    ],
)
def test_when_not_a_response_then_not_asserted(extractor, text, heading):
    found = [s for s in _responses(extractor, text, heading) if s.asserted]
    assert not found, [(s.pattern_id, s.attrs) for s in found]


def test_when_no_relief_from_release_then_not_asserted_as_negation(extractor):
    found = [s for s in _responses(extractor, "The tennis elbow release did not help at all.") if s.asserted]
    assert found and found[0].attrs.get("relief_pct") == 0, [(s.pattern_id, s.attrs) for s in found]
