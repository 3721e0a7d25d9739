"""Visit timelines per care track, and where each seeded billing problem lands.

Why separate from note text: payer rules are about *when* things happen (≥ 14 days between
diagnostic blocks, ≤ 4 ESI sessions per rolling 12 months, one CPM visit per calendar month).
Planning the dates first, with those constraints enforced, keeps every unseeded claim line
clean; a seeded problem is then a deliberate, recorded departure at one visit.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

#: Care tracks and their weights in a corpus.
TRACKS = {"esi": 25, "cesi": 10, "facet": 17, "cfacet": 8, "tpi": 15, "cpm": 15, "medical": 10}

#: Seeded DC3xx codes each track can host (DC301 orphan lines fit every track).
TRACK_CODES: dict[str, tuple[str, ...]] = {
    "esi": ("DC301", "DC306", "DC307", "DC308", "DC309", "DC310", "DC314", "DC318", "DC319", "DC320"),
    "cesi": ("DC301", "DC306", "DC307", "DC309", "DC310", "DC318", "DC319", "DC320"),
    "facet": ("DC301", "DC306", "DC311", "DC312", "DC313", "DC314", "DC318", "DC319", "DC320", "DC321"),
    "cfacet": ("DC301", "DC306", "DC311", "DC312", "DC314", "DC318", "DC319", "DC320", "DC321"),
    "tpi": ("DC301", "DC315", "DC316", "DC317", "DC318", "DC319", "DC320"),
    "cpm": ("DC301", "DC302", "DC303", "DC304", "DC305"),
    "medical": ("DC301", "DC320"),
}
ALL_CODES = tuple(f"DC3{i:02d}" for i in range(1, 22))
#: Problems that need a long timeline (several sessions inside 12 months).
LONG = {"DC308", "DC313", "DC317"}

PROC_FAMILIES = {"esi", "cesi", "mbb", "rfa", "tpi"}


@dataclass(slots=True)
class Visit:
    """One planned encounter.

    Attributes:
        vtype: ``eval`` (first visit), ``fu`` (E/M follow-up), ``proc`` or ``cpm`` (G3002 month).
        family: Procedure family for ``proc`` visits: esi, cesi, mbb, rfa, tpi.
        seq: 1-based session number within the family.
        side: ``left``/``right``/``bilateral`` for the procedure.
        em: An E/M is billed for this visit (always for eval/fu; same-day E/M on proc days).
        after: The procedure this follow-up reports on, when it is the first visit after it.
        problem: Seeded DC3xx code at this visit and its variant.
    """

    date: date
    vtype: str
    family: str | None = None
    seq: int = 0
    side: str = "bilateral"
    em: bool = False
    after: Visit | None = None
    problem: tuple[str, str] | None = None
    first_cpm: bool = False
    kind: str = ""
    extra: dict[str, object] = field(default_factory=dict)


def _count_within(dates: list[date], day: date, days: int = 365) -> int:
    """Sessions in the rolling window ending on ``day`` (inclusive), ``day`` itself excluded."""
    lo = day - timedelta(days=days - 1)
    return sum(1 for d in dates if lo <= d < day)


def plan_track(rng: random.Random, track: str, start: date, n: int, wants: set[str]) -> list[Visit]:
    """Dates and visit types for one patient, honouring payer timing rules unless seeded.

    ``wants`` names the seeded problems that need the timeline shaped (5 ESIs in a year, a 3rd
    RFA, a 4th TPI session); everything else is placed on an existing visit later.
    """
    visits = [Visit(start, "eval", em=True)]
    day = start
    if track == "cpm":
        return _plan_cpm(rng, visits, n, wants)
    if track == "medical":
        while len(visits) < n:
            day += timedelta(days=rng.randint(28, 49))
            visits.append(Visit(day, "fu", em=True))
        return visits
    family = {"esi": "esi", "cesi": "cesi", "tpi": "tpi", "facet": "mbb", "cfacet": "mbb"}[track]
    if family == "mbb":
        return _plan_facet(rng, visits, n, wants)
    dense = ("DC308" if family != "tpi" else "DC317") in wants
    cap = 4 if family != "tpi" else 3
    gap_min = 91 if family != "tpi" else 70
    sessions: list[date] = []
    due = day + timedelta(days=rng.randint(14, 35))
    side = rng.choice(["left", "right", "left", "right", "bilateral"]) if family == "esi" else rng.choice(["left", "right"])
    repeat_p = 1.0 if dense or "DC309" in wants else 0.7
    while len(visits) < n:
        nxt = day + timedelta(days=rng.randint(35, 40) if dense else rng.randint(28, 42))
        if nxt >= due - timedelta(days=7):
            pday = max(due, day + timedelta(days=7))
            allowed = dense or _count_within(sessions, pday) < cap
            if allowed and (not sessions or rng.random() < repeat_p):
                sessions.append(pday)
                pv = Visit(pday, "proc", family, len(sessions), side)
                visits.append(pv)
                day = pday + timedelta(days=14)
                visits.append(Visit(day, "fu", em=True, after=pv))
                step = gap_min if dense else rng.randint(gap_min, gap_min + 60)
                due = pday + timedelta(days=step)
                if dense and len(sessions) > cap:
                    due = date(9000, 1, 1)
                continue
            if allowed:
                due += timedelta(days=rng.randint(30, 60))
            else:
                due = sorted(sessions)[-cap] + timedelta(days=366)
        day = nxt
        visits.append(Visit(day, "fu", em=True))
    return visits[:n]


def _plan_facet(rng: random.Random, visits: list[Visit], n: int, wants: set[str]) -> list[Visit]:
    """Diagnostic MBB #1 → #2 (≥ 14 days) → RFA (one bilateral or two staged sides) → follow-ups."""
    day = visits[0].date
    side = rng.choice(["bilateral", "bilateral", "left", "right"])
    fails = "DC312" not in wants and "DC313" not in wants and rng.random() < 0.12
    mbb1 = Visit(day + timedelta(days=rng.randint(14, 35)), "proc", "mbb", 1, side)
    visits.append(mbb1)
    day = mbb1.date + timedelta(days=rng.randint(7, 11))
    visits.append(Visit(day, "fu", em=True, after=mbb1))
    if fails:
        mbb1.extra["failed"] = True
    else:
        mbb2 = Visit(mbb1.date + timedelta(days=rng.randint(15, 28)), "proc", "mbb", 2, side)
        visits.append(mbb2)
        day = mbb2.date + timedelta(days=rng.randint(7, 11))
        visits.append(Visit(day, "fu", em=True, after=mbb2))
        rday = day + timedelta(days=rng.randint(14, 35))
        staged = side == "bilateral" and (rng.random() < 0.4 or "DC313" in wants)
        sides = ["left", "right"] if staged else [side]
        first_rfa: Visit | None = None
        for k, s in enumerate(sides):
            rv = Visit(rday, "proc", "rfa", k + 1, s)
            first_rfa = first_rfa or rv
            visits.append(rv)
            rday += timedelta(days=rng.randint(14, 21))
        day = visits[-1].date + timedelta(days=rng.randint(14, 21))
        visits.append(Visit(day, "fu", em=True, after=visits[-1]))
        if "DC313" in wants and first_rfa is not None:
            target = first_rfa.date + timedelta(days=rng.randint(190, 240))
            while day + timedelta(days=42) < target:
                day += timedelta(days=rng.randint(28, 42))
                visits.append(Visit(day, "fu", em=True))
            rv = Visit(target, "proc", "rfa", len(sides) + 1, "left")
            visits.append(rv)
            day = target + timedelta(days=14)
            visits.append(Visit(day, "fu", em=True, after=rv))
    while len(visits) < n:
        day += timedelta(days=rng.randint(28, 49))
        visits.append(Visit(day, "fu", em=True))
    return visits[:n]


