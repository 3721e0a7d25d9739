"""Section detection from the declared header file."""

from __future__ import annotations

import json

import pytest

from driftcheck.errors import DataFileError
from driftcheck.text.pipeline import TextProcessor
from driftcheck.text.sections import detect_sections, load_headers

NOTE = """HISTORY OF PRESENT ILLNESS:, The patient returns for low back pain. Pain is 6/10.
PAST MEDICAL HISTORY: Hypertension.
MEDICATIONS: Gabapentin 300 mg nightly
PHYSICAL EXAM
Tenderness over the L4-L5 facets bilaterally.
ASSESSMENT AND PLAN: Lumbar spondylosis. Proceed with medial branch block."""


def test_colon_and_line_headers_are_found_in_order() -> None:
    kinds = [s.kind for s in detect_sections(NOTE)]
    assert kinds == ["hpi", "pmh", "medications", "exam", "assessment_plan"]


def test_clinical_flag_follows_the_data_file() -> None:
    by_kind = {s.kind: s.clinical for s in detect_sections(NOTE)}
    assert by_kind["hpi"] and by_kind["exam"] and not by_kind["medications"] and not by_kind["pmh"]


def test_note_without_headers_is_one_unsectioned_section() -> None:
    (section,) = detect_sections("Seen today for neck pain, improved since last visit.")
    assert section.kind == "unsectioned" and section.clinical


def test_sentences_carry_section_kind_and_exclude_headers() -> None:
    doc = TextProcessor().process(NOTE)
    texts = [(s.section, doc.sentence_text(s)) for s in doc.sentences]
    assert ("hpi", "Pain is 6/10.") in texts
    assert ("exam", "Tenderness over the L4-L5 facets bilaterally.") in texts
    assert all("PHYSICAL EXAM" not in t for _, t in texts)


def test_cached_and_uncached_processing_agree() -> None:
    proc = TextProcessor()
    first, second = proc.process(NOTE), proc.process(NOTE)
    assert first == second and proc.hits > 0 and second.docs == {}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"sections": [{"kind": "x", "titles": ["a"], "colour": 1}]}, "unknown key"),
        ({"sections": [{"kind": "x", "titles": []}]}, "non-empty 'titles'"),
        ({"sections": [{"kind": "x", "titles": ["("]}]}, "bad title pattern"),
        ({"nope": []}, "'sections' list"),
    ],
)
def test_bad_header_file_is_rejected_with_location(raw: dict, message: str) -> None:
    with pytest.raises(DataFileError, match=message):
        load_headers(json.loads(json.dumps(raw)), "custom.json")


def test_single_sentence_fast_path_matches_spacy() -> None:
    """Lines without inner sentence punctuation skip spaCy but get the same sentences."""
    from driftcheck.text.pipeline import _blocks, _sentence_bounds, sentence_nlp
    from driftcheck.text.sections import detect_sections

    text = NOTE + "\nPLAN: Continue meloxicam 7.5 mg daily. Return in 4 weeks\nFollow up with Dr. Lee"
    doc = TextProcessor().process(text)
    nlp = sentence_nlp()
    expected = []
    for block in _blocks(text, detect_sections(text)):
        chunk = text[block.start : block.end]
        expected += [(block.start + a, block.start + b) for a, b in _sentence_bounds(chunk, nlp(chunk))]
    assert [(s.start, s.end) for s in doc.sentences] == expected
    assert len(doc.docs) < len(doc.blocks)  # some lines were never tokenised
