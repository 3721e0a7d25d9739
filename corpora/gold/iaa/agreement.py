"""Inter-annotator agreement on 12 test notes: original test annotations (reference) vs the
independent second annotator (corpora/gold/iaa/second_annotator.jsonl, prediction).

Run from the repo root:  python corpora/gold/iaa/agreement.py [--list]
                         python corpora/gold/iaa/agreement.py --reference corpora/gold/train.jsonl \
                             --second corpora/gold/iaa/second_annotator_train4.jsonl
                         python corpora/gold/iaa/agreement.py --second corpora/gold/iaa/second_annotator.jsonl \
                             --second corpora/gold/iaa/second_annotator_test_aci.jsonl \
                             --second corpora/gold/iaa/second_annotator_test_mts.jsonl   (all 40 test notes)
--second may be given several times (files of disjoint notes).
Stdlib only, plus driftcheck's own gold loader and extraction scorer, so "lenient" and "strict"
mean exactly what they mean in `driftcheck eval extraction`. F1 is symmetric in the two
annotators; P and R swap if the roles are swapped.
--list also prints every unmatched span / negated mention (label, note, offsets, first words)
so the disagreements can be categorised.
"""
from __future__ import annotations

import sys
from pathlib import Path

from driftcheck.evaluation.extraction import score_extraction
from driftcheck.evaluation.loaders import load_extraction_gold

HERE = Path(__file__).resolve().parent
REFERENCE = HERE.parent / "test.jsonl"
SECOND = HERE / "second_annotator.jsonl"
LABELS = ["FUNCTION", "CONSERVATIVE_CARE", "NECESSITY", "PAIN_SCORE", "PROCEDURE_RESPONSE",
          "TIME_SPENT"]


def overlaps(a, b) -> bool:
    return a.start < b.end and b.start < a.end


def fmt(x) -> str:
    return "  -  " if x is None else f"{x:.2f}"


def negation_agreement(ref_docs, sec_by_id):
    """Negated mentions: matched when the other annotator has a negated mention of the same
    label overlapping it. Also counts negated mentions the other annotator made a positive span."""
    n_ref = n_sec = ref_matched = sec_matched = ref_as_span = sec_as_span = 0
    unmatched = []
    for doc in ref_docs:
        sec = sec_by_id[doc.note_id]
        for m in doc.negated:
            n_ref += 1
            if any(o.label == m.label and overlaps(m, o) for o in sec.negated):
                ref_matched += 1
            else:
                pos = any(o.label == m.label and overlaps(m, o) for o in sec.spans)
                ref_as_span += pos
                unmatched.append(("reference-only", doc, m, "second made it a span" if pos else ""))
        for m in sec.negated:
            n_sec += 1
            if any(o.label == m.label and overlaps(m, o) for o in doc.negated):
                sec_matched += 1
            else:
                pos = any(o.label == m.label and overlaps(m, o) for o in doc.spans)
                sec_as_span += pos
                unmatched.append(("second-only", doc, m, "reference made it a span" if pos else ""))
    p = sec_matched / n_sec if n_sec else None
    r = ref_matched / n_ref if n_ref else None
    f = 2 * p * r / (p + r) if p and r else (0.0 if (p is not None and r is not None) else None)
    return {"reference": n_ref, "second": n_sec, "ref_matched": ref_matched,
            "sec_matched": sec_matched, "p": p, "r": r, "f1": f,
            "ref_as_span": ref_as_span, "sec_as_span": sec_as_span}, unmatched


def excerpt(text, s, e, n=70):
    t = " ".join(text[s:e].split())
    return t if len(t) <= n else t[:n] + "..."


def _options(argv, name, default):
    """Every ``--name VALUE`` in argv (paths relative to the working directory), else ``[default]``."""
    out = []
    for i, arg in enumerate(argv):
        if arg == name:
            if i + 1 >= len(argv):
                sys.exit(f"{name} needs a file")
            out.append(Path(argv[i + 1]).resolve())
    return out or [default]