def _plan_cpm(rng: random.Random, visits: list[Visit], n: int, wants: set[str]) -> list[Visit]:
    """One CPM visit per calendar month after the evaluation; TPI sessions on other days."""
    start = visits[0].date
    year, month = start.year, start.month
    tpi_dates: list[date] = []
    with_tpi = rng.random() < 0.35
    first = True
    while len(visits) < n:
        month += 1
        if month > 12:
            year, month = year + 1, 1
        cday = date(year, month, rng.randint(8, 26))
        if with_tpi and rng.random() < 0.3 and _count_within(tpi_dates, cday - timedelta(days=5)) < 3 and (
            not tpi_dates or (cday - tpi_dates[-1]).days > 75
        ):
            tday = cday - timedelta(days=rng.randint(3, 6))
            tpi_dates.append(tday)
            visits.append(Visit(tday, "proc", "tpi", len(tpi_dates), rng.choice(["left", "right", "bilateral"])))
        visits.append(Visit(cday, "cpm", first_cpm=first))
        first = False
    return visits[:n]


# --------------------------------------------------------------------------- problem placement


def _eligible(code: str, v: Visit, visits: list[Visit], track: str) -> bool:
    """Whether seeding ``code`` at visit ``v`` makes exactly that one line a problem."""
    f, seq = v.family, v.seq
    if v.problem is not None:
        return False
    if code == "DC306":
        return f in ("esi", "cesi", "mbb", "rfa")
    if code == "DC307":
        return f in ("esi", "cesi") and seq == 1
    if code == "DC308":
        return f == "esi" and seq == 5
    if code == "DC309":
        return f in ("esi", "cesi") and 2 <= seq <= 4
    if code == "DC310":
        return f in ("esi", "cesi") and seq <= 4
    if code == "DC311":
        return f == "mbb" and seq == 1
    if code == "DC312":
        return (f == "mbb" and seq == 2) or (f == "rfa" and seq == 1)
    if code == "DC313":
        return f == "rfa" and seq == 3
    if code == "DC314":
        return (f == "esi" and seq == 1 and track == "esi") or (f == "mbb" and seq == 1)
    if code == "DC321":
        return f in ("mbb", "rfa") and v.side == "bilateral" and seq <= 2
    if code in ("DC315", "DC316"):
        return f == "tpi" and seq <= 3
    if code == "DC317":
        return f == "tpi" and seq == 4
    if code in ("DC318", "DC319"):
        return v.vtype == "proc" and f in PROC_FAMILIES and track != "cpm" and seq <= (3 if f == "tpi" else 4)
    if code == "DC320":
        return v.vtype in ("eval", "fu")
    if code == "DC305":
        return v.vtype == "cpm" and v.first_cpm
    if code in ("DC302", "DC303", "DC304"):
        return v.vtype == "cpm" and not v.first_cpm
    return False


