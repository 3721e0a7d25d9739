"""What the make_second*.py scripts share: label names, the conservative-care attrs helper, and
turning hand-chosen substrings into a validated gold JSONL. Stdlib only.

The annotation choices live in each script (made by reading each note); this module only turns
a substring into offsets (it must occur exactly once in its note) and writes the records.
"""
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEL = HERE.parent / "selection.jsonl"

F = "FUNCTION"
CC = "CONSERVATIVE_CARE"
N = "NECESSITY"
P = "PAIN_SCORE"
PR = "PROCEDURE_RESPONSE"
T = "TIME_SPENT"


def cc(mod, outcome="unknown", dur=None):
    return {"modality": mod, "duration_weeks": dur, "outcome": outcome}


def locate(text, sub, nid):
    i = text.find(sub)
    assert i >= 0, (nid, sub[:60])
    assert text.find(sub, i + 1) < 0, ("ambiguous", nid, sub[:60])
    return i, i + len(sub)


def write(pick, ann, annotator, out_name):
    """Write ``out_name`` (in this folder) for the test records at 1-based positions ``pick``.

    ``ann``: note_id -> (spans [(substring, label, attrs)], negated [(substring, label)]).
    """
    recs = [json.loads(line) for line in SEL.open()]
    test = [r for r in recs if r["split"] == "test"]
    chosen = [test[i - 1] for i in pick]
    assert set(ann) == {r["note_id"] for r in chosen}
    out = []
    for r in chosen:
        nid, text = r["note_id"], r["text"]
        spans_in, neg_in = ann[nid]
        spans = []
        for sub, lab, attrs in spans_in:
            s, e = locate(text, sub, nid)
            spans.append({"start": s, "end": e, "label": lab, "attrs": attrs})
        spans.sort(key=lambda d: (d["start"], d["end"], d["label"]))
        neg = []
        for sub, lab in neg_in:
            s, e = locate(text, sub, nid)
            neg.append({"start": s, "end": e, "label": lab})
        neg.sort(key=lambda d: (d["start"], d["end"]))
        out.append({"text": text,
                    "meta": {"note_id": nid, "source": r["source"], "split": "test", "annotator": annotator},
                    "spans": spans, "negated": neg})
    with (HERE / out_name).open("w") as fh:
        for rec in out:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(len(out), "records,", sum(len(r["spans"]) for r in out), "spans,",
          sum(len(r["negated"]) for r in out), "negated")
