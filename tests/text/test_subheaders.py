"""Inline sub-headers, bulleted ACI-Bench sub-headers and "Title: value" items (table-driven).

A span never includes a header, so the text stage cuts unlisted inline headers out of the
sentence (they keep the enclosing section's kind there); the extract stage's
``inline_sections`` still reads an upper-case header's keywords for its own line's kind, which is
what extraction's section rules see and what is checked here.
"""

from __future__ import annotations

import pytest

from driftcheck.extract.statements import inline_sections
from driftcheck.text.pipeline import TextProcessor
from driftcheck.text.sections import detect_sections

OP_NOTE = """PREOPERATIVE DIAGNOSIS: Lumbar stenosis L4-L5.

PROCEDURE PERFORMED: Decompressive laminectomy L4-L5.

ESTIMATED BLOOD LOSS: Approximately 200 cc of blood.

SURGICAL INDICATIONS: The patient is a 66-year-old man with neurogenic claudication. He failed six months of physical therapy.

Prior decompression made the segment unstable.

He was taken to the operating room and placed prone on the Jackson table.
"""

ACI_PLAN = """HISTORY OF PRESENT ILLNESS

Mr. Reyes reports right shoulder pain for two months, worse with overhead reaching.

ASSESSMENT AND PLAN

Right shoulder impingement.
• Medical Reasoning: He has been unable to lift his grandson since the fall.
• Additional Testing: We will order an MRI of the right shoulder given his weakness.
• Patient Education and Counseling: I advised him to continue his home exercises.
"""

MTS_VISIT = """CHIEF COMPLAINT: Neck pain.

HX: This 61-year-old woman was referred for neck pain radiating to the left arm.

PHYSICAL EXAMINATION: Spurling sign positive on the left.
GAIT: She walks without an assistive device and rises from a chair unassisted.

HOSPITAL COURSE: She was admitted for pain control and started on gabapentin 300 mg t.i.d.

Pain Level: 7/10 at its worst
Special bras: Yes
"""


def _sentences(text: str) -> list[tuple[str, str]]:
    doc = TextProcessor().process(text)
    blocks = inline_sections(text, doc.blocks)
    kind = {(b.start, b.end): b.section for b in blocks}
    out = []
    for s in doc.sentences:
        block = next(b for b in blocks if b.start <= s.start and s.end <= b.end)
        out.append((kind[(block.start, block.end)], doc.sentence_text(s)))
    return out


@pytest.mark.parametrize(
    ("note", "section", "sentence"),
    [
        # unlisted operative-note sub-header: cut, kind from its keyword, for its line only
        (OP_NOTE, "indication", "The patient is a 66-year-old man with neurogenic claudication."),
        (OP_NOTE, "indication", "He failed six months of physical therapy."),
        # a headerless paragraph that goes on presenting the indication keeps the kind (inline_sections) ...
        (OP_NOTE, "indication", "Prior decompression made the segment unstable."),
        # ... until the operative description starts
        (OP_NOTE, "procedure", "He was taken to the operating room and placed prone on the Jackson table."),
        (OP_NOTE, "procedure", "Approximately 200 cc of blood."),
        # bulleted ACI-Bench sub-headers keep the kind of the section they are in
        (ACI_PLAN, "assessment_plan", "He has been unable to lift his grandson since the fall."),
        (ACI_PLAN, "assessment_plan", "We will order an MRI of the right shoulder given his weakness."),
        (ACI_PLAN, "assessment_plan", "I advised him to continue his home exercises."),
        # MTSamples: HX is history; an exam sub-header stays exam; a hospital course is not exam
        (MTS_VISIT, "hpi", "This 61-year-old woman was referred for neck pain radiating to the left arm."),
        (MTS_VISIT, "exam", "She walks without an assistive device and rises from a chair unassisted."),
        (MTS_VISIT, "course", "She was admitted for pain control and started on gabapentin 300 mg t.i.d."),
        # "Pain: 6/10"-style items keep their title (CONVENTIONS.md), short key: value items too
        (MTS_VISIT, "pain", "Pain Level: 7/10 at its worst"),
        (MTS_VISIT, "pain", "Special bras: Yes"),
    ],
)
def test_sentence_section_and_text(note: str, section: str, sentence: str) -> None:
    assert (section, sentence) in _sentences(note)


@pytest.mark.parametrize(
    ("line", "cut"),
    [
        ("OPERATIVE INDICATIONS: The patient fell and has neck pain.", True),
        ("• Medical Treatment: Continue ibuprofen 600 mg as needed.", True),
        ("Bones and Joints: She has difficulty standing for long.", True),
        ("Special bras: Yes", False),  # an item, not a header
        ("She states: the pain is worse at night.", False),  # not a title
        ("Note that the pain: is worse at night and in the morning.", False),
        ("REASON FOR EVALUATION: Evaluation for chronic pain program.", False),  # cue for NECESSITY
    ],
)
def test_unlisted_subheader_is_cut_only_when_it_looks_like_one(line: str, cut: bool) -> None:
    text = "HISTORY OF PRESENT ILLNESS: Seen for follow-up of back pain.\n" + line
    last = _sentences(text)[-1][1]
    assert (not last.startswith(line.split(":")[0])) == cut


def test_plural_mark_in_header_title() -> None:
    kinds = [s.kind for s in detect_sections("PREOPERATIVE DIAGNOSIS (ES): Recurrent disc herniation L4-5.\n")]
    assert kinds == ["diagnosis_header"]
