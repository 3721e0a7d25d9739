"""Synthetic pain-management visits for similarity and rule tests (invented text, no PHI).

A small clinic template with carried-forward PMH, medications, allergies, social history and
ROS (what real follow-ups legitimately repeat) and per-visit clinical content, plus the edits
clone-injection studies use (Cohen 2013; Landi's repeat_note/replace_words): verbatim copies,
nudged numbers, synonym swaps and reordered sentences.
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

from driftcheck.model import Note
from driftcheck.text.pipeline import process

TEMPLATE = """CHIEF COMPLAINT: Low back pain radiating to the left leg.

HISTORY OF PRESENT ILLNESS: {hpi}

PAIN ASSESSMENT: Current pain {pain}/10, worst pain {worst}/10 over the past week. ODI {odi}%.

PAST MEDICAL HISTORY: Hypertension. Type 2 diabetes mellitus, diet controlled. Obesity.

MEDICATIONS: Gabapentin 300 mg three times daily. Meloxicam 15 mg daily. Lisinopril 10 mg daily.

ALLERGIES: Penicillin causes hives.

SOCIAL HISTORY: Former smoker, quit in 2015. Works as a warehouse supervisor and lives with his wife.

REVIEW OF SYSTEMS: Negative for fever, weight loss, bowel or bladder incontinence.

PHYSICAL EXAMINATION:
Vitals: BP {bp}/84, HR {hr}.
General: Alert and oriented, in no acute distress.
{exam}

ASSESSMENT: {assessment}