def main(argv):
    reference = _options(argv, "--reference", REFERENCE)[0]
    seconds = _options(argv, "--second", SECOND)
    sec_docs = [d for path in seconds for d in load_extraction_gold(path)]
    sec_by_id = {d.note_id: d for d in sec_docs}
    if len(sec_by_id) != len(sec_docs):
        sys.exit("a note is annotated in more than one --second file")
    ref_all = load_extraction_gold(reference)
    ref_docs = [d for d in ref_all if d.note_id in sec_by_id]
    missing = set(sec_by_id) - {d.note_id for d in ref_docs}
    if missing:
        sys.exit(f"notes not in the reference: {sorted(missing)}")
    for d in ref_docs:
        if d.text != sec_by_id[d.note_id].text:
            sys.exit(f"{d.note_id}: note text differs between the two files")

    predicted = {d.note_id: list(d.spans) for d in sec_docs}
    res = score_extraction(ref_docs, predicted, labels=LABELS)

    root = HERE.parent.parent.parent

    def name(p):
        return p.relative_to(root) if root in p.parents else p

    second = ", ".join(str(name(p)) for p in seconds)
    print(f"IAA on {len(ref_docs)} notes: reference = {name(reference)}, second = {second}")
    print()
    head = (f"{'label':<19} {'ref':>4} {'2nd':>4} | {'len P':>5} {'len R':>5} {'len F1':>6} "
            f"| {'str P':>5} {'str R':>5} {'str F1':>6}")
    print(head)
    print("-" * len(head))
    rows = [(lab, res["labels"][lab]) for lab in LABELS] + [("micro (all)", None)]
    for lab, r in rows:
        if r is None:
            m = res["micro"]
            g = sum(res["labels"][x]["gold"] for x in LABELS)
            pr = sum(res["labels"][x]["predicted"] for x in LABELS)
            le, st = m["lenient"], m["strict"]
        else:
            g, pr, le, st = r["gold"], r["predicted"], r["lenient"], r["strict"]
        if g == 0 and pr == 0:
            print(f"{lab:<19} {g:>4} {pr:>4} | {'n/a (no span by either annotator)':^42}")
            continue
        print(f"{lab:<19} {g:>4} {pr:>4} | {fmt(le['p']):>5} {fmt(le['r']):>5} {fmt(le['f1']):>6} "
              f"| {fmt(st['p']):>5} {fmt(st['r']):>5} {fmt(st['f1']):>6}")
    print()
    print("attribute agreement on lenient-matched pairs (reference attrs):")
    for lab, attrs in sorted(res.get("attrs", {}).items()):
        for a, v in sorted(attrs.items()):
            if v.get("n"):
                print(f"  {lab}.{a}: {v['correct']}/{v['n']}")
    print()
    print("per note (all labels): reference spans / second spans / lenient F1")
    for d in ref_docs:
        one = score_extraction([d], {d.note_id: predicted[d.note_id]}, labels=LABELS)["micro"]
        g = len(d.spans)
        pr = len(predicted[d.note_id])
        f1 = "n/a (both empty)" if g == 0 and pr == 0 else fmt(one["lenient"]["f1"])
        print(f"  {d.note_id:<11} {g:>3} {pr:>3}  {f1}")
    neg, unmatched = negation_agreement(ref_docs, sec_by_id)
    print()
    print(f"negated mentions: reference {neg['reference']}, second {neg['second']}; "
          f"matched (same label, overlapping) {neg['ref_matched']} of reference, "
          f"{neg['sec_matched']} of second; P {fmt(neg['p'])} R {fmt(neg['r'])} F1 {fmt(neg['f1'])}")
    print(f"  reference negations the second annotated as a positive span: {neg['ref_as_span']}; "
          f"second's negations the reference annotated as a positive span: {neg['sec_as_span']}")
    ng = res.get("negation", {})
    print(f"  scorer's negation rate (reference negations not overlapped by a second-annotator "
          f"span of the same label): {ng.get('not_extracted')}/{ng.get('total')}")

    if "--list" in argv:
        print()
        print("unmatched spans (same label, any overlap = match):")
        for d in ref_docs:
            s = sec_by_id[d.note_id]
            for who, mine, other in (("reference-only", d.spans, s.spans),
                                     ("second-only", s.spans, d.spans)):
                for sp in mine:
                    if any(o.label == sp.label and overlaps(sp, o) for o in other):
                        continue
                    alt = sorted({o.label for o in other if overlaps(sp, o)})
                    note = f" [other label there: {', '.join(alt)}]" if alt else ""
                    print(f"  {who:<14} {sp.label:<18} {d.note_id:<11} {sp.start}-{sp.end}"
                          f"{note}: {excerpt(d.text, sp.start, sp.end)}")
        print("boundary disagreements (same label, overlapping, different offsets):")
        for d in ref_docs:
            s = sec_by_id[d.note_id]
            for sp in d.spans:
                for o in s.spans:
                    if o.label == sp.label and overlaps(sp, o) and (sp.start, sp.end) != (o.start, o.end):
                        print(f"  {sp.label:<18} {d.note_id:<11} ref {sp.start}-{sp.end} / 2nd "
                              f"{o.start}-{o.end}: ref {excerpt(d.text, sp.start, sp.end, 45)} | "
                              f"2nd {excerpt(d.text, o.start, o.end, 45)}")
        print("attribute disagreements on overlapping same-label pairs:")
        for d in ref_docs:
            s = sec_by_id[d.note_id]
            for sp in d.spans:
                for o in s.spans:
                    if o.label == sp.label and overlaps(sp, o) and dict(sp.attrs) != dict(o.attrs):
                        print(f"  {sp.label:<18} {d.note_id:<11} ref {dict(sp.attrs)} / 2nd "
                              f"{dict(o.attrs)}: {excerpt(d.text, sp.start, sp.end, 50)}")
        print("unmatched negated mentions:")
        for who, d, m, extra in unmatched:
            print(f"  {who:<14} {m.label:<18} {d.note_id:<11} {m.start}-{m.end}"
                  f"{' [' + extra + ']' if extra else ''}: {excerpt(d.text, m.start, m.end)}")


if __name__ == "__main__":
    main(sys.argv[1:])
