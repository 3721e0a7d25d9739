"""Similarity stage alone: one note against a 24-visit history, and batch throughput.

Baseline in the same run: the naive approach from perf-baselines.md — difflib's
SequenceMatcher (word level) of the note against each earlier note. Reported as a ratio.

Usage: python benchmarks/similarity_compare.py [--repeats 30]
"""

from __future__ import annotations

import argparse
import difflib
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import patients  # noqa: E402

from driftcheck.similarity import PatientIndex  # noqa: E402
from driftcheck.text.pipeline import TextProcessor  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    notes = next(n for n, _ in patients(60, seed=11, visits_min=25, visits_max=31) if len(n) >= 25)
    notes = sorted(notes, key=lambda n: n.sort_key())[:25]
    text = TextProcessor()
    docs = [text.process(n.text) for n in notes]
    index = PatientIndex()
    for n, d in zip(notes[:-1], docs[:-1], strict=True):
        index.compare(n, d)
        index.add(n, d)
    index.compare(notes[-1], docs[-1])
    ours = []
    for _ in range(args.repeats):
        t = time.perf_counter()
        index.compare(notes[-1], docs[-1])
        ours.append(time.perf_counter() - t)
    words = [n.text.split() for n in notes]
    naive = []
    for _ in range(max(3, args.repeats // 10)):
        t = time.perf_counter()
        for prior in words[:-1]:
            difflib.SequenceMatcher(None, words[-1], prior, autojunk=False).ratio()
        naive.append(time.perf_counter() - t)
    a, b = statistics.median(ours), statistics.median(naive)
    print(f"compare one note vs 24 visits: driftcheck {a * 1000:.2f} ms, difflib word-level {b * 1000:.2f} ms "
          f"(driftcheck is {b / a:.1f}x faster)")
    t = time.perf_counter()
    for _ in range(3):
        idx = PatientIndex()
        for n, d in zip(notes, docs, strict=True):
            idx.compare(n, d)
            idx.add(n, d)
    print(f"similarity batch (text stage cached): {3 * len(notes) / (time.perf_counter() - t):.0f} notes/s")


if __name__ == "__main__":
    main()
