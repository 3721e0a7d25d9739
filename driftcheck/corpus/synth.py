"""Synthetic longitudinal pain-management corpus: notes, claims and exact ground truth.

Why synthetic: real notes cannot carry ground truth for *which* sentence was copied from *which*
visit, or which claim line was seeded to fail which payer rule. Here every note is generated
from a planned timeline, so labels (clone kind, copied spans, statements with fresh/carried
provenance, seeded DC3xx problems) are exact by construction.

Streaming: :func:`iter_patients` yields one patient at a time and keeps only a small per-provider
cache across patients (for cross-patient reuse), so a million notes never sit in memory.
"""

from __future__ import annotations

import json
import os
import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from driftcheck.corpus.draft import Placed, Unit
from driftcheck.corpus.notes import Built, PatientWriter
from driftcheck.corpus.procedures import cpm, procedure
from driftcheck.corpus.profile import PAYERS, PROVIDERS, STYLES, make_chart, pronouns
from driftcheck.corpus.schedule import ALL_CODES, LONG, TRACK_CODES, TRACKS, Visit, place_problems, plan_track

KINDS = ("first_visit", "genuine_followup", "verbatim_clone", "edited_clone", "static_section", "necessity_carried",
         "cross_patient")
FILES = ("notes.jsonl", "claims.jsonl", "labels.jsonl", "statements.jsonl", "billing.jsonl")
_STALE = {("DC307", "stale"), ("DC309", "stale"), ("DC311", "stale_cc"), ("DC312", "stale")}
_NOTE_TYPE = {"eval": "consult", "fu": "progress_note", "proc": "procedure_note", "cpm": "chronic_pain_management"}
_FAMILY_OF_NEXT = {"esi": "esi", "cesi": "cesi", "mbb": "facet", "rfa": "rfa", "tpi": "tpi"}


@dataclass(slots=True)
class PatientRecords:
    """Everything generated for one patient, as JSON-ready rows for the five output files."""

    patient_id: str
    notes: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    labels: list[dict[str, Any]] = field(default_factory=list)
    statements: list[dict[str, Any]] = field(default_factory=list)
    billing: list[dict[str, Any]] = field(default_factory=list)


class _Deck:
    """Round-robin over the DC3xx codes so every code is seeded regularly, not by luck."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.deck: list[str] = []
        self.pending: list[tuple[str, int]] = []

    def draw(self, fits: Callable[[str], bool]) -> str | None:
        for i, (code, _) in enumerate(self.pending):
            if fits(code):
                return self.pending.pop(i)[0]
        for _ in range(len(ALL_CODES) * 2):
            if not self.deck:
                self.deck = list(ALL_CODES)
                self.rng.shuffle(self.deck)
            code = self.deck.pop()
            if fits(code):
                return code
            self.pending.append((code, 0))
        return None

    def retry(self, code: str) -> None:
        tries = next((t for c, t in self.pending if c == code), 0)
        if tries < 3:
            self.pending.append((code, tries + 1))


def _choose(master: random.Random, deck: _Deck) -> tuple[str, list[str]]:
    """Pick the patient's track and the DC3xx codes to seed (0–3, one per claim line)."""
    k = master.choices([0, 1, 2, 3, 4], [5, 25, 30, 25, 15])[0]
    if k == 0:
        return master.choices(list(TRACKS), list(TRACKS.values()))[0], []
    first = deck.draw(lambda c: True)
    if first is None:
        return master.choices(list(TRACKS), list(TRACKS.values()))[0], []
    tracks = [t for t in TRACKS if first in TRACK_CODES[t]]
    track = master.choices(tracks, [TRACKS[t] for t in tracks])[0]
    codes = [first]
    for _ in range(k - 1):
        code = deck.draw(lambda c: c in TRACK_CODES[track] and c not in codes)
        if code is None:
            break
        codes.append(code)
    return track, codes


