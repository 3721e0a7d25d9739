"""Procedure notes (ESI, facet MBB/RFA, trigger points) and monthly chronic-pain-management notes.

Why here: these are the notes whose claim lines need specific fresh evidence (failed conservative
care, prior relief, chronicity, time). Each seeded variant removes that evidence, carries it
verbatim from an earlier note, or states an insufficient value — and nothing else changes, so a
seeded line has exactly one problem.
"""

from __future__ import annotations

from driftcheck.corpus import phrases as ph
from driftcheck.corpus.draft import Draft, Unit
from driftcheck.corpus.notes import (
    _CAREPLAN,
    _CP_G,
    _CP_MISC,
    _CP_N,
    _CP_O,
    _CP_S,
    _MUSCLES,
    _PROC_SHORT,
    DX,
    SEPARATE_PROBLEMS,
    Built,
    PatientWriter,
)
from driftcheck.corpus.phrases import cap, pick
from driftcheck.corpus.schedule import Visit

_LEVELS = {"lumbar": (["L4-5", "L5-S1"], ["L3", "L4", "L5"]), "cervical": (["C5-6", "C6-7"], ["C5", "C6", "C7"])}
_SIDE_WORD = {"left": "Left", "right": "Right", "bilateral": "Bilateral"}


def _family_key(v: Visit) -> str:
    return {"esi": "esi", "cesi": "cesi", "mbb": "facet", "rfa": "rfa", "tpi": "tpi"}[v.family or "esi"]


