"""Reproducible selection of a *train* split: real notes for rule development only.

Run from the repository root with ../shared present:

    python corpora/gold/select_train.py ../shared/corpora/external corpora/gold/train_selection.jsonl
    python corpora/gold/select_train.py ../shared/corpora/external corpora/gold/train2_selection.jsonl 2
    python corpora/gold/select_train.py ../shared/corpora/external corpora/gold/train3_selection.jsonl 3
    python corpora/gold/select_train.py ../shared/corpora/external corpora/gold/train4_selection.jsonl 4
    python corpora/gold/select_train.py ../shared/corpora/external corpora/gold/train5_selection.jsonl 5

Draws 60 notes (seed 20261128) that are NOT in selection.jsonl (dev/test): 25 MTSamples tier A/B
and 15 tier C-or-extra, 20 ACI-Bench. Annotated like dev; used to develop extraction patterns
and to train the optional sentence classifier. Never mixed with the test split.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

SEED = 20261128
#: A second draw (``--round 2``, seed 20261129) adds 40 more train notes, disjoint from all earlier ones.
#: A third (round 3, seed 20261130) takes every remaining tier-A note (pain-management listings, the
#: kind the test split holds most of), 17 tier B and the 14 remaining ACI-Bench encounters.
#: A fourth (round 4, seed 20261131) draws 40 tier-B notes (no tier A or ACI-Bench note is left).
#: A fifth (round 5, seed 20261132): 30 tier-B and 10 tier-C notes, a fresh check after all tuning.
ROUNDS = {1: (SEED, 25, 15, 20), 2: (20261129, 15, 10, 15), 3: (20261130, 17, 0, 14), 4: (20261131, 40, 0, 0),
          5: (20261132, 30, 10, 0)}
#: Rounds that take all remaining tier-A notes before drawing ``n_ab`` from tier B.
ALL_TIER_A = {3}


def selection_file(round_no: int) -> str:
    """The file a round's draw is written to (round 1 has no number)."""
    return "train_selection.jsonl" if round_no == 1 else f"train{round_no}_selection.jsonl"


def main(external: Path, out: Path, round_no: int = 1) -> None:
    """Select the train notes and write note_id, source, split="train", text per line."""
    seed, n_ab, n_rest, n_aci = ROUNDS[round_no]
    rng = random.Random(seed)
    here = Path(__file__).parent
    taken = {json.loads(line)["note_id"] for line in (here / "selection.jsonl").open()}
    for earlier in range(1, round_no):  # every earlier draw is excluded
        taken |= {json.loads(line)["note_id"] for line in (here / selection_file(earlier)).open()}
    mts = [json.loads(line) for line in (external / "mtsamples_pain_related.jsonl").open(encoding="utf-8")]
    aci = [json.loads(line) for line in (external / "aci_bench_pain_related.jsonl").open(encoding="utf-8")]
    mts = [r for r in mts if f"mts-{r['sample_id']}" not in taken]
    aci = [r for r in aci if f"aci-{r['encounter_id']}" not in taken]
    ab = sorted((r for r in mts if r["relevance_tier"] in ("A", "B")), key=lambda r: r["sample_id"])
    rest = sorted((r for r in mts if r["relevance_tier"] not in ("A", "B")), key=lambda r: r["sample_id"])
    if round_no in ALL_TIER_A:
        picked = [r for r in ab if r["relevance_tier"] == "A"]
        picked += rng.sample([r for r in ab if r["relevance_tier"] != "A"], n_ab)
    else:
        picked = rng.sample(ab, n_ab) + (rng.sample(rest, n_rest) if n_rest else [])
    chosen = [{"note_id": f"mts-{r['sample_id']}", "source": "MTSamples", "source_url": r["source_url"],
               "text": r["transcription"]} for r in picked]
    chosen += [{"note_id": f"aci-{r['encounter_id']}", "source": "ACI-Bench", "text": r["note"]}
               for r in rng.sample(sorted(aci, key=lambda r: r["encounter_id"]), n_aci)]
    for rec in chosen:
        rec["split"] = "train"
    chosen.sort(key=lambda r: r["note_id"])
    with out.open("w", encoding="utf-8") as fh:
        for rec in chosen:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 1)
