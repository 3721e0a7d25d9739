"""Speed: a pre-sign compare of one note against a 24-visit history must take a few ms."""

from __future__ import annotations

import time

from timelines import HPIS, genuine_visit, light_edit, make_note, render

from driftcheck.similarity import PatientIndex
from driftcheck.text.pipeline import process

EXTRA = ["wood", "garden", "stairs", "grandson", "church", "fishing", "ladder", "bus", "snow", "dog", "couch",
         "truck", "boxes", "bowling", "piano", "suitcase", "tractor", "roof", "golf", "pool", "bike", "hike"]


def _history(n: int = 24) -> list[str]:
    texts = []
    for i in range(n):
        fields = genuine_visit(i, seed=7)
        word = EXTRA[i % len(EXTRA)]
        # every visit brings distinct sentences, so the index holds hundreds of keys
        fields["hpi"] = (f"This month the {word} incident aggravated the back. "
                         f"{HPIS[(i * 5) % len(HPIS)]} He mentions the {word} again when asked about sleep and "
                         f"says the {word} episode kept him from work for several days.")
        texts.append(light_edit(render(fields), i) if i % 5 == 4 else render(fields))
    return texts


def test_compare_against_24_visit_history_is_fast() -> None:
    texts = _history()
    notes = [make_note(t, i) for i, t in enumerate(texts)]
    docs = [process(t) for t in texts]
    index = PatientIndex()
    for n, d in zip(notes[:-1], docs[:-1], strict=True):
        index.compare(n, d)
        index.add(n, d)
    index.compare(notes[-1], docs[-1])  # warm caches
    timings = []
    for _ in range(30):
        t0 = time.perf_counter()
        index.compare(notes[-1], docs[-1])
        timings.append(time.perf_counter() - t0)
    best = min(timings)
    median = sorted(timings)[len(timings) // 2]
    print(f"compare vs 23 visits: best {best * 1000:.2f} ms, median {median * 1000:.2f} ms")
    assert median < 0.005


def test_batch_throughput_is_hundreds_of_notes_per_second() -> None:
    texts = _history()
    docs = [process(t) for t in texts]
    notes = [make_note(t, i) for i, t in enumerate(texts)]
    t0 = time.perf_counter()
    for _ in range(5):
        index = PatientIndex()
        for n, d in zip(notes, docs, strict=True):
            index.compare(n, d)
            index.add(n, d)
    rate = 5 * len(notes) / (time.perf_counter() - t0)
    print(f"similarity batch: {rate:.0f} notes/s")
    assert rate > 300