def procedure(w: PatientWriter, v: Visit, nid: str, sessions: list[Visit]) -> Built:
    """A procedure note; with a same-day E/M block when ``v.em``.

    ``sessions`` are this patient's earlier sessions of the same family (oldest first).
    """
    rng, p = w.rng, w.p
    fam = v.family or "esi"
    code, variant = v.problem or ("", "")
    d = Draft(nid)
    levels = int(v.extra.get("levels", w.levels))
    approach = str(v.extra.get("approach", w.approach)) if fam == "esi" else "il"
    region = w.region
    segs, nerves = _LEVELS.get(region, _LEVELS["lumbar"])
    side = v.side
    sw = _SIDE_WORD[side]
    built = Built(d, levels=levels, approach=approach)
    # --- name line and diagnosis header: provider procedure template (boilerplate)
    if fam == "esi":
        name = (f"{_SIDE_WORD[side if side != 'bilateral' else 'left']} {' and '.join(segs[:levels])} transforaminal epidural "
                "steroid injection under fluoroscopic guidance" if approach == "tf" else
                "Lumbar interlaminar epidural steroid injection at L5-S1 under fluoroscopic guidance")
        if approach == "tf" and side == "bilateral":
            name = f"Bilateral {' and '.join(segs[:levels])} transforaminal epidural steroid injection under fluoroscopic guidance"
    elif fam == "cesi":
        name = "Cervical interlaminar epidural steroid injection at C6-7 under fluoroscopic guidance"
    elif fam == "mbb":
        name = (f"{sw} {' and '.join(segs[:levels])} facet medial branch blocks ({', '.join(nerves[:levels + 1])} medial "
                "branches) under fluoroscopy, diagnostic")
    elif fam == "rfa":
        name = f"{sw} radiofrequency ablation of the medial branches at {' and '.join(segs[:levels])} under fluoroscopy"
    else:
        n = int(v.extra.get("muscles", rng.choice([1, 2, 2, 3, 3, 4])))
        built.muscles = n
        name = "Trigger point injections"
    d.header = w.provider.header("Procedure note", v.date.strftime("%m/%d/%Y"))
    d.add("procedure", [Unit(name + ".", boiler=True)])
    dx_key = {"mbb": "facet" if region == "lumbar" else "cfacet", "rfa": "facet" if region == "lumbar" else "cfacet",
              "tpi": "tpi"}.get(fam, fam)
    d.add("prediag", [Unit(f"{t.format(side=w._one_side())} ({c}).", boiler=True) for t, c in DX[dx_key]])
    # --- indication: the evidence payers look for, fresh unless seeded otherwise
    ind: list[Unit] = []
    months = max(1, (v.date - w.onset).days // 30)
    if fam in ("mbb", "rfa") and not (code == "DC311" and variant == "missing_duration"):
        ind.append(w.mem.fresh(None, lambda: (ph.chronicity(rng, p, months, region), {})))
    direction = w._next_pain()
    ind.append(w.pain_unit())
    if rng.random() < 0.5:
        ind.append(w.function_unit(direction if rng.random() < 0.5 else "none"))
    stale_cc = (code == "DC307" and variant == "stale") or (code == "DC311" and variant == "stale_cc")
    missing_cc = (code == "DC307" and variant == "missing") or (code == "DC311" and variant == "missing_cc")
    if stale_cc and w.cc_units:
        unit, src = w.cc_units[0]
        ind.append(unit.carry(src))
    elif not missing_cc:
        if fam == "tpi":
            ind.append(w.cc_unit(rng.sample(["physical_therapy", "home_exercise", "nsaid", "muscle_relaxant"], 2),
                                 rng.randint(6, 12), "failed"))
        else:
            ind.append(w.failed_cc_unit())
    prior = sessions[-1] if sessions else None
    if fam == "rfa" and prior is None:  # first RFA: its prior sessions are the diagnostic blocks
        prior = w.procs["mbb"][-1] if w.procs.get("mbb") else None
    ind += _prior_response(w, v, fam, prior, sessions, code, variant)
    ind.append(w.necessity_unit(_family_key(v), repeat=v.seq >= 2))
    d.add("indication", ind)
    # --- same-day E/M: a separately identifiable problem (or, seeded DC319, only the procedure decision)
    if v.em:
        _em_block(w, v, d, name, built)
    d.add("allergies", w.carried(w.chart.allergies))
    d.add("technique", _technique(w, v, fam, levels, approach, segs, built))
    d.add("plan", [Unit(pick(rng, ["Follow up in 2 weeks to assess response.", "Return in two weeks for reassessment.",
                                   "Follow-up visit in 2 to 3 weeks."]), boiler=True)])
    d.footer = w.provider.footer(v.date.strftime("%m/%d/%Y"))
    return built


def _prior_response(w: PatientWriter, v: Visit, fam: str, prior: Visit | None, sessions: list[Visit], code: str,
                    variant: str) -> list[Unit]:
    """Response to earlier sessions that a repeat procedure needs (fresh, stale, missing or low).

    ``prior`` is the previous session of the family, or for a first RFA the last diagnostic
    block. MBB #2 cites block #1; a first (or staged second) RFA cites, fresh, every diagnostic
    block before it (≥ 80 % relief of index pain, hours); a repeat RFA cites the first RFA.
    Seeded DC309/DC312 lines get one sentence that is missing, carried (stale) or too low.
    """
    rng, p = w.rng, w.p
    need = (fam in ("esi", "cesi") and v.seq >= 2) or (fam == "mbb" and v.seq == 2) or fam == "rfa" or (
        fam == "tpi" and v.seq >= 2)
    if not need or prior is None:
        return []
    seeded = code in ("DC309", "DC312")
    if seeded and variant == "missing":
        return []
    if seeded and variant == "stale":
        pool = [r for r in w.responses if r[0] in (fam, "mbb" if fam == "rfa" else fam)]
        good = [r for r in pool if (r[1].attrs or {}).get("relief_pct", 0) >= (80 if fam in ("mbb", "rfa") else 50)]
        pick_from = good or pool
        if pick_from:
            _, unit, src = pick_from[-1]
            return [unit.carry(src)]
        return []
    dstr = prior.date.strftime("%m/%d/%Y")
    if fam in ("esi", "cesi"):
        gap_weeks = max(13, (v.date - prior.date).days // 7)
        pct = rng.choice(range(20, 45, 5)) if seeded else rng.choice(range(55, 95, 5))
        weeks = rng.randint(13, gap_weeks) if not seeded else rng.randint(3, 6)
        return [w.mem.fresh("PROCEDURE_RESPONSE", lambda: ph.response(
            rng, p, pct, pick(rng, _PROC_SHORT[fam]), dstr, weeks, None, w.region))]
    if fam == "mbb" or (fam == "rfa" and v.seq <= 2):
        blocks = [prior] if fam == "mbb" else [s for s in w.procs.get("mbb", []) if not s.extra.get("failed")] or [prior]
        if seeded:  # DC312 `low`: one block, 40-70 % relief
            blocks = blocks[-1:]
        out = []
        for block in blocks:
            bdate = block.date.strftime("%m/%d/%Y")
            pct = rng.choice(range(40, 75, 5)) if seeded else max(80, w.relief.get(id(block), rng.choice(range(80, 100, 5))))
            hours = rng.randint(4, 8)
            out.append(w.mem.fresh("PROCEDURE_RESPONSE", lambda bdate=bdate, pct=pct, hours=hours: ph.response(
                rng, p, pct, pick(rng, _PROC_SHORT["mbb"]), bdate, None, hours, w.region)))
        return out
    if fam == "rfa":
        first = w.procs.get("rfa", [prior])[0]
        months = max(6, (v.date - first.date).days // 30)
        pct = rng.choice(range(80, 95, 5))
        return [w.mem.fresh("PROCEDURE_RESPONSE", lambda: ph.response(
            rng, p, pct, pick(rng, _PROC_SHORT["rfa"]), first.date.strftime("%m/%d/%Y"), months * 4, None, w.region))]
    pct = rng.choice(range(55, 90, 5))
    weeks = rng.randint(6, 12)
    return [w.mem.fresh("PROCEDURE_RESPONSE", lambda: ph.response(
        rng, p, pct, pick(rng, _PROC_SHORT["tpi"]), dstr, weeks, None, w.region)), w.function_unit("improved")]


def _em_block(w: PatientWriter, v: Visit, d: Draft, name: str, built: Built) -> None:
    rng, p = w.rng, w.p
    if v.problem and v.problem[0] == "DC319":
        d.add("hpi", [w.text_unit(["{He} presents for the scheduled procedure", "{He} is here for the planned injection today",
                                   "Pre-procedure visit on the day of the injection"])])
        d.add("ap", [w.text_unit([f"Proceed with {name.lower()} today",
                                  "Plan to proceed with the procedure as scheduled"]),
                     w.text_unit(["Risks, benefits and alternatives were discussed and informed consent was obtained",
                                  "Consent obtained after discussion of risks, benefits and alternatives"])])
        level = "99213"
    else:
        hx, ex, plan, dx = rng.choice(SEPARATE_PROBLEMS)
        built.separate_dx = dx
        d.add("hpi", [Unit(hx.format(**p)), w.text_unit(ph.INTERVAL_EVENTS)])
        d.add("exam", [Unit(ex)])
        d.add("ap", [Unit(plan), w.text_unit(["Proceed with the planned procedure today",
                                             "The procedure above was performed as planned",
                                             "Today's injection proceeds as scheduled"])])
        level = rng.choice(["99213", "99213", "99214"])
    if w.provider.timed:
        minutes = w.em_minutes(level)
        d.add("time", [w.time_unit(minutes)])
        built.minutes = minutes
    built.em_code = level


def _technique(w: PatientWriter, v: Visit, fam: str, levels: int, approach: str, segs: list[str], built: Built) -> list[Unit]:
    """Procedure description: the provider's template (boilerplate) plus the fresh immediate response."""
    rng = w.rng
    side = v.side
    out = [Unit("Informed consent was obtained. The patient was placed prone, prepped with chlorhexidine and draped sterilely.",
                boiler=True)]
    if fam in ("esi", "cesi"):
        drug = pick(rng, ["triamcinolone 40 mg", "dexamethasone 10 mg", "methylprednisolone 80 mg"])
        where = (f"the {side} {' and '.join(segs[:levels])} foramina" if approach == "tf" and fam == "esi"
                 else "the epidural space at a single level")
        out += [Unit(f"Under fluoroscopic guidance a Tuohy or spinal needle was advanced to {where}.", boiler=True),
                Unit("Omnipaque contrast confirmed epidural spread without vascular uptake; AP and lateral images were saved.",
                     boiler=True),
                Unit(f"{cap(drug)} with 2 mL preservative-free saline was injected.", boiler=True)]
        pct = rng.choice(range(40, 90, 10))
        out.append(w.mem.fresh("PROCEDURE_RESPONSE", lambda: ph.response(rng, w.p, pct, "", "", None, None, w.region)))
    elif fam == "mbb":
        sides = "bilaterally" if side == "bilateral" else f"on the {side}"
        out += [Unit(f"Under fluoroscopy, 22-gauge needles were placed at the medial branches for {' and '.join(segs[:levels])} "
                     f"{sides}.", boiler=True),
                Unit("Contrast confirmed no vascular spread; 0.5 mL of 0.5% bupivacaine was injected at each site.", boiler=True)]
        pct = 35 if v.extra.get("failed") else rng.choice(range(80, 100, 5))
        w.relief[id(v)] = pct
        out.append(w.mem.fresh("PROCEDURE_RESPONSE", lambda: ph.response(rng, w.p, pct, "", "", None, None, w.region)))
    elif fam == "rfa":
        sides = "bilaterally" if side == "bilateral" else f"on the {side}"
        out += [Unit(f"RF cannulas were placed parallel to the medial branches for {' and '.join(segs[:levels])} {sides} "
                     "under fluoroscopy.", boiler=True),
                Unit("Sensory and motor testing were appropriate; thermal lesions were made at 80 degrees C for 90 seconds.",
                     boiler=True)]
    else:
        area = w.area
        sides = ["left", "right"]
        pairs = [(s, m) for m in _MUSCLES[area] for s in sides]
        rng.shuffle(pairs)
        chosen = pairs[: built.muscles]
        names = ph.join_list([f"{s} {m}" for s, m in chosen])
        out += [Unit("Trigger points were identified by palpation of taut bands with local twitch response.", boiler=True),
                Unit(f"A 25-gauge needle was used to inject 1% lidocaine 2 mL into trigger points of the {names}.", boiler=True)]
        pct = rng.choice(range(50, 90, 10))
        out.append(w.mem.fresh("PROCEDURE_RESPONSE", lambda: ph.response(rng, w.p, pct, "", "", None, None, w.region)))
    out.append(Unit("Tolerated well without complications.", boiler=True))
    return out


# ---------------------------------------------------------------------- chronic pain management


def cpm(w: PatientWriter, v: Visit, nid: str, minutes: int) -> Built:
    """A monthly chronic-pain-management visit (G3002/G3003) with a fresh time statement."""
    rng, p = w.rng, w.p
    seeded = v.problem[0] if v.problem else ""
    plain = seeded == "DC305"
    d = Draft(nid)
    d.header = w.provider.header("Pain management visit", v.date.strftime("%m/%d/%Y"))
    hpi = [w.text_unit(["Seen in person in the clinic today", "In-person visit in the office"] if v.first_cpm or rng.random() < 0.7
                       else ["Seen by video visit today", "Follow-up conducted by telehealth video"])]
    if v.first_cpm and not plain:
        months = max(4, (v.date - w.onset).days // 30)
        hpi.append(w.mem.fresh(None, lambda: (ph.chronicity(rng, p, months, w.region), {})))
    hpi += [w.text_unit(ph.INTERVAL_EVENTS) for _ in range(rng.randint(1, 2))]
    direction = w._next_pain()
    pain = [w.pain_unit(), w.function_unit(direction if rng.random() < 0.7 else "unchanged")]
    hpi.append(w.ongoing_cc_unit())
    w.section_split(d, hpi, pain)
    w.chart_sections(d, full=rng.random() < 0.6)
    d.add("exam", w.exam_units())
    dx = [(t, c) for t, c in DX[w.dx_key()] if not (plain and c.startswith("G89"))]
    assess = []
    for text, code in dx:
        assess.append(w.mem.fresh(None, lambda text=text, code=code: (f"{text} ({code}), {pick(rng, ['stable', 'improving', 'flaring', 'controlled', 'variable', 'unchanged'])}", {})))
    d.add("assessment", assess)
    care = [w.text_unit(_CAREPLAN, cs=pick(rng, _CP_S), cg=pick(rng, _CP_G), cn=pick(rng, _CP_N), co=pick(rng, _CP_O))]
    care += [w.text_unit(_CP_MISC) for _ in range(rng.randint(1, 2))]
    care.append(w.ongoing_cc_unit())
    d.add("careplan", care)
    d.add("time", [w.time_unit(minutes, cpm=True, plain=plain)])
    d.footer = w.provider.footer(v.date.strftime("%m/%d/%Y"))
    return Built(d, minutes=minutes)
