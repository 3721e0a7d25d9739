"""Compare driftcheck's ConText with medspaCy's ConText on the same sentences and targets.

medspaCy pins spaCy 3.7.5 / numpy 1.26, so it lives in its own venv, never in driftcheck's
dependencies. The comparison runs in two stages that exchange JSON:

    python benchmarks/context_vs_medspacy.py --stage driftcheck --out /tmp/dc_context.json
    /tmp/medspacy-venv/bin/python benchmarks/context_vs_medspacy.py --stage medspacy \
        --inp /tmp/dc_context.json

Stage 1 extracts targets (FUNCTION, CONSERVATIVE_CARE, NECESSITY, PAIN_SCORE,
PROCEDURE_RESPONSE, TIME_SPENT matches) from the gold *dev* notes plus a small negation table,
and records driftcheck's flags and ConText time. Stage 2 marks the same target spans as entities,
runs medspaCy's ConText with its default rules, and prints agreement per flag and timing.
Stage 2 exits 0 with a message when medspacy is not importable. No note text is printed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LABELS = ("FUNCTION", "CONSERVATIVE_CARE", "NECESSITY", "PAIN_SCORE", "PROCEDURE_RESPONSE", "TIME_SPENT")
NEGATION_TABLE = [
    "She denies any difficulty walking.", "He has not tried physical therapy.",
    "No relief from ibuprofen.", "Patient denies sleep disturbance.", "She is unable to sit for long.",
    "He has tried Tylenol without significant relief.", "There is no history of opioid use.",
    "Denies pain with sitting.", "His mother takes oxycodone.", "We will start physical therapy.",
    "If symptoms persist we will order an MRI.", "She previously had chiropractic care.",
    "He is not working at this time.", "She cannot stand for more than 10 minutes.",
    "Never tried acupuncture.", "Negative for difficulty walking.",
]


def stage_driftcheck(out: Path) -> None:
    """Targets and driftcheck flags (sentence-local offsets), with ConText timing."""
    sys.path.insert(0, str(ROOT))
    from driftcheck.extract.components import group_name
    from driftcheck.extract.statements import build_nlp

    nlp = build_nlp()
    context = nlp.get_pipe("driftcheck_context")
    texts = list(NEGATION_TABLE)
    for line in (ROOT / "corpora/gold/parts/dev.jsonl").read_text(encoding="utf-8").splitlines():
        texts.extend(s.strip() for s in json.loads(line)["text"].splitlines() if len(s.split()) > 2)
    records, ctx_time = [], 0.0
    for text in texts:
        doc = nlp(text, disable=["driftcheck_context"])
        t0 = time.perf_counter()
        context(doc)
        ctx_time += time.perf_counter() - t0
        for label in LABELS:
            for span in doc.spans.get(group_name(label), []):
                sent = span.sent
                records.append({
                    "sentence": sent.text, "start": span.start_char - sent.start_char,
                    "end": span.end_char - sent.start_char, "label": label,
                    "dc": {"negated": span._.is_negated, "historical": span._.is_historical,
                           "hypothetical": span._.is_hypothetical, "family": span._.is_family},
                })
    out.write_text(json.dumps({"records": records, "texts": len(texts), "context_seconds": ctx_time}))
    print(f"driftcheck: {len(texts)} lines, {len(records)} targets, ConText {ctx_time * 1000:.1f} ms")


def stage_medspacy(inp: Path) -> int:
    """Run medspaCy ConText on the same targets and report agreement."""
    try:
        import medspacy  # noqa: F401
        import spacy
        from medspacy.context import ConText
    except ImportError:
        print("medspacy is not importable here; skipping (see module docstring).")
        return 0
    data = json.loads(inp.read_text(encoding="utf-8"))
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    context = ConText(nlp)
    agree = {k: 0 for k in ("negated", "historical", "hypothetical", "family")}
    both = {k: [0, 0, 0] for k in agree}  # dc only, medspacy only, both
    elapsed = 0.0
    for rec in data["records"]:
        doc = nlp(rec["sentence"])
        span = doc.char_span(rec["start"], rec["end"], label=rec["label"], alignment_mode="expand")
        if span is None:
            continue
        doc.ents = [span]
        t0 = time.perf_counter()
        context(doc)
        elapsed += time.perf_counter() - t0
        ent = doc.ents[0]
        ms = {"negated": ent._.is_negated, "historical": ent._.is_historical,
              "hypothetical": ent._.is_hypothetical, "family": ent._.is_family}
        for key in agree:
            d, m = bool(rec["dc"][key]), bool(ms[key])
            agree[key] += d == m
            if d and not m:
                both[key][0] += 1
            elif m and not d:
                both[key][1] += 1
            elif d and m:
                both[key][2] += 1
    n = len(data["records"])
    print(f"targets: {n}")
    print("| flag | agreement | driftcheck only | medspaCy only | both |")
    print("|---|---|---|---|---|")
    for key in agree:
        print(f"| {key} | {agree[key] / n:.1%} | {both[key][0]} | {both[key][1]} | {both[key][2]} |")
    print(f"ConText time: driftcheck {data['context_seconds'] * 1000:.1f} ms over {data['texts']} lines; "
          f"medspaCy {elapsed * 1000:.1f} ms over {n} target sentences")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stage", choices=("driftcheck", "medspacy"), required=True)
    parser.add_argument("--out", type=Path, default=Path("/tmp/dc_context.json"))
    parser.add_argument("--inp", type=Path, default=Path("/tmp/dc_context.json"))
    args = parser.parse_args()
    if args.stage == "driftcheck":
        stage_driftcheck(args.out)
        return 0
    return stage_medspacy(args.inp)


if __name__ == "__main__":
    raise SystemExit(main())