_VARIANTS = {
    "DC307": ("missing", "stale"), "DC309": ("missing", "stale", "low"), "DC311": ("missing_cc", "missing_duration", "stale_cc"),
    "DC312": ("missing", "stale", "low"), "DC315": ("under", "over"), "DC321": ("no50",),
}


def place_problems(rng: random.Random, visits: list[Visit], track: str, codes: list[str]) -> list[str]:
    """Attach each wanted code to one eligible visit; return the codes that found no visit."""
    missed = []
    for code in codes:
        if code == "DC301":
            continue
        cands = [v for v in visits if _eligible(code, v, visits, track)]
        if not cands:
            missed.append(code)
            continue
        v = rng.choice(cands)
        v.problem = (code, rng.choice(_VARIANTS.get(code, ("default",))))
        if code == "DC310" and v.family == "esi":
            v.extra["approach"] = "il"
        if code == "DC314":
            v.extra["levels"] = 2
            if v.family == "esi":
                v.extra["approach"] = "tf"
        if code in ("DC318", "DC319"):
            v.em = True
        if code == "DC315":
            v.extra["muscles"] = rng.choice([3, 4]) if v.problem[1] == "under" else rng.choice([1, 2])
        if code == "DC316":
            v.extra["muscles"] = rng.choice([3, 4, 5])
    return missed