def _assign_kinds(rng: random.Random, visits: list[Visit]) -> None:
    """Decide the clone kind of each E/M follow-up before any text is written."""
    i = 0
    while i < len(visits):
        v = visits[i]
        prev = visits[i - 1] if i else None
        if v.vtype != "fu" or v.problem is not None or i < 2 or v.kind:
            i += 1
            continue
        r = rng.random()
        if r < 0.09:
            v.kind = "verbatim_clone"
        elif r < 0.18:
            v.kind = "edited_clone"
        elif r < 0.25:
            v.kind = "cross_patient"
        elif r < 0.28 and v.after is None:
            v.kind = "necessity_carried"
        elif r < 0.37 and prev is not None and prev.vtype in ("fu", "eval") and prev.kind in ("", "genuine_followup"):
            v.kind = "static_section"
            nxt = visits[i + 1] if i + 1 < len(visits) else None
            if nxt is not None and nxt.vtype == "fu" and nxt.problem is None and rng.random() < 0.6:
                nxt.kind = "static_section"
                i += 1
        i += 1


def iter_patients(n_patients: int, seed: int, visits_min: int = 6, visits_max: int = 24) -> Iterator[PatientRecords]:
    """Yield each synthetic patient's records lazily, in patient order.

    Args:
        n_patients: How many patients to generate.
        seed: Same seed, same parameters → identical records.
        visits_min: Fewest visits per patient.
        visits_max: Most visits per patient (patients seeded with frequency problems get this many).

    Yields:
        One :class:`PatientRecords` per patient.
    """
    if visits_min < 2 or visits_max < visits_min:
        raise ValueError("need 2 <= visits_min <= visits_max")
    master = random.Random(f"driftcheck-synth:{seed}")
    deck = _Deck(master)
    xcache: dict[str, list[tuple[str, str, list[Unit]]]] = {}
    for idx in range(n_patients):
        track, codes = _choose(master, deck)
        rng = random.Random(f"driftcheck-synth:{seed}:{idx}")
        recs, missed = _patient(rng, idx, track, codes, visits_min, visits_max, xcache)
        for code in missed:
            deck.retry(code)
        yield recs


def _patient(rng: random.Random, idx: int, track: str, codes: list[str], vmin: int, vmax: int,
             xcache: dict[str, list[tuple[str, str, list[Unit]]]]) -> tuple[PatientRecords, list[str]]:
    pid = f"P{idx + 1:06d}"
    provider = PROVIDERS[rng.randrange(len(PROVIDERS))]
    payer = rng.choice(PAYERS)
    sex = rng.choice("FM")
    p = pronouns(sex)
    start = date(2023, 1, 2) + timedelta(days=rng.randint(0, 330))
    onset_months = rng.randint(2, 30) if track in ("esi", "cesi") else rng.randint(4, 60)
    onset = start - timedelta(days=onset_months * 30 + rng.randint(0, 20))
    n = vmax if set(codes) & LONG else rng.randint(vmin, vmax)
    visits = plan_track(rng, track, start, n, set(codes))
    missed = place_problems(rng, visits, track, codes)
    for v in visits:  # clean same-day E/M (modifier 25 with a separate problem); none in CPM months
        if v.vtype == "proc" and v.problem is None and track != "cpm" and rng.random() < 0.25:
            v.em = True
    _assign_kinds(rng, visits)
    w = PatientWriter(rng, pid, track, provider, make_chart(rng, p, {"esi": "lumbar", "cesi": "cervical", "facet": "lumbar",
                                                                     "cfacet": "cervical", "tpi": "myofascial"}.get(track, "lumbar"), sex),
                      p, rng.randint(34, 86), sex, onset)
    if track in ("cpm", "medical"):
        w.chart = make_chart(rng, p, w.region, sex)
    first_proc = next((v for v in visits if v.vtype == "proc"), None)
    w.side = first_proc.side if first_proc is not None else rng.choice(["left", "right", "bilateral"])
    recs = PatientRecords(pid)
    style = STYLES[provider.style]
    mine: tuple[str, str, list[Unit]] | None = None
    used_x: set[str] = set()  # other patients' notes this patient's HPIs were already copied from
    for i, v in enumerate(visits):
        nid = f"{pid}-{i + 1:02d}"
        w.current_nid = nid
        w.mem.current = nid
        nxt = visits[i + 1] if i + 1 < len(visits) else None
        next_family = _FAMILY_OF_NEXT.get(nxt.family or "") if nxt is not None and nxt.vtype == "proc" else None
        kind = _kind_for(v)
        minutes = 0
        if v.vtype == "eval":
            built = w.evaluation(v, nid, next_family)
        elif v.vtype == "fu":
            xsrc = _cross_source(xcache.get(provider.provider_id, []), pid, used_x, w.mem.seen) if kind == "cross_patient" else None
            if kind == "cross_patient" and xsrc is None:
                kind = "genuine_followup"
            if xsrc is not None:
                used_x.add(xsrc[0])
            if kind in ("verbatim_clone", "edited_clone", "static_section") and w.last_em is None:
                kind = "genuine_followup"
            built = w.followup(v, nid, next_family, kind, xsrc)
        elif v.vtype == "proc":
            fam = v.family or "esi"
            built = procedure(w, v, nid, w.procs.get(fam, []))
            w.procs.setdefault(fam, []).append(v)
        else:
            minutes = _cpm_minutes(rng, v)
            built = cpm(w, v, nid, minutes)
        dos = v.date.strftime("%m/%d/%Y")
        label = {"eval": "New patient evaluation", "fu": "Follow-up visit", "proc": "Procedure note",
                 "cpm": "Pain management visit"}[v.vtype]
        built.draft.header = provider.header(label, dos)
        built.draft.footer = provider.footer(dos)
        text, placed = built.draft.render(style)
        for pl in placed:
            w.mem.remember(pl.unit)
        recs.notes.append({"patient_id": pid, "note_id": nid, "date": v.date.isoformat(), "text": text,
                           "provider_id": provider.provider_id, "note_type": _NOTE_TYPE[v.vtype], "payer": payer,
                           "status": "signed"})
        recs.labels.append(_label(nid, kind, placed, text))
        recs.statements.append(_statements(text, pid, nid, placed))
        _claims(recs, w, v, i, nid, built, payer, minutes)
        if v.vtype in ("eval", "fu"):
            w.last_em = built.draft
            w.last_em_code = built.em_code or "99213"
            narrative = _narrative(built.draft.section("hpi"), nid)
            if kind == "genuine_followup" and v.vtype == "fu" and len(narrative) >= 3:
                mine = (pid, nid, narrative)
    if mine is not None:  # offered to later patients of this provider only
        offered = xcache.setdefault(provider.provider_id, [])
        offered.append(mine)
        del offered[:-_XCACHE]
    if "DC301" in codes:
        _orphan(rng, recs, visits, w, payer)
    return recs, missed


