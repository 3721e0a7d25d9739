"""Stable digest of everything the pipeline outputs, to prove a speed change changes nothing.

Prints one sha256 per part: the benchmark corpus run through a fresh :class:`Analyzer` (every
Finding, every Statement with freshness as the rules saw it, note risks, claim verdicts and
similarity results) and the real-note gold files run through the text stage and extractor
(statements only; no accuracy is computed or printed). Run it before and after an optimisation:
every line must be identical. Texts are never printed, only hashes.

Usage: python benchmarks/output_digest.py [--patients 80] [--seed 3] [--gold-dir corpora/gold]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import patients  # noqa: E402

import driftcheck.analyze as analyze_mod  # noqa: E402
from driftcheck.analyze import Analyzer  # noqa: E402
from driftcheck.extract import Extractor  # noqa: E402
from driftcheck.text.pipeline import TextProcessor  # noqa: E402


def _statement_row(s: object) -> str:
    return repr((s.label, s.start, s.end, tuple(sorted(dict(s.attrs).items())), s.pattern_id, s.section,  # type: ignore[attr-defined]
                 s.negated, s.historical, s.hypothetical, s.other_person, s.fresh, s.source_note_id))  # type: ignore[attr-defined]


def corpus_digest(n: int, seed: int) -> dict[str, str]:
    """Digests of the synthetic benchmark corpus through the whole pipeline."""
    seen: list[str] = []
    original = analyze_mod.with_freshness

    def recording(raw, is_fresh):  # type: ignore[no-untyped-def]
        out = original(raw, is_fresh)
        seen.append("\n".join(_statement_row(s) for s in out))
        return out

    analyze_mod.with_freshness = recording  # type: ignore[assignment]
    try:
        analyzer = Analyzer()
        parts = {k: hashlib.sha256() for k in ("findings", "statements", "notes", "verdicts", "similarity")}
        counts = {"findings": 0, "statements": 0}
        for notes, claims in patients(n, seed):
            res = analyzer.analyze_patient(notes, claims)
            for f in res.findings:
                parts["findings"].update(repr(f).encode())
            counts["findings"] += len(res.findings)
            for block in seen:
                parts["statements"].update(block.encode() + b"\x00")
                counts["statements"] += block.count("\n") + 1 if block else 0
            seen.clear()
            parts["notes"].update(repr(res.notes).encode())
            parts["verdicts"].update(repr(res.verdicts).encode())
            for nid in sorted(res.similarities):
                parts["similarity"].update(repr(res.similarities[nid]).encode())
    finally:
        analyze_mod.with_freshness = original  # type: ignore[assignment]
    out = {f"corpus.{k}": h.hexdigest()[:16] for k, h in parts.items()}
    out.update({f"corpus.n_{k}": str(v) for k, v in counts.items()})
    return out


def gold_digest(path: Path) -> tuple[str, int]:
    """Digest of the extractor's statements for every note of one gold file."""
    text, extractor = TextProcessor(), Extractor()
    h = hashlib.sha256()
    n = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        doc = text.process(json.loads(line)["text"])
        for s in extractor.extract(doc):
            h.update(_statement_row(s).encode())
            n += 1
        h.update(b"\x00")
    return h.hexdigest()[:16], n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=80)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--gold-dir", type=Path, default=Path("corpora/gold"))
    args = parser.parse_args()
    result = corpus_digest(args.patients, args.seed)
    for name in ("dev", "train", "test"):
        digest, n = gold_digest(args.gold_dir / f"{name}.jsonl")
        result[f"gold.{name}"] = f"{digest} ({n} statements)"
    for k, v in result.items():
        print(f"{k}: {v}")


if __name__ == "__main__":
    main()
