"""Note builders: evaluation, E/M follow-up, procedure and chronic-pain-management notes.

Why one class per patient: every note depends on the chart so far (what was said, which
procedures happened, last pain score). ``PatientWriter`` keeps that state and builds each
visit's draft; the seeded problems and clone kinds only switch which sentences are fresh,
carried, edited or absent.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date

from driftcheck.corpus import phrases as ph
from driftcheck.corpus.draft import Draft, Unit, edit_unit
from driftcheck.corpus.memory import Memory
from driftcheck.corpus.phrases import cap, pick
from driftcheck.corpus.profile import Chart, Provider
from driftcheck.corpus.schedule import Visit

REGION_OF = {"esi": "lumbar", "cesi": "cervical", "facet": "lumbar", "cfacet": "cervical", "tpi": "myofascial"}
DX = {
    "esi": [("Lumbar radiculopathy, {side} L5", "M54.16"), ("Lumbar disc displacement at L4-5", "M51.26")],
    "cesi": [("Cervical radiculopathy, {side} C6", "M54.12"), ("Cervical disc disorder with radiculopathy at C5-6", "M50.122")],
    "facet": [("Lumbar spondylosis without myelopathy or radiculopathy", "M47.816")],
    "cfacet": [("Cervical spondylosis without myelopathy or radiculopathy", "M47.812")],
    "tpi": [("Myofascial pain syndrome", "M79.18")],
    "medical_lumbar": [("Low back pain", "M54.50"), ("Other chronic pain", "G89.29")],
    "medical_cervical": [("Cervicalgia", "M54.2"), ("Other chronic pain", "G89.29")],
    "cpm_lumbar": [("Lumbar spondylosis", "M47.816"), ("Other chronic pain", "G89.29")],
    "cpm_cervical": [("Cervical spondylosis", "M47.812"), ("Other chronic pain", "G89.29")],
}
SEPARATE_PROBLEMS = [
    ("{He} also reports right knee pain for several weeks, worse on stairs.", "Right knee: medial joint line tenderness, no effusion.",
     "Primary osteoarthritis of the right knee: start diclofenac gel, knee x-rays ordered, home quadriceps exercises.", "M17.11"),
    ("{He} has had trouble falling asleep because of pain and stress.", "Mood appropriate, affect mildly anxious.",
     "Insomnia: sleep hygiene reviewed, trial of melatonin, recheck next visit.", "G47.00"),
    ("{He} asks about medication side effects, including constipation on the current regimen.",
     "Abdomen soft, non-tender.", "Medication management: PDMP reviewed, bowel regimen started, opioid agreement renewed.",
     "Z79.891"),
    ("{He} reports new lateral left hip pain when lying on that side.", "Tenderness over the left greater trochanter.",
     "Left greater trochanteric bursitis: stretching program, ice, consider bursa injection if persistent.", "M70.62"),
    ("{He} has had tension-type headaches twice a week this month.", "Cranial nerves intact, pericranial tenderness.",
     "Tension-type headache: trigger review, limit analgesic overuse, headache diary.", "G44.209"),
    ("{He} reports burning pain in both feet at night.", "Decreased monofilament sensation in both feet.",
     "Diabetic peripheral neuropathy: increase gabapentin at bedtime, foot care counseling.", "E11.42"),
]
_MUSCLES = {
    "neck": ["upper trapezius", "levator scapulae", "rhomboid major", "splenius capitis", "infraspinatus", "supraspinatus"],
    "back": ["quadratus lumborum", "iliocostalis lumborum", "gluteus medius", "piriformis", "longissimus thoracis",
             "multifidus"],
}
_EXAM = {
    "lumbar": ["Lumbar paraspinal tenderness {sidew}", "Straight leg raise is positive on the {side} at {deg} degrees",
               "Lumbar flexion is limited to about {deg2} degrees with pain", "Extension with rotation reproduces axial pain {sidew}",
               "Strength is 5/5 except {side} ankle dorsiflexion 4+/5", "Sensation is diminished over the {side} L5 dermatome",
               "Patellar reflexes are 2+ and symmetric", "Gait is {gait}", "Tenderness over the lower lumbar facets {sidew}",
               "Sacroiliac provocation tests are negative", "Heel and toe walking are {hw}", "Slump test is {slump} on the {side}",
               "Lumbar extension is limited to {deg3} degrees"],
    "cervical": ["Cervical paraspinal tenderness {sidew}", "Spurling test is positive on the {side}",
                 "Cervical rotation is limited to {deg} degrees toward the {side}", "Grip strength is 5/5 bilaterally",
                 "Biceps reflexes are 2+ and symmetric", "Sensation is decreased in the {side} C6 distribution",
                 "Cervical facet loading reproduces axial neck pain {sidew}", "Upper trapezius tenderness {sidew}",
                 "Cervical extension is limited to {deg3} degrees", "Hoffmann sign is negative bilaterally"],
    "myofascial": ["Taut bands are palpable in the {muscle} with a local twitch response",
                   "Pressure on the {muscle} reproduces referred pain", "Hyperirritable nodules are present in the {muscle}",
                   "Range of motion is limited by muscle guarding", "A jump sign is present over the {muscle}",
                   "Tender trigger points in the {muscle} {sidew}", "Palpation of the {muscle} reproduces {his} usual pain"],
}
_PLAN_MISC = [
    "PDMP reviewed with no concerns", "Urine drug screen is up to date", "Reviewed home exercise technique",
    "Discussed weight loss and a daily walking program", "Return to clinic in {n} weeks", "Follow up in {n} weeks",
    "Reinforced sleep hygiene", "Handout on pacing activities provided", "Ice or heat as needed for flares",
    "Encouraged continued activity as tolerated", "Next visit in about {n} weeks", "Call with any new weakness",
    "Discussed red flag symptoms", "Work note provided", "Reviewed the MRI images with {him}",
    "Continue the current treatment plan and see {him} back in {n} weeks", "Medication reconciliation completed",
]
_STATUS = ["improving", "stable", "worse this month", "unchanged", "better since the last visit", "fluctuating",
           "slowly improving", "flared recently", "partially improved", "about the same", "improved with treatment",
           "controlled on the current regimen", "still symptomatic"]
_FIRST_STATUS = ["new to this clinic", "moderate to severe", "symptomatic", "newly evaluated", "limiting function",
                 "not controlled on current care"]
_CAREPLAN = [
    "Strengths: {cs}. Goals: {cg}. Clinical needs: {cn}. Desired outcome: {co}",
    "Care plan revised today with the patient; strengths include {cs}, goal is {cg}, clinical needs are {cn}, and the desired outcome is {co}",
    "Person-centered care plan maintained: {cs} (strength), {cg} (goal), {cn} (need), {co} (desired outcome)",
    "We updated the care plan: building on {cs}, working toward {cg}, addressing {cn}, aiming for {co}",
]
_CP_S = ["strong family support", "motivation to stay active", "good medication adherence", "prior success with PT",
         "steady employment", "an established walking habit", "good health literacy"]
_CP_G = ["walking 30 minutes daily", "returning to gardening", "sleeping six hours a night", "reducing pain to a tolerable level",
         "working full shifts", "traveling to see grandchildren", "lifting a grandchild safely"]
_CP_N = ["core strengthening", "sleep support", "mood support", "weight management", "fall prevention", "pacing skills"]
_CP_O = ["better daily function", "fewer flares", "less reliance on opioids", "independence at home", "staying at work"]
_CP_MISC = ["Coordinated with physical therapy regarding progression of the exercise program",
            "Referred to behavioral health for pain coping skills", "Pain and health literacy counseling provided",
            "Medication management: reviewed benefits and side effects, PDMP checked",
            "Discussed a flare plan for pain crises", "Communicated with the primary care physician about the regimen",
            "Reviewed the pain diary with {him}", "Encouraged continued participation in the aquatic exercise class"]


@dataclass(slots=True)
class Built:
    """A finished draft plus what the claim builder needs to bill it."""

    draft: Draft
    em_code: str | None = None
    minutes: int | None = None
    separate_dx: str | None = None
    levels: int = 1
    muscles: int = 0
    approach: str = ""


def em_level(minutes: int) -> str:
    """Highest established-patient office E/M level the documented minutes support (2024: 20/30/40)."""
    return "99215" if minutes >= 40 else "99214" if minutes >= 30 else "99213"


class _LazySlots(dict[str, object]):
    """Template slots drawn on first use, so unused fillers cost no random draws."""

    def __init__(self, w: PatientWriter, fixed: dict[str, object]) -> None:
        super().__init__(w.p)
        self.update(fixed)
        self.w = w

    def __missing__(self, key: str) -> object:
        rng, w = self.w.rng, self.w
        makers = {
            "side": w._one_side, "sidew": w._sidew,
            "deg": lambda: rng.choice(range(30, 75, 5)), "deg2": lambda: rng.choice(range(30, 80, 5)),
            "deg3": lambda: rng.choice(range(5, 25, 5)),
            "gait": lambda: pick(rng, ["antalgic", "slow but steady", "normal", "mildly antalgic", "guarded"]),
            "hw": lambda: pick(rng, ["intact", "performed with difficulty", "normal"]),
            "slump": lambda: pick(rng, ["positive", "equivocal", "negative"]),
            "muscle": lambda: pick(rng, _MUSCLES[w.area]), "n": lambda: rng.choice([2, 3, 4, 4, 6, 8]),
            "act": lambda: pick(rng, ph.ACTIVITIES), "adl": lambda: pick(rng, ph.ADLS),
            "posture": lambda: pick(rng, ph.POSTURES), "when": lambda: pick(rng, ph.WHEN), "kin": lambda: pick(rng, ph.KIN),
        }
        value = makers[key]()
        self[key] = value
        return value


class PatientWriter:
    """Builds every note of one patient in date order, remembering what the chart already says."""

    def __init__(self, rng: random.Random, pid: str, track: str, provider: Provider, chart: Chart, p: dict[str, str],
                 age: int, sex: str, onset: date) -> None:
        self.rng, self.pid, self.track, self.provider, self.chart, self.p = rng, pid, track, provider, chart, p
        self.age, self.sex, self.onset = age, sex, onset
        self.region = REGION_OF.get(track) or rng.choice(["lumbar", "cervical"])
        self.mem = Memory()
        for unit in chart.pmh + chart.psh + chart.meds + chart.allergies + chart.social + chart.ros + [chart.general]:
            self.mem.remember(unit)
        self.side = "left"
        self.pain = rng.randint(6, 9)
        self.last_em: Draft | None = None
        self.responses: list[tuple[str, Unit, str]] = []  # (family, unit, note_id)
        self.cc_units: list[tuple[Unit, str]] = []
        self.levels = rng.choice([1, 2, 2])
        self.approach = rng.choice(["il", "tf", "tf"]) if track == "esi" else "il"
        self.area = rng.choice(["neck", "back"])
        self.procs: dict[str, list[Visit]] = {}
        self.relief: dict[int, int] = {}  # id(visit) -> relief pct achieved
        self.chart_origin = ""  # note id of the first visit, where the chart text was written
        self.chart_cc: list[Unit] = []
        self.current_nid = ""
        self.last_em_code = "99213"

    # ------------------------------------------------------------------ small helpers

    def dx_key(self) -> str:
        """Key into DX for this patient."""
        if self.track in ("medical", "cpm"):
            return f"{self.track}_{self.region}"
        return self.track

    def diagnoses(self) -> list[str]:
        """ICD-10 codes for the patient's main condition."""
        return [code for _, code in DX[self.dx_key()]]

    def _sidew(self) -> str:
        return {"left": "on the left", "right": "on the right", "bilateral": "bilaterally"}[self.side]

    def _one_side(self) -> str:
        return self.side if self.side != "bilateral" else self.rng.choice(["left", "right"])

    def _next_pain(self, target: int | None = None) -> int:
        new = target if target is not None else self.pain + self.rng.choice([-2, -1, -1, 1, 1, 2])
        new = max(1, min(10, new))
        if new == self.pain:
            new = self.pain - 1 if self.pain > 2 else self.pain + 1
        direction = "improved" if new < self.pain else "worsened"
        self.pain = new
        return direction

    def pain_unit(self) -> Unit:
        """A fresh PAIN_SCORE statement at the current pain level."""
        return self.mem.fresh("PAIN_SCORE", lambda: ph.pain_score(self.rng, self.p, self.pain, self.region))

    def function_unit(self, direction: str) -> Unit:
        """A fresh FUNCTION statement."""
        return self.mem.fresh("FUNCTION", lambda: ph.function(self.rng, self.p, direction))

    def cc_unit(self, mods: list[str], weeks: int | None, outcome: str) -> Unit:
        """A fresh CONSERVATIVE_CARE statement."""
        return self.mem.fresh("CONSERVATIVE_CARE",
                              lambda: ph.conservative_care(self.rng, self.p, mods, weeks, outcome, self.region))

    def failed_cc_unit(self) -> Unit:
        """Fresh failed conservative care ≥ 6 weeks, naming modality and outcome (payer-grade)."""
        mods = self.rng.sample(ph.PROCEDURE_MODALITIES, self.rng.choice([1, 1, 2]))
        return self.cc_unit(mods, self.rng.randint(6, 16), "failed")

    def ongoing_cc_unit(self) -> Unit:
        """'Continue X' style CONSERVATIVE_CARE (outcome unknown/helped, no duration)."""
        keys = [k for k in self.chart.med_keys if k in ph.MODALITIES] + ["home_exercise"]
        key = self.rng.choice(keys)
        outcome = "helped" if self.rng.random() < 0.2 else "unknown"
        name = self.chart.med_names.get(key)
        if name is None:
            return self.cc_unit([key], None, outcome)

        def make() -> tuple[str, dict[str, object]]:
            tpl = pick(self.rng, ph.CC_HELPED if outcome == "helped" else ph.CC_ONGOING)
            return cap(tpl.format(m=name, M=cap(name), **self.p)), {"modality": key, "duration_weeks": None, "outcome": outcome}

        return self.mem.fresh("CONSERVATIVE_CARE", make)

    def necessity_unit(self, family: str, repeat: bool = False) -> Unit:
        """Fresh NECESSITY statement for a procedure family (esi/cesi/facet/rfa/tpi)."""
        return self.mem.fresh("NECESSITY", lambda: ph.necessity(self.rng, self.p, family, self._one_side(), repeat))

    def text_unit(self, make: list[str], **slots: object) -> Unit:
        """A fresh non-statement sentence from a template list (slots drawn only when used)."""
        rng = self.rng

        def build() -> tuple[str, dict[str, object]]:
            tpl = pick(rng, make)
            return cap(tpl.format_map(_LazySlots(self, slots))), {}

        return self.mem.fresh(None, build)

    def exam_units(self) -> list[Unit]:
        """General line (carried chart text) plus fresh region findings."""
        fresh = [self.text_unit(_EXAM[self.region]) for _ in range(self.rng.randint(2, 4))]
        return [self.chart.general.carry(self.chart_origin)] + fresh

    def status_units(self, first: bool = False) -> list[Unit]:
        """Assessment lines: each diagnosis with a fresh status phrase."""
        out = []
        bank = _FIRST_STATUS if first else _STATUS
        for text, code in DX[self.dx_key()]:
            label = text.format(side=self._one_side())
            out.append(self.mem.fresh(None, lambda label=label, code=code: (
                f"{label} ({code}), {pick(self.rng, bank)}", {})))
        return out

    def misc_plan(self, k: int) -> list[Unit]:
        """A few fresh, non-statement plan items."""
        return [self.text_unit(_PLAN_MISC) for _ in range(k)]

    def carried(self, units: list[Unit]) -> list[Unit]:
        """Chart units carried into a new note (provenance = note that first wrote them)."""
        return [u.carry(self.chart_origin) for u in units]

    def chart_sections(self, d: Draft, full: bool = True) -> None:
        """Append the carried chart sections (ROS, PMH, PSH, meds, allergies, social)."""
        if full:
            d.add("ros", self.carried(self.chart.ros))
            d.add("pmh", self.carried(self.chart.pmh))
            d.add("psh", self.carried(self.chart.psh))
        d.add("meds", self.carried(self.chart.meds))
        d.add("allergies", self.carried(self.chart.allergies))
        if full:
            d.add("social", self.carried(self.chart.social))

    def vitals(self) -> list[Unit]:
        """Fresh vitals line (nursing-entered, so it changes even on cloned notes)."""
        rng = self.rng
        if self.provider.style not in ("templated", "narrative"):
            return []
        return [Unit(f"BP {rng.randint(112, 158)}/{rng.randint(64, 94)}, HR {rng.randint(58, 96)}, RR {rng.randint(12, 18)}, "
                     f"SpO2 {rng.randint(94, 99)}%, weight {rng.randint(120, 260)} lb.")]

    def time_unit(self, minutes: int, cpm: bool = False, plain: bool = False) -> Unit:
        """A fresh TIME_SPENT statement."""
        return self.mem.fresh("TIME_SPENT", lambda: ph.time_spent(self.rng, minutes, cpm, plain))

    def negated_unit(self, exclude: set[str]) -> Unit | None:
        """Occasionally a negated mention (not a span): tests that extractors handle negation."""
        opts = [(lab, mod, t) for lab, mod, t in ph.NEGATED if mod not in exclude]
        if not opts or self.rng.random() > 0.2:
            return None
        lab, _, text = self.rng.choice(opts)
        text = text.format(**self.p)
        if text in self.mem.seen:
            return None
        unit = Unit(text, negated=lab)
        self.mem.remember(unit)
        return unit

    def section_split(self, d: Draft, hpi: list[Unit], pain: list[Unit]) -> None:
        """Templated/narrative providers keep a separate pain/function section; others inline it."""
        if self.provider.style == "templated" or (self.provider.style == "narrative" and len(pain) > 1):
            d.add("hpi", hpi)
            d.add("pain", pain)
        else:
            d.add("hpi", hpi + pain)

    def ap(self, d: Draft, assessment: list[Unit], plan: list[Unit]) -> None:
        """Terse and dictated providers write one A/P block; the others two sections."""
        if self.provider.style in ("terse", "dictated"):
            d.add("ap", assessment + plan)
        else:
            d.add("assessment", assessment)
            d.add("plan", plan)

    def em_minutes(self, level: str) -> int:
        """Documented minutes consistent with the level (2024 E/M: 20/30/40)."""
        lo = {"99213": 20, "99214": 30, "99215": 40}[level]
        return self.rng.randint(lo, lo + (9 if level != "99215" else 14))

    # ------------------------------------------------------------------ evaluation

    def evaluation(self, v: Visit, nid: str, next_family: str | None) -> Built:
        """First visit: full history with onset, failed conservative care, exam, imaging, plan."""
        rng, p = self.rng, self.p
        self.chart_origin = nid
        d = Draft(nid)
        months = max(1, (v.date - self.onset).days // 30)
        site = pick(rng, ph.PAIN_SITES[self.region])
        cc = {"lumbar": "Low back pain radiating to the {side} leg", "cervical": "Neck pain radiating to the {side} arm",
              "myofascial": "Muscle pain in the {area}"}[self.region].format(side=self._one_side(), area=self.area)
        if self.track in ("facet", "cfacet", "medical", "cpm"):
            cc = {"lumbar": "Axial low back pain", "cervical": "Axial neck pain"}.get(self.region, cc)
        self.chart_cc = [Unit(cc + ".")]
        self.mem.remember(self.chart_cc[0])
        d.add("cc", self.chart_cc)
        intro = Unit(f"{self.age}-year-old {'woman' if self.sex == 'F' else 'man'} referred by "
                     f"{pick(rng, ['primary care', 'orthopedics', 'neurosurgery', 'urgent care'])} for evaluation of {site} pain.")
        hpi = [intro]
        if v.problem is None or v.problem[0] != "DC305":
            hpi.append(self.mem.fresh(None, lambda: (ph.chronicity(rng, p, months, self.region), {})))
        desc = {"esi": "The pain radiates down the {side} leg in an L5 pattern with numbness on the top of the foot.",
                "cesi": "The pain radiates into the {side} arm and thumb with intermittent tingling.",
                "facet": "The pain is predominantly axial, across the low back, worse with extension and standing, "
                         "without radiation below the knee.",
                "cfacet": "The pain is predominantly axial in the neck, worse with looking up and turning, without arm symptoms.",
                "tpi": "The pain is focal in the muscles of the {area} with tight knots and spreads toward the shoulder blade.",
                }.get(self.track, "The pain is aching and worse at the end of the day.")
        hpi.append(Unit(desc.format(side=self._one_side(), area=self.area)))
        cc_unit = self.failed_cc_unit()
        self.cc_units.append((cc_unit, nid))
        hpi.append(cc_unit)
        if rng.random() < 0.5:
            hpi.append(self.cc_unit(rng.sample(["topical", "ice_heat", "tens", "acetaminophen"], 1), rng.randint(3, 10), "partial"))
        neg = self.negated_unit({"acupuncture", "tens", "massage"} & set(self.chart.med_keys))
        if neg:
            hpi.append(neg)
        pain = [self.pain_unit(), self.function_unit("none")]
        if rng.random() < 0.6:
            pain.append(self.function_unit("none"))
        self.section_split(d, hpi, pain)
        self.chart_sections(d)
        d.add("vitals", self.vitals())
        d.add("exam", self.exam_units())
        if self.track in ("esi", "cesi", "facet", "cfacet"):
            lvl = "L4-5" if self.region == "lumbar" else "C5-6"
            finding = {"esi": f"a {self._one_side()} paracentral disc protrusion at {lvl} contacting the traversing nerve root",
                       "cesi": f"{self._one_side()} foraminal stenosis at {lvl} from an uncovertebral osteophyte",
                       "facet": "multilevel facet arthropathy at L3-4 through L5-S1 without significant stenosis",
                       "cfacet": "facet arthropathy at C4-5 through C6-7 without cord compression"}[self.track]
            self.chart.imaging = [Unit(f"MRI of the {self.region} spine from {rng.randint(1, 11)}/{rng.randint(1, 28)}/"
                                       f"{v.date.year - rng.randint(0, 1)} shows {finding}.")]
            for u in self.chart.imaging:
                self.mem.remember(u)
            d.add("results", self.carried(self.chart.imaging))
        plan = []
        if next_family:
            plan.append(self.necessity_unit(next_family))
        plan.append(self.ongoing_cc_unit())
        plan += self.misc_plan(rng.randint(1, 2))
        self.ap(d, self.status_units(first=True), plan)
        return self._em_tail(v, d, rng.choice(["99214", "99214", "99215"]))

    def _em_tail(self, v: Visit, d: Draft, level: str) -> Built:
        """Time statement and E/M level (seeded DC320 bills one level above the minutes)."""
        minutes = None
        if self.provider.timed or (v.problem and v.problem[0] == "DC320"):
            minutes = self.em_minutes(level)
            if v.problem and v.problem[0] == "DC320":
                level = {"99213": "99214", "99214": "99215", "99215": "99215"}[level]
                if level == "99215" and minutes >= 40:
                    minutes = self.rng.randint(30, 39)
            d.add("time", [self.time_unit(minutes)])
        return Built(d, em_code=level, minutes=minutes)

    # ------------------------------------------------------------------ follow-up E/M

    def followup(self, v: Visit, nid: str, next_family: str | None, kind: str, xsrc: tuple[str, list[Unit]] | None) -> Built:
        """E/M follow-up; ``kind`` decides what is fresh, carried, edited or cross-patient."""
        rng, src = self.rng, self.last_em
        if kind in ("verbatim_clone", "edited_clone") and src is not None:
            return self._clone(v, nid, src, kind == "edited_clone")
        d = Draft(nid)
        d.add("cc", self.carried(self.chart_cc))
        cross = kind == "cross_patient" and xsrc is not None
        if cross:
            # The narrative HPI paragraph is another patient's (same provider), verbatim; everything
            # else is this patient's own genuine follow-up, written fresh in a separate section.
            assert xsrc is not None
            narrative = [replace(u, origin=None, edited=False, cross=xsrc[0]) for u in xsrc[1]]
            for u in narrative:
                self.mem.remember(u)
            hpi: list[Unit] = [self.text_unit(ph.INTERVAL_EVENTS)]
        else:
            hpi = [self.text_unit(["{He} returns for follow-up of {his} pain", "Follow-up visit for ongoing {site} pain",
                                   "{He} is seen today in follow-up", "Here for a scheduled recheck",
                                   "{He} comes in for reassessment of {site} symptoms", "Return visit"],
                                  site=pick(rng, ph.PAIN_SITES[self.region]))]
            hpi += [self.text_unit(ph.INTERVAL_EVENTS) for _ in range(rng.randint(1, 2))]
        target = None
        if v.after is not None:
            hpi.append(self._after_response(v))
            target = max(1, round(self.pain * (1 - self.relief.get(id(v.after), 30) / 100)))
        elif kind == "necessity_carried" and self.responses:
            hpi.append(self.responses[-1][1].carry(self.responses[-1][2]))
        direction = self._next_pain(target)
        if rng.random() < 0.25:
            direction = "unchanged"
        pain = [self.pain_unit(), self.function_unit(direction)]
        if rng.random() < 0.5:
            hpi.append(self.ongoing_cc_unit())
        if cross:
            d.add("hpi", narrative)
            d.add("pain", hpi + pain)
        else:
            self.section_split(d, hpi, pain)
        self.chart_sections(d)
        d.add("vitals", self.vitals())
        if self.chart.imaging:
            d.add("results", self.carried(self.chart.imaging))
        if kind == "static_section" and src is not None:
            for key in ("exam", "assessment", "plan", "ap"):
                units = src.section(key)
                if units:
                    d.add(key, [u.carry(src.note_id) for u in units])
        else:
            d.add("exam", self.exam_units())
            plan = []
            if next_family:
                plan.append(self.necessity_unit(next_family))
            if rng.random() < 0.7:
                plan.append(self.ongoing_cc_unit())
            plan += self.misc_plan(rng.randint(1, 3))
            self.ap(d, self.status_units(), plan)
        level = rng.choice(["99213", "99213", "99214", "99214", "99215"]) if v.after is None else rng.choice(["99213", "99214"])
        return self._em_tail(v, d, level)

    def _after_response(self, v: Visit) -> Unit:
        """Fresh response to the procedure this visit follows up (weeks, or hours for blocks)."""
        pv = v.after
        assert pv is not None
        pct = self.relief.setdefault(id(pv), self._relief_for(pv))
        dstr = pv.date.strftime("%m/%d")
        weeks = max(1, (v.date - pv.date).days // 7)
        proc = _PROC_SHORT[pv.family or "esi"]
        hours = self.rng.randint(4, 8) if pv.family == "mbb" else None
        unit = self.mem.fresh("PROCEDURE_RESPONSE", lambda: ph.response(
            self.rng, self.p, pct, pick(self.rng, proc), dstr, None if hours else weeks, hours, self.region))
        self.responses.append((pv.family or "", unit, self.current_nid))
        return unit

    def _relief_for(self, pv: Visit) -> int:
        if pv.family == "mbb":
            return 35 if pv.extra.get("failed") else self.rng.choice(range(80, 100, 5))
        if pv.family == "rfa":
            return self.rng.choice(range(60, 95, 5))
        return self.rng.choice(range(55, 95, 5))

    def _clone(self, v: Visit, nid: str, src: Draft, edited: bool) -> Built:
        """Copy the last E/M note's clinical sections; edited clones reword and reorder a little."""
        rng = self.rng
        d = Draft(nid)
        for key, units in src.sections:
            if key == "vitals":
                d.add(key, self.vitals())
                continue
            new = [u.carry(src.note_id) for u in units]
            if edited:
                new = [edit_unit(rng, u) if rng.random() < 0.6 else u for u in new]
                if key in ("hpi", "plan", "ap", "exam") and len(new) > 2:
                    head, tail = new[:1], new[1:]
                    rng.shuffle(tail)
                    new = head + tail
            for u in new:
                self.mem.remember(u)
            d.add(key, new)
        time_units = src.section("time")
        minutes = time_units[0].attrs["minutes"] if time_units and time_units[0].attrs else None
        # The clone bills the level its (copied) time statement supports: a source seeded with DC320
        # bills one level above its minutes, and repeating that claim would be an unrecorded problem.
        level = em_level(minutes) if minutes is not None else self.last_em_code
        return Built(d, em_code=level, minutes=minutes)


_PROC_SHORT = {
    "esi": ["epidural steroid injection", "ESI", "epidural injection", "lumbar epidural"],
    "cesi": ["cervical epidural steroid injection", "cervical ESI", "cervical epidural"],
    "mbb": ["medial branch block", "diagnostic medial branch block", "MBB"],
    "rfa": ["radiofrequency ablation", "RFA", "RF neurotomy"],
    "tpi": ["trigger point injections", "TPI session", "trigger point injection"],
}