_XCACHE = 4  # narrative HPIs kept per provider (one per earlier patient) for cross-patient reuse


def _narrative(hpi: list[Unit], nid: str) -> list[Unit]:
    """The leading narrative sentences of a follow-up HPI (no statements), written fresh in ``nid``.

    Offered for cross-patient reuse only with an opener plus two interval-history sentences: the
    opener alone ("Return visit.") is shared by many patients and reads as template.
    """
    out = []
    for u in hpi:
        if u.label or u.negated or u.boiler or u.cross or (u.origin and u.origin != nid):
            break
        out.append(u)
    return out


def _cross_source(offered: list[tuple[str, str, list[Unit]]], pid: str, used: set[str],
                  seen: dict[str, str]) -> tuple[str, list[Unit]] | None:
    """Newest other-patient HPI this patient has not copied before and whose text is new to its chart.

    A second cross-patient note reusing the same paragraph would repeat the patient's own
    earlier note (a clone, not cross-patient reuse), so each source is used once per patient.
    """
    for other, src_nid, units in reversed(offered):
        if other != pid and src_nid not in used and not any(u.text in seen for u in units):
            return src_nid, units
    return None


def _kind_for(v: Visit) -> str:
    if v.vtype == "eval":
        return "first_visit"
    if v.problem is not None and v.problem in _STALE:
        return "necessity_carried"
    if v.vtype == "fu" and v.kind:
        return v.kind
    return "genuine_followup"


def _cpm_minutes(rng: random.Random, v: Visit) -> int:
    code = v.problem[0] if v.problem else ""
    if code == "DC302":
        return rng.randint(16, 28)
    if code in ("DC303", "DC304"):
        return rng.randint(45, 70)
    return rng.randint(30, 80)


# --------------------------------------------------------------------------- ground truth rows


def _merge(spans: list[list[Any]], text: str) -> list[list[Any]]:
    """Join neighbouring spans (same source) separated only by whitespace or a list dash."""
    out: list[list[Any]] = []
    for span in spans:
        if out and out[-1][2:] == span[2:] and not text[out[-1][1]:span[0]].strip(" \n-"):
            out[-1][1] = span[1]
        else:
            out.append(list(span))
    return out


