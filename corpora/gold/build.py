"""Validate the gold annotation parts and assemble the gold files.

Run from the repository root (standard library only):

    python corpora/gold/build.py                  # validate, write dev.jsonl / test.jsonl, print counts
    python corpora/gold/build.py --check          # validate and print counts, write nothing
    python corpora/gold/build.py --update-readme  # also refresh the counts table in README.md
    python corpora/gold/build.py --skip-invalid   # write the valid records even if some are not

Reads ``corpora/gold/parts/*.jsonl`` (one record per annotated note, format in CONVENTIONS.md) and
``corpora/gold/selection.jsonl`` (the selected notes, their text and their split). Every record is
checked: the text is identical to the selected note's text, offsets lie inside it, labels are the
six of ANNOTATION.md, attrs carry exactly the keys and values CONVENTIONS.md allows, negated
entries are well formed. Problems are reported as ``<file> line N: field X: problem`` and never
quote note text. Valid records are written to ``corpora/gold/dev.jsonl`` and ``test.jsonl``, sorted
by note_id, with the split taken from selection.jsonl. Selected notes without an annotation are
listed (parts may still be in progress). Exit status: 0 clean, 1 validation errors, 2 usage/input
error.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from pathlib import Path

GOLD = Path(__file__).resolve().parent
LABELS = ("FUNCTION", "CONSERVATIVE_CARE", "NECESSITY", "PAIN_SCORE", "PROCEDURE_RESPONSE", "TIME_SPENT")
MODALITIES = frozenset((
    "physical_therapy", "home_exercise", "nsaid", "acetaminophen", "muscle_relaxant", "neuropathic",
    "opioid", "oral_steroid", "topical", "chiropractic", "massage", "acupuncture", "tens", "bracing",
    "ice_heat", "activity_modification", "conservative_unspecified", "other",
))
DIRECTIONS = frozenset(("improved", "worsened", "unchanged", "none"))
OUTCOMES = frozenset(("failed", "partial", "helped", "unknown"))
SCALES = frozenset(("nrs", "vas", "other"))
SOURCES = frozenset(("MTSamples", "ACI-Bench"))
SPLITS = ("train", "dev", "test")
README_START = "<!-- build.py counts: start -->"
README_END = "<!-- build.py counts: end -->"


def _is_number(value: object) -> bool:
    """True for a finite int/float that is not a bool."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _number(value: object, *, nullable: bool, low: float | None = None, high: float | None = None) -> str | None:
    """Return a problem description for a numeric attr value, or None when it is valid."""
    if value is None:
        return None if nullable else "must be a number, not null"
    if not _is_number(value):
        return "must be a number" + (" or null" if nullable else "")
    if low is not None and value < low:
        return f"must be >= {low:g}"
    if high is not None and value > high:
        return f"must be <= {high:g}"
    return None


def check_attrs(label: str, attrs: object) -> list[tuple[str, str]]:
    """Check one span's attrs against CONVENTIONS.md; return (field, problem) pairs."""
    if not isinstance(attrs, dict):
        return [("attrs", "must be an object")]
    expected = {
        "FUNCTION": {"direction"},
        "CONSERVATIVE_CARE": {"modality", "duration_weeks", "outcome"},
        "NECESSITY": set(),
        "PAIN_SCORE": {"value", "scale"},
        "PROCEDURE_RESPONSE": {"relief_pct", "duration_weeks"},
        "TIME_SPENT": {"minutes"},
    }[label]
    problems = []
    for key in sorted(set(attrs) - expected):
        problems.append((f"attrs.{key}", f"not allowed for {label}"))
    for key in sorted(expected - set(attrs)):
        problems.append((f"attrs.{key}", f"missing (required for {label})"))

    def add(key: str, problem: str | None) -> None:
        if key in attrs and problem:
            problems.append((f"attrs.{key}", problem))

    if label == "FUNCTION":
        add("direction", None if attrs.get("direction") in DIRECTIONS else f"must be one of {sorted(DIRECTIONS)}")
    elif label == "CONSERVATIVE_CARE":
        modality = attrs.get("modality")
        if not isinstance(modality, str) or not modality:
            add("modality", "must be a non-empty string")
        else:
            items = modality.split(", ")
            unknown = [m for m in items if m not in MODALITIES]
            if unknown:
                add("modality", f"unknown modality {unknown!r} (vocabulary in CONVENTIONS.md; join with ', ')")
            elif len(set(items)) != len(items):
                add("modality", "lists a modality twice")
        add("duration_weeks", _number(attrs.get("duration_weeks"), nullable=True, low=0))
        add("outcome", None if attrs.get("outcome") in OUTCOMES else f"must be one of {sorted(OUTCOMES)}")
    elif label == "PAIN_SCORE":
        scale = attrs.get("scale")
        add("scale", None if scale in SCALES else f"must be one of {sorted(SCALES)}")
        high = 10 if scale == "nrs" else None
        add("value", _number(attrs.get("value"), nullable=False, low=0, high=high))
    elif label == "PROCEDURE_RESPONSE":
        add("relief_pct", _number(attrs.get("relief_pct"), nullable=True, low=0, high=100))
        add("duration_weeks", _number(attrs.get("duration_weeks"), nullable=True, low=0))
    elif label == "TIME_SPENT":
        problem = _number(attrs.get("minutes"), nullable=False, low=0)
        if problem is None and attrs.get("minutes") == 0:
            problem = "must be > 0"
        add("minutes", problem)
    return problems


