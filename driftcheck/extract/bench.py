"""Extraction speed against plain tokenisation (issue 4): ``python -m driftcheck.extract.bench``.

Reports ms/note for

- ``tokenise``: ``spacy.blank("en")`` over the whole note text (the baseline);
- ``text stage``: :class:`~driftcheck.text.pipeline.TextProcessor` without its cache;
- ``extract uncached``: a fresh :class:`Extractor` line cache, twice: with a cold word-form memo
  (first pass of the process) and a warm one (steady state of a long run);
- ``extract half-cached``: every other line of each note seen before (a longitudinal corpus
  where about half of the lines are carried forward).

Only timings and counts are printed, never note text.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from collections.abc import Sequence
from pathlib import Path


def _texts(paths: Sequence[Path]) -> list[str]:
    out: list[str] = []
    for path in paths:
        with path.open(encoding="utf-8") as fh:
            out.extend(json.loads(line)["text"] for line in fh if line.strip())
    return out


def run(paths: Sequence[Path]) -> dict[str, float]:
    """Timings in ms/note over the notes of ``paths`` (JSONL with a ``text`` field)."""
    import spacy

    from driftcheck.extract.statements import Extractor
    from driftcheck.text.pipeline import TextProcessor

    texts = _texts(paths)
    n = len(texts)
    blank = spacy.blank("en")
    t0 = time.perf_counter()
    for text in texts:
        blank(text)
    tokenise = (time.perf_counter() - t0) / n * 1000

    t0 = time.perf_counter()
    docs = [TextProcessor(cache_size=0).process(text) for text in texts]
    text_stage = (time.perf_counter() - t0) / n * 1000

    ex = Extractor()
    ex.extract(TextProcessor().process("Pain 5/10."))  # build the pipeline outside the timing
    timings = {}
    for name in ("extract_uncached_cold_memo", "extract_uncached_warm_memo"):
        ex.clear()
        t0 = time.perf_counter()
        for doc in docs:
            ex.extract(doc)
        timings[name] = (time.perf_counter() - t0) / n * 1000

    ex.clear()
    for doc in docs:  # earlier visits: every other line of each note
        ex.extract(dataclasses.replace(doc, blocks=doc.blocks[::2]))
    hits0, misses0 = ex.hits, ex.misses
    t0 = time.perf_counter()
    for doc in docs:
        ex.extract(doc)
    half = (time.perf_counter() - t0) / n * 1000
    return {"notes": n, "words_per_note": sum(len(t.split()) for t in texts) / n, "tokenise": tokenise,
            "text_stage": text_stage, **timings, "extract_half_cached": half,
            "half_cached_hit_rate": (ex.hits - hits0) / max(1, ex.hits - hits0 + ex.misses - misses0)}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notes", nargs="*", type=Path,
                        default=[Path("corpora/gold/dev.jsonl"), Path("corpora/synth/default/notes.jsonl")])
    args = parser.parse_args(argv)
    result = run(args.notes)
    print(json.dumps({k: round(v, 3) for k, v in result.items()}, indent=1))


if __name__ == "__main__":
    main()
