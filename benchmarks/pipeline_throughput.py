"""Full-pipeline throughput vs plain spaCy tokenisation, in the same run (issue 4 item 5).

Baseline: ``spacy.blank("en")`` + sentencizer over every note (``nlp.pipe``), which is the least
any spaCy-based tool must do. Pipeline: driftcheck's whole per-patient analysis — text stage,
similarity against all earlier notes, extraction with freshness, every rule, claim verdicts —
on a fresh Analyzer (cold caches) every repeat. Ratio = baseline time / pipeline time; >= 1.0
means the full pipeline is at least as fast as tokenising alone (issue 4's goal, not reached:
see benchmarks/README.md).

Cache figures of the last repeat: text-stage lines (``text_cache_*``), extraction lines
(``extract_cache_*``), and, inside new lines, extraction sentences reused / run
(``extract_sentence_*``) and new lines extracted whole (``extract_whole_blocks``: one-sentence
lines, and lines the sentence split cannot prove equivalent).

Usage: python benchmarks/pipeline_throughput.py [--patients 80] [--seed 3] [--repeats 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import spacy  # noqa: E402
from _corpus import patients  # noqa: E402

from driftcheck.analyze import Analyzer  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=80)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    data = list(patients(args.patients, args.seed))
    texts = [n.text for notes, _ in data for n in notes]
    words = sum(len(t.split()) for t in texts)
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    list(nlp.pipe(texts[:50]))  # warm-up

    base_times, pipe_times, stats = [], [], {}
    for _ in range(args.repeats):
        t = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=64):
            pass
        base_times.append(time.perf_counter() - t)

        analyzer = Analyzer()  # fresh caches every repeat: no help from the previous run
        t = time.perf_counter()
        findings = 0
        for notes, claims in data:
            findings += len(analyzer.analyze_patient(notes, claims).findings)
        pipe_times.append(time.perf_counter() - t)
        stats = {"findings": findings, "text_cache_hits": analyzer.text.hits, "text_cache_misses": analyzer.text.misses,
                 "extract_cache_hits": analyzer.extractor.hits, "extract_cache_misses": analyzer.extractor.misses,
                 "extract_sentence_hits": analyzer.extractor.sentence_hits,
                 "extract_sentence_misses": analyzer.extractor.sentence_misses,
                 "extract_whole_blocks": analyzer.extractor.whole_blocks}

    base, pipe = statistics.median(base_times), statistics.median(pipe_times)
    result = {
        "notes": len(texts), "patients": len(data), "mean_words": round(words / len(texts)),
        "tokenise_notes_per_s": round(len(texts) / base), "pipeline_notes_per_s": round(len(texts) / pipe),
        "ratio_pipeline_vs_tokenise": round(base / pipe, 2), "repeats": args.repeats, **stats,
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"{result['notes']} notes, {result['patients']} patients, {result['mean_words']} words/note")
        print(f"spaCy blank('en') + sentencizer: {result['tokenise_notes_per_s']} notes/s")
        print(f"driftcheck full pipeline:        {result['pipeline_notes_per_s']} notes/s")
        print(f"ratio (>= 1.0 means pipeline at least as fast as tokenise-only): {result['ratio_pipeline_vs_tokenise']}")


if __name__ == "__main__":
    main()