def check_offsets(item: dict, text_len: int) -> list[tuple[str, str]]:
    """Check start/end of a span or negated entry."""
    start, end = item.get("start"), item.get("end")
    for key, value in (("start", start), ("end", end)):
        if not isinstance(value, int) or isinstance(value, bool):
            return [(key, "must be an integer")]
    if not 0 <= start < end <= text_len:
        return [("start/end", f"need 0 <= start < end <= len(text)={text_len}, got {start}..{end}")]
    return []


def check_record(rec: object, selection: dict[str, dict]) -> tuple[str | None, list[tuple[str, str]]]:
    """Validate one record; return (note_id or None, [(field, problem), ...])."""
    if not isinstance(rec, dict):
        return None, [("record", "must be a JSON object")]
    problems: list[tuple[str, str]] = []
    for key in sorted(set(rec) - {"text", "meta", "spans", "negated"}):
        problems.append((key, "unexpected top-level key"))
    meta = rec.get("meta")
    if not isinstance(meta, dict):
        return None, problems + [("meta", "must be an object")]
    note_id = meta.get("note_id")
    if not isinstance(note_id, str) or note_id not in selection:
        return None, problems + [("meta.note_id", f"{note_id!r} is not a note in selection.jsonl")]
    selected = selection[note_id]
    if meta.get("source") != selected["source"]:
        problems.append(("meta.source", f"{meta.get('source')!r} but selection.jsonl says {selected['source']!r}"))
    if meta.get("split") != selected["split"]:
        problems.append(("meta.split", f"{meta.get('split')!r} but selection.jsonl says {selected['split']!r}"))
    text = rec.get("text")
    if not isinstance(text, str):
        return note_id, problems + [("text", "must be a string")]
    if text != selected["text"]:
        where = next((i for i, (a, b) in enumerate(zip(text, selected["text"], strict=False)) if a != b),
                     min(len(text), len(selected["text"])))
        return note_id, problems + [("text", f"differs from selection.jsonl at char {where} "
                                             f"(len {len(text)} vs {len(selected['text'])}); offsets not checked")]
    for key in ("spans", "negated"):
        items = rec.get(key)
        if not isinstance(items, list):
            problems.append((key, "must be a list (use [] when empty)"))
            continue
        seen: set[tuple] = set()
        previous = -1
        for i, item in enumerate(items):
            field = f"{key}[{i}]"
            if not isinstance(item, dict):
                problems.append((field, "must be an object"))
                continue
            allowed = {"start", "end", "label", "attrs"} if key == "spans" else {"start", "end", "label"}
            for extra in sorted(set(item) - allowed):
                problems.append((f"{field}.{extra}", "unexpected key"))
            label = item.get("label")
            if label not in LABELS:
                problems.append((f"{field}.label", f"{label!r} is not one of {list(LABELS)}"))
            offset_problems = check_offsets(item, len(text))
            problems.extend((f"{field}.{f}", p) for f, p in offset_problems)
            if not offset_problems:
                start, end = item["start"], item["end"]
                span_text = text[start:end]
                if span_text != span_text.strip():
                    problems.append((f"{field}.start/end", "span begins or ends with whitespace"))
                if start < previous:
                    problems.append((f"{field}.start", f"{key} not sorted by start"))
                previous = start
                sig = (start, end, label)
                if sig in seen:
                    problems.append((field, f"duplicate {key[:-1] if key == 'spans' else 'negated'} entry"))
                seen.add(sig)
            if key == "spans" and label in LABELS:
                if "attrs" not in item:
                    problems.append((f"{field}.attrs", "missing (use {} for NECESSITY)"))
                else:
                    problems.extend((f"{field}.{f}", p) for f, p in check_attrs(label, item["attrs"]))
    if isinstance(rec.get("spans"), list) and isinstance(rec.get("negated"), list):
        span_sigs = {(s.get("start"), s.get("end"), s.get("label")) for s in rec["spans"] if isinstance(s, dict)}
        for i, neg in enumerate(rec["negated"]):
            if isinstance(neg, dict) and (neg.get("start"), neg.get("end"), neg.get("label")) in span_sigs:
                problems.append((f"negated[{i}]", "same offsets and label as a span"))
    return note_id, problems