def _label(nid: str, kind: str, placed: list[Placed], text: str) -> dict[str, Any]:
    copied, edited, boiler, cross = [], [], [], []
    for pl in placed:
        u = pl.unit
        if u.boiler:
            boiler.append([pl.start, pl.end])
        elif u.cross:
            cross.append([pl.start, pl.end, u.cross])
        elif u.origin and u.origin != nid:
            copied.append([pl.start, pl.end, u.origin])
            if u.edited:
                edited.append([pl.start, pl.end, u.origin])
    boiler, cross = _merge(boiler, text), _merge(cross, text)  # copied spans stay per sentence: exact source text
    return {"note_id": nid, "cloned": kind in ("verbatim_clone", "edited_clone"), "kind": kind, "copied_spans": copied,
            "edited_spans": edited, "boilerplate_spans": boiler, "cross_patient_spans": cross}


def _statements(text: str, pid: str, nid: str, placed: list[Placed]) -> dict[str, Any]:
    spans, negated = [], []
    for pl in placed:
        u = pl.unit
        if u.negated:
            end = pl.end - 1 if u.text.endswith(".") else pl.end
            negated.append({"start": pl.start, "end": end, "label": u.negated})
        if not u.label:
            continue
        a, b = u.stmt_range()
        fresh = not u.origin or u.origin == nid
        spans.append({"start": pl.start + a, "end": pl.start + b, "label": u.label, "attrs": dict(u.attrs or {}),
                      "fresh": fresh, "source_note_id": None if fresh else u.origin})
    return {"text": text, "meta": {"note_id": nid, "patient_id": pid}, "spans": spans, "negated": negated}


# --------------------------------------------------------------------------- claims

_SIDE_MOD = {"bilateral": "50", "left": "LT", "right": "RT"}


def _claims(recs: PatientRecords, w: PatientWriter, v: Visit, i: int, nid: str, built: Built, payer: str,
            minutes: int) -> None:
    """Claim lines for one visit; the seeded problem (if any) sits on exactly one line."""
    code, variant = v.problem or ("", "")
    dx = w.diagnoses()
    lines: list[tuple[str, list[str], int, list[str], str | None]] = []
    if v.vtype in ("eval", "fu"):
        lines.append((built.em_code or "99213", [], 1, dx, code or None))
    elif v.vtype == "cpm":
        units = (minutes - 30) // 15 if minutes >= 45 else 0
        if code == "DC304":
            lines.append(("G3003", [], 1, dx, "DC304"))
        else:
            lines.append(("G3002", [], 1, dx, code if code in ("DC302", "DC305") else None))
            if code == "DC303":
                lines.append(("G3003", [], units + 1, dx, "DC303"))
            elif units:
                lines.append(("G3003", [], units, dx, None))
    else:
        lines += _proc_lines(w, v, built, dx, code, variant)
        if code == "DC306":
            lines.append(("77003", [], 1, dx, "DC306"))
        if v.em:
            mods = [] if code == "DC318" else ["25"]
            edx = ([built.separate_dx] if built.separate_dx else []) + dx
            lines.append((built.em_code or "99213", mods, 1, edx, code if code in ("DC318", "DC319") else None))
    cid = f"C{recs.patient_id[1:]}-{i + 1:02d}"
    for n, (cpt, mods, units, dxs, prob) in enumerate(lines, start=1):
        recs.claims.append({"claim_id": cid, "line": n, "note_id": nid, "patient_id": recs.patient_id,
                            "date": v.date.isoformat(), "code": cpt, "modifiers": ";".join(mods), "units": units,
                            "diagnoses": ";".join(dxs), "payer": payer})
        if prob:
            recs.billing.append({"claim_id": cid, "line": n, "note_id": nid, "patient_id": recs.patient_id,
                                 "code": prob, "billed_code": cpt, "variant": variant})


