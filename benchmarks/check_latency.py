"""Pre-sign check latency: one draft against a 24-visit history (issue 2 acceptance).

Measures, in one run on this machine:
- cold: wall time of a fresh ``python -m driftcheck check`` process (imports, store, pipeline),
  next to a bare ``python -c pass`` start-up as the baseline of the same run;
- warm: ``Analyzer.check_note`` repeated in one process (a provider's EHR hook or a server),
  each iteration loading the history from the SQLite store and checking a *different* draft
  (one new line per iteration), so caches help the history, not the draft.

Usage: python benchmarks/check_latency.py [--iterations 200] [--cold-runs 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import patients  # noqa: E402

from driftcheck.analyze import Analyzer  # noqa: E402
from driftcheck.persist import NoteCache  # noqa: E402
from driftcheck.store import HistoryStore  # noqa: E402


def _history(visits: int = 25):
    for notes, claims in patients(60, seed=11, visits_min=visits, visits_max=visits + 6):
        if len(notes) >= visits:
            notes = sorted(notes, key=lambda n: n.sort_key())[:visits]
            keep = {n.note_id for n in notes}
            return notes, [c for c in claims if c.note_id in keep]
    raise SystemExit("no synthetic patient with enough visits")


def pct(values: list[float], q: float) -> float:
    """The q-quantile (0..1) by nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--cold-runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    notes, claims = _history()
    history, draft = notes[:-1], notes[-1]
    draft_claims = [c for c in claims if c.note_id == draft.note_id]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "history.sqlite"
        with HistoryStore(db) as store:
            store.add_notes(history)
            store.add_claims([c for c in claims if c.note_id != draft.note_id])
            cache = Analyzer(note_cache=NoteCache(store))  # what `driftcheck ingest` precomputes
            for note in history:
                cache.analyse_text(note)
        draft_file = Path(tmp) / "draft.txt"
        draft_file.write_text(draft.text, encoding="utf-8")

        cmd = [sys.executable, "-m", "driftcheck", "check", str(draft_file), "--patient", draft.patient_id,
               "--date", draft.date.isoformat(), "--db", str(db), "--format", "json", "-o", str(Path(tmp) / "o.json")]
        for c in draft_claims:
            cmd += ["--bill", c.code + (":" + ";".join(c.modifiers) if c.modifiers else "") + f"x{c.units}"]
        subprocess.run(cmd, capture_output=True, check=False)  # warm the OS file cache and bytecode
        cold, bare = [], []
        for _ in range(args.cold_runs):
            t = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], check=True)
            bare.append(time.perf_counter() - t)
            t = time.perf_counter()
            proc = subprocess.run(cmd, capture_output=True, check=False)
            cold.append(time.perf_counter() - t)
            if proc.returncode not in (0, 1):
                raise SystemExit(f"check failed with exit code {proc.returncode}")

        analyzer = Analyzer()
        warm = []
        with HistoryStore(db) as store:
            for i in range(args.iterations + 5):
                variant = replace(draft, text=draft.text + f"\nAddendum {i}: patient reports walking {i % 9 + 1} blocks.")
                t = time.perf_counter()
                hist = store.notes_for(draft.patient_id)
                hist_claims = store.claims_for(draft.patient_id)
                analyzer.check_note(variant, hist, hist_claims, draft_claims)
                elapsed = time.perf_counter() - t
                if i >= 5:  # the first few fill the caches
                    warm.append(elapsed)
    result = {
        "history_visits": len(history),
        "draft_words": len(draft.text.split()),
        "warm_ms": {"p50": round(1000 * statistics.median(warm), 2), "p95": round(1000 * pct(warm, 0.95), 2),
                    "n": len(warm)},
        "cold_s": {"median": round(statistics.median(cold), 3), "max": round(max(cold), 3), "n": len(cold)},
        "baseline_python_start_s": round(statistics.median(bare), 3),
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"history: {result['history_visits']} visits; draft: {result['draft_words']} words")
        print(f"warm check: p50 {result['warm_ms']['p50']} ms, p95 {result['warm_ms']['p95']} ms "
              f"(n={result['warm_ms']['n']})")
        print(f"cold check (new process): median {result['cold_s']['median']} s, max {result['cold_s']['max']} s; "
              f"bare python start-up {result['baseline_python_start_s']} s")


if __name__ == "__main__":
    main()