def load_selection(path: Path) -> dict[str, dict]:
    """note_id -> selection record (source, split, text)."""
    selection = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                selection[row["note_id"]] = row
    return selection


def counts_table(records: dict[str, list[dict]]) -> str:
    """Markdown table: spans (and negated mentions) per label per split."""
    header = " | ".join(f"{s} spans | {s} negated" for s in SPLITS)
    lines = [f"| label | {header} |", "|---|" + "---:|" * (2 * len(SPLITS))]
    per = {split: (Counter(), Counter()) for split in SPLITS}
    for split in SPLITS:
        for rec in records[split]:
            per[split][0].update(s["label"] for s in rec["spans"])
            per[split][1].update(n["label"] for n in rec["negated"])
    for label in LABELS:
        cells = [f"{per[s][i][label]}" for s in SPLITS for i in (0, 1)]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    totals = [f"{sum(per[s][i].values())}" for s in SPLITS for i in (0, 1)]
    lines.append("| **all** | " + " | ".join(f"**{t}**" for t in totals) + " |")
    notes = " / ".join(f"{split}: {len(records[split])} notes with a valid record" for split in SPLITS)
    return "\n".join(lines) + f"\n\n{notes}."


def update_readme(path: Path, table: str) -> bool:
    """Replace the text between the README markers with the table; False when markers are missing."""
    if not path.exists():
        return False
    content = path.read_text(encoding="utf-8")
    if README_START not in content or README_END not in content:
        return False
    head, rest = content.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    path.write_text(f"{head}{README_START}\n{table}\n{README_END}{tail}", encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold-dir", type=Path, default=GOLD, help="folder holding selection.jsonl and parts/")
    parser.add_argument("--check", action="store_true", help="validate and count only; write nothing")
    parser.add_argument("--skip-invalid", action="store_true", help="write the valid records even when some are invalid")
    parser.add_argument("--update-readme", action="store_true", help="refresh the counts table in README.md")
    args = parser.parse_args(argv)

    gold: Path = args.gold_dir
    try:
        selection = load_selection(gold / "selection.jsonl")
        for extra in sorted(gold.glob("train*_selection.jsonl")):
            selection.update(load_selection(extra))
    except (OSError, json.JSONDecodeError, KeyError) as exc:
        print(f"selection.jsonl: cannot read: {exc.__class__.__name__}", file=sys.stderr)
        return 2
    part_files = sorted((gold / "parts").glob("*.jsonl"))
    if not part_files:
        print("parts/: no *.jsonl files", file=sys.stderr)

    errors: list[str] = []
    valid: dict[str, dict] = {}
    where: dict[str, str] = {}
    for part in part_files:
        rel = part.relative_to(gold.parent.parent) if gold.parent.parent in part.parents else part
        with part.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as exc:
                    errors.append(f"{rel} line {n}: field record: invalid JSON ({exc.msg} at column {exc.colno})")
                    continue
                note_id, problems = check_record(rec, selection)
                if note_id is not None and note_id in where:
                    problems.append(("meta.note_id", f"{note_id} already annotated at {where[note_id]}"))
                errors.extend(f"{rel} line {n}: field {field}: {problem}" for field, problem in problems)
                if note_id is not None and note_id not in where:
                    where[note_id] = f"{rel} line {n}"
                    if not problems:
                        valid[note_id] = rec

    for message in errors:
        print(message)
    records: dict[str, list[dict]] = {split: [] for split in SPLITS}
    for note_id in sorted(valid):
        rec = valid[note_id]
        meta = dict(rec["meta"], split=selection[note_id]["split"])
        records[meta["split"]].append({"text": rec["text"], "meta": meta,
                                       "spans": rec["spans"], "negated": rec["negated"]})

    missing = {split: sorted(nid for nid, row in selection.items()
                             if row["split"] == split and nid not in where) for split in SPLITS}
    for split in SPLITS:
        if missing[split]:
            print(f"{split}: {len(missing[split])} selected notes have no annotation: {', '.join(missing[split])}")

    write = not args.check and (not errors or args.skip_invalid)
    if write:
        for split in SPLITS:
            with (gold / f"{split}.jsonl").open("w", encoding="utf-8") as fh:
                for rec in records[split]:
                    fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    elif errors and not args.check:
        print("not writing dev.jsonl/test.jsonl: fix the errors above or pass --skip-invalid")

    table = counts_table(records)
    print()
    print(table)
    if args.update_readme and not update_readme(gold / "README.md", table):
        print(f"README.md: counts markers {README_START!r} / {README_END!r} not found", file=sys.stderr)
    if errors:
        print(f"\n{len(errors)} validation error(s)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
