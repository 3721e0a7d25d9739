"""Reproducible selection of the real-note gold set and its dev/test split.

Run from the repository root with ../shared present:

    python corpora/gold/select.py ../shared/corpora/external corpora/gold/selection.jsonl

Selection (seed 20261127): 30 MTSamples tier-A (Pain Management) samples, 20 MTSamples tier-B
samples (orthopedic/neurology/progress notes that mention care and pain), 30 ACI-Bench
encounters. Each selected note is assigned to ``dev`` or ``test`` by a seeded shuffle, half
each, *before* any annotation or tuning, and written with its full text so that gold offsets
can be checked against it.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

SEED = 20261127
COUNTS = {"mtsamples_A": 30, "mtsamples_B": 20, "aci": 30}


def main(external: Path, out: Path) -> None:
    """Select notes and write one JSON object per line: note_id, source, split, text."""
    rng = random.Random(SEED)
    mts = [json.loads(line) for line in (external / "mtsamples_pain_related.jsonl").open(encoding="utf-8")]
    aci = [json.loads(line) for line in (external / "aci_bench_pain_related.jsonl").open(encoding="utf-8")]
    pools = {
        "mtsamples_A": sorted((r for r in mts if r["relevance_tier"] == "A"), key=lambda r: r["sample_id"]),
        "mtsamples_B": sorted((r for r in mts if r["relevance_tier"] == "B"), key=lambda r: r["sample_id"]),
        "aci": sorted(aci, key=lambda r: r["encounter_id"]),
    }
    chosen = []
    for pool_name, n in COUNTS.items():
        for row in rng.sample(pools[pool_name], n):
            if pool_name == "aci":
                chosen.append({"note_id": f"aci-{row['encounter_id']}", "source": "ACI-Bench",
                               "text": row["note"]})
            else:
                chosen.append({"note_id": f"mts-{row['sample_id']}", "source": "MTSamples",
                               "source_url": row["source_url"], "text": row["transcription"]})
    rng.shuffle(chosen)
    for i, rec in enumerate(chosen):
        rec["split"] = "dev" if i % 2 == 0 else "test"
    chosen.sort(key=lambda r: (r["split"], r["note_id"]))
    with out.open("w", encoding="utf-8") as fh:
        for rec in chosen:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