PLAN: {plan}
"""

HPIS = [
    "The patient returns for follow-up of chronic lumbar radicular pain. Since the last visit he "
    "completed six weeks of physical therapy with a home exercise program and reports only minimal "
    "improvement. He continues to have burning pain down the posterior left thigh into the calf. "
    "Sitting longer than twenty minutes makes the leg pain worse.",
    "He underwent a left L5-S1 transforaminal epidural steroid injection three weeks ago and reports "
    "about 60 percent relief of the leg pain lasting until now. He is sleeping through the night for "
    "the first time in months. The numbness in the left foot is unchanged.",
    "Over the holidays he helped his son move furniture and had a flare of axial back pain for a week, "
    "which settled with rest and ice. The radiating leg symptoms have remained improved since the "
    "injection. He has returned to full duty at work without restrictions.",
    "He reports the benefit from the injection wore off about two weeks ago and the burning calf pain "
    "has returned. He had to leave work early twice this month. He asks whether the injection can be "
    "repeated since it helped.",
    "The patient was seen in urgent care after a fall on ice five days ago. He landed on his buttocks "
    "and has new right sided buttock pain in addition to his usual left leg symptoms. Plain films at "
    "urgent care showed no fracture.",
    "He has been walking thirty minutes daily with his wife and reports that the leg pain now only "
    "comes on after standing at work for several hours. He stopped taking meloxicam because of "
    "heartburn and uses acetaminophen instead.",
]
EXAMS = [
    "Lumbar spine: Tenderness over the left L5-S1 paraspinals. Flexion limited to 40 degrees.\n"
    "Neuro: Straight leg raise positive on the left at 45 degrees. Strength 5/5 throughout. "
    "Decreased sensation over the left lateral foot.",
    "Lumbar spine: Mild tenderness over the lower lumbar paraspinals. Flexion improved to 60 degrees.\n"
    "Neuro: Straight leg raise now negative bilaterally. Strength 5/5 throughout. Sensation intact "
    "except a small patch over the left lateral foot.",
    "Lumbar spine: Tenderness over the right sacroiliac joint and right buttock, new since last visit. "
    "FABER provokes right buttock pain.\nNeuro: Straight leg raise positive on the left at 50 degrees. "
    "Left ankle reflex diminished.",
]
ASSESSMENTS = [
    "Lumbar radiculopathy, left L5-S1, with disc protrusion on MRI. Failed six weeks of conservative care.",
    "Lumbar radiculopathy, left L5-S1, improving after epidural injection.",
    "Lumbar radiculopathy, left L5-S1, recurrent symptoms after the injection wore off. New right "
    "sacroiliac joint pain after a fall.",
]
PLANS = [
    "Proceed with left L5-S1 transforaminal epidural steroid injection under fluoroscopy. Continue "
    "gabapentin and home exercises. Follow up two weeks after the injection.",
    "Continue the home exercise program and gabapentin. No injection needed at this time given the "
    "ongoing relief. Return in six weeks or sooner if symptoms recur.",
    "Repeat left L5-S1 transforaminal injection given more than 50 percent relief for three months "
    "after the last one. Start a sacroiliac stretching program and obtain pelvis x-rays.",
    "Switch meloxicam to topical diclofenac because of heartburn. Increase gabapentin to 400 mg three "
    "times daily. Follow up in one month with a repeat ODI.",
]

SYNONYMS = [
    ("reports", "states"), ("returns", "comes back"), ("pain", "discomfort"), ("continues", "goes on"),
    ("Tenderness", "Tender to palpation"), ("improvement", "benefit"), ("Proceed with", "Plan for"),
    ("follow-up", "recheck"), ("limited", "restricted"), ("Continue", "Keep"),
]


def genuine_visit(i: int, seed: int = 0) -> dict[str, object]:
    """Fields of the i-th genuine visit: new history, scores, exam or plan each time."""
    rng = random.Random(seed * 1000 + i)
    return {
        "hpi": HPIS[i % len(HPIS)],
        "pain": [7, 4, 3, 6, 7, 3][i % 6],
        "worst": [9, 6, 5, 8, 9, 5][i % 6],
        "odi": [46, 30, 24, 38, 44, 22][i % 6],
        "bp": rng.choice([128, 132, 136, 124]),
        "hr": rng.choice([72, 76, 80, 68]),
        "exam": EXAMS[[0, 1, 1, 0, 2, 1][i % 6]],
        "assessment": ASSESSMENTS[[0, 1, 1, 2, 2, 1][i % 6]],
        "plan": PLANS[i % len(PLANS)],
    }


def render(fields: dict[str, object]) -> str:
    """The note text of one visit."""
    return TEMPLATE.format(**fields)


def make_note(text: str, i: int, patient: str = "P1", start: date = date(2024, 1, 8)) -> Note:
    """A Note for visit ``i`` of ``patient`` (visits four weeks apart)."""
    return Note(patient, f"{patient}-V{i + 1:02d}", start + timedelta(weeks=4 * i), text)


def nudge_numbers(text: str, rng: random.Random) -> str:
    """Move each pain score and ODI by one point, as a cloner 'updating' a copied note would."""

    def pain(m: re.Match[str]) -> str:
        v = int(m.group(1))
        return f"{max(0, min(10, v + rng.choice([-1, 1])))}/10"

    text = re.sub(r"\b(\d{1,2})/10\b", pain, text)
    return re.sub(r"ODI (\d+)%", lambda m: f"ODI {int(m.group(1)) + rng.choice([-2, 2])}%", text)


def swap_words(text: str, n: int = 4, rng: random.Random | None = None) -> str:
    """Swap ``n`` words for synonyms (first occurrence each)."""
    rng = rng or random.Random(0)
    pairs = [p for p in SYNONYMS if p[0] in text]
    rng.shuffle(pairs)
    for old, new in pairs[:n]:
        text = text.replace(old, new, 1)
    return text


def reorder_sentences(text: str, rng: random.Random) -> str:
    """Shuffle whole sentences inside every line that holds three or more of them."""
    doc = process(text)
    out = text
    for block in sorted(doc.blocks, key=lambda b: -b.start):
        sents = doc.sentences_in(block)
        if len(sents) < 3:
            continue
        parts = [text[s.start : s.end] for s in sents]
        rng.shuffle(parts)
        out = out[: sents[0].start] + " ".join(parts) + out[sents[-1].end :]
    return out


def light_edit(text: str, seed: int = 0) -> str:
    """A lightly edited copy: numbers nudged, a few words swapped, sentences reordered."""
    rng = random.Random(seed)
    return reorder_sentences(swap_words(nudge_numbers(text, rng), 4, rng), rng)


def spelled_scores(text: str) -> str:
    """Restate "6/10" as "six out of ten" (a rewording clones use)."""
    words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    return re.sub(r"\b(\d{1,2})/10\b", lambda m: f"{words[int(m.group(1))]} out of ten", text)
