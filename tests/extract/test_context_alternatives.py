"""ConText rules with several alternatives, and triggers that share their words."""

from __future__ import annotations

import pytest

from driftcheck.errors import DataFileError
from driftcheck.extract.context import load_rules
from driftcheck.text.pipeline import TextProcessor


def test_when_pattern_is_a_list_then_each_string_is_an_alternative():
    rules = load_rules({"rules": [{"id": "hist.x", "pattern": ["prior to", "years ago"],
                                   "category": "HISTORICAL", "direction": "bidirectional"}]})
    (rule,) = rules.rules
    assert [[t["LOWER"] for t in p] for p in rule.patterns] == [["prior", "to"], ["years", "ago"]]


def test_when_alternative_bad_then_error_names_entry():
    with pytest.raises(DataFileError, match=r"rules\[0\]"):
        load_rules({"rules": [{"pattern": ["prior to", ""], "category": "HISTORICAL", "direction": "forward"}]})


@pytest.mark.parametrize(
    "text, label, flag",
    [
        # multi-word triggers that the compact syntax could not express as one string
        ("Prior to the injury he was able to walk two miles.", "FUNCTION", "historical"),
        ("Two years ago she was unable to work because of the pain.", "FUNCTION", "historical"),
        ("Family history of low back pain; his mother has difficulty walking.", "FUNCTION", "other_person"),
        # one word, two rules: "encouraged" is a plan for care and advice for function
        ("I encouraged the patient to limit repetitive motions while working.", "FUNCTION", "hypothetical"),
        ("I encouraged the patient to use ice.", "CONSERVATIVE_CARE", "hypothetical"),
    ],
)
def test_when_multiword_or_shared_trigger_then_flag(extractor, text, label, flag):
    found = [s for s in extractor.extract(TextProcessor().process(text)) if s.label == label]
    assert found, f"no {label}"
    assert any(getattr(s, flag) for s in found)