def _proc_lines(w: PatientWriter, v: Visit, built: Built, dx: list[str], code: str,
                variant: str) -> list[tuple[str, list[str], int, list[str], str | None]]:
    fam = v.family
    lumbar = w.region != "cervical"
    side = _SIDE_MOD[v.side]
    own = code if code in ("DC307", "DC308", "DC309", "DC310", "DC311", "DC312", "DC313", "DC315", "DC316", "DC317",
                           "DC321") else None
    if fam in ("esi", "cesi"):
        if fam == "cesi" or built.approach == "il":
            return [("62321" if fam == "cesi" else "62323", [], 2 if code == "DC310" else 1, dx, own)]
        lines = [("64483", [side], 1, dx, own)]
        if built.levels == 2:
            lines.append(("64484", [side], 1, dx, "DC314" if code == "DC314" else None))
        return lines[1:] if code == "DC314" else lines
    if fam in ("mbb", "rfa"):
        prim, add = {("mbb", True): ("64493", "64494"), ("mbb", False): ("64490", "64491"),
                     ("rfa", True): ("64635", "64636"), ("rfa", False): ("64633", "64634")}[(fam, lumbar)]
        mods = (["KX"] if fam == "mbb" else []) + ([] if code == "DC321" else [side])
        lines = [(prim, mods, 1, dx, own)]
        if built.levels == 2:
            lines.append((add, list(mods), 1, dx, "DC314" if code == "DC314" else None))
        return lines[1:] if code == "DC314" else lines
    big = built.muscles >= 3
    if code == "DC315":
        big = not big
    return [("20553" if big else "20552", [], 2 if code == "DC316" else 1, dx, own)]


def _orphan(rng: random.Random, recs: PatientRecords, visits: list[Visit], w: PatientWriter, payer: str) -> None:
    """A claim line on a date with no note (DC301)."""
    taken = {v.date for v in visits}
    gaps = [(a.date, b.date) for a, b in zip(visits, visits[1:], strict=False) if (b.date - a.date).days > 3]
    if not gaps:
        return
    a, b = rng.choice(gaps)
    day = a + timedelta(days=rng.randint(1, (b - a).days - 1))
    if day in taken:
        return
    cid = f"C{recs.patient_id[1:]}-X1"
    recs.claims.append({"claim_id": cid, "line": 1, "note_id": None, "patient_id": recs.patient_id, "date": day.isoformat(),
                        "code": "99213", "modifiers": "", "units": 1, "diagnoses": ";".join(w.diagnoses()), "payer": payer})
    recs.billing.append({"claim_id": cid, "line": 1, "note_id": None, "patient_id": recs.patient_id, "code": "DC301",
                         "billed_code": "99213", "variant": "default"})


# --------------------------------------------------------------------------- writer


def _open_private(path: Path) -> Any:
    """Open for writing with mode 0600: the corpus looks like PHI and is treated as such."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    return os.fdopen(fd, "w", encoding="utf-8", newline="\n")


def write_corpus(out: str | os.PathLike[str], n_patients: int, seed: int, visits_min: int = 6, visits_max: int = 24,
                 progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Stream a corpus to ``out`` (created if needed); return counts per kind and per seeded code.

    Args:
        out: Output folder; the five JSONL files are (re)written there.
        n_patients: Patients to generate.
        seed: Random seed; same arguments give byte-identical files.
        visits_min: Fewest visits per patient.
        visits_max: Most visits per patient.
        progress: Called as ``progress(done_patients, done_notes)`` after each patient.

    Returns:
        ``{"patients", "notes", "claim_lines", "kinds": {...}, "problems": {...}}``.
    """
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    kinds: Counter[str] = Counter()
    problems: Counter[str] = Counter()
    n_notes = n_lines = 0
    handles = [_open_private(folder / name) for name in FILES]
    try:
        for done, recs in enumerate(iter_patients(n_patients, seed, visits_min, visits_max), start=1):
            for fh, rows in zip(handles, (recs.notes, recs.claims, recs.labels, recs.statements, recs.billing), strict=True):
                for row in rows:
                    fh.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")))
                    fh.write("\n")
            kinds.update(lab["kind"] for lab in recs.labels)
            problems.update(b["code"] for b in recs.billing)
            n_notes += len(recs.notes)
            n_lines += len(recs.claims)
            if progress is not None:
                progress(done, n_notes)
    finally:
        for fh in handles:
            fh.close()
    return {"patients": n_patients, "notes": n_notes, "claim_lines": n_lines,
            "kinds": {k: kinds.get(k, 0) for k in KINDS}, "problems": dict(sorted(problems.items()))}
