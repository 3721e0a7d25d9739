"""Patients, providers and the stable parts of a chart (PMH, medications, social history, ROS).

Why: legitimate carry-forward is the background every real follow-up has, and a provider's
habits (terse, narrative, templated EHR with clinic boilerplate, dictated) decide how a note
looks. Both are fixed per patient/provider here so the note builders only decide what changes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from driftcheck.corpus.draft import Style, Unit
from driftcheck.corpus.phrases import cap, pick

_TERSE = {
    "cc": "CC", "hpi": "HPI", "pain": "Pain", "ros": "ROS", "pmh": "PMH", "psh": "PSH", "meds": "Meds",
    "allergies": "Allergies", "social": "SH", "vitals": "Vitals", "exam": "PE", "results": "Imaging",
    "assessment": "Assessment", "plan": "Plan", "ap": "A/P", "time": "Time", "indication": "Indication",
    "procedure": "Procedure", "technique": "Technique", "prediag": "Pre-procedure diagnosis", "careplan": "Plan of care",
}
_NARR = {
    "cc": "CHIEF COMPLAINT", "hpi": "HISTORY OF PRESENT ILLNESS", "pain": "FUNCTIONAL STATUS", "ros": "REVIEW OF SYSTEMS",
    "pmh": "PAST MEDICAL HISTORY", "psh": "PAST SURGICAL HISTORY", "meds": "MEDICATIONS", "allergies": "ALLERGIES",
    "social": "SOCIAL HISTORY", "vitals": "VITAL SIGNS", "exam": "PHYSICAL EXAMINATION", "results": "IMAGING",
    "assessment": "ASSESSMENT", "plan": "PLAN", "ap": "ASSESSMENT AND PLAN", "time": "TIME", "indication": "INDICATIONS",
    "procedure": "PROCEDURE PERFORMED", "technique": "DESCRIPTION OF PROCEDURE", "prediag": "PREOPERATIVE DIAGNOSIS",
    "careplan": "TREATMENT PLAN",
}
_TEMPL = {
    "cc": "Reason for Visit", "hpi": "Interval History", "pain": "Pain Assessment", "ros": "Review of Systems",
    "pmh": "Past Medical History", "psh": "Past Surgical History", "meds": "Current Medications", "allergies": "Allergies",
    "social": "Social History", "vitals": "Vital Signs", "exam": "Physical Exam", "results": "Diagnostic Studies",
    "assessment": "Assessment", "plan": "Plan", "ap": "Assessment and Plan", "time": "Time Statement",
    "indication": "Indication for Procedure", "procedure": "Procedure", "technique": "Procedure Description",
    "prediag": "Pre-procedure Diagnosis", "careplan": "Plan of Care",
}
_DICT = {
    "cc": "CHIEF COMPLAINT", "hpi": "HISTORY", "pain": "FUNCTION", "ros": "REVIEW OF SYSTEMS", "pmh": "PAST MEDICAL HISTORY",
    "psh": "PAST SURGICAL HISTORY", "meds": "MEDICATIONS", "allergies": "ALLERGIES", "social": "SOCIAL HISTORY",
    "vitals": "VITALS", "exam": "PHYSICAL EXAMINATION", "results": "STUDIES", "assessment": "IMPRESSION", "plan": "PLAN",
    "ap": "IMPRESSION AND PLAN", "time": "TIME SPENT", "indication": "INDICATION", "procedure": "PROCEDURE",
    "technique": "TECHNIQUE", "prediag": "PRE-PROCEDURE DIAGNOSIS", "careplan": "PLAN OF CARE",
}
STYLES = {
    "terse": Style("terse", _TERSE, inline=True, gap=""),
    "narrative": Style("narrative", _NARR, inline=False, gap="\n"),
    "templated": Style("templated", _TEMPL, inline=False, gap="\n",
                       bullets=frozenset({"meds", "assessment", "plan", "careplan", "pmh", "psh"})),
    "dictated": Style("dictated", _DICT, inline=True, gap="\n"),
}

_CLINICS = [
    ("Riverside Spine & Pain Associates", "1200 Medical Parkway, Suite 300", "(555) 010-4400"),
    ("Lakeview Interventional Pain Center", "88 Harbor Road, Building B", "(555) 010-7731"),
]


@dataclass(frozen=True, slots=True)
class Provider:
    """A clinician with documentation habits; ``timed`` providers state E/M time."""

    provider_id: str
    style: str
    timed: bool
    name: str
    clinic: int | None = None

    def header(self, visit_label: str, dos: str) -> list[Unit]:
        """Boilerplate lines at the top of every note (clinic template or a bare date line)."""
        if self.clinic is not None:
            name, addr, phone = _CLINICS[self.clinic]
            return [Unit(name, boiler=True), Unit(f"{addr} | Phone {phone}", boiler=True),
                    Unit(f"{visit_label} | Date of service {dos} | Rendering provider {self.name}", boiler=True)]
        if self.style == "narrative":
            return [Unit(f"DATE OF SERVICE {dos}. {visit_label.upper()}.", boiler=True)]
        if self.style == "dictated":
            return [Unit(f"{visit_label.upper()} - {self.name}", boiler=True)]
        return []

    def footer(self, dos: str) -> list[Unit]:
        """Boilerplate lines at the end (attestations, dictation disclaimers)."""
        if self.clinic is not None:
            return [
                Unit("Prepared with an electronic template. Medication reconciliation completed. All questions "
                     "were answered.", boiler=True),
                Unit(f"Electronically signed by: {self.name} on {dos}", boiler=True),
            ]
        if self.style == "dictated":
            return [Unit(f"Voice recognition used; dictated but not read. D: {dos}", boiler=True)]
        return [Unit(f"Signed: {self.name}", boiler=True)] if self.style == "narrative" else []


PROVIDERS = (
    Provider("DR01", "terse", False, "A. Patel, MD"),
    Provider("DR02", "narrative", True, "M. Okafor, DO"),
    Provider("DR03", "templated", True, "S. Lindqvist, MD", clinic=0),
    Provider("DR04", "dictated", False, "R. Alvarez, MD"),
    Provider("DR05", "templated", False, "J. Brennan, MD", clinic=1),
    Provider("DR06", "terse", True, "K. Nakamura, MD"),
    Provider("DR07", "narrative", False, "L. Haddad, MD"),
    Provider("DR08", "dictated", True, "T. Osei, MD"),
)

PAYERS = ("Medicare Part B", "Medicare Part B", "Medicare Part B", "Medicare Advantage")

_PMH = ["Hypertension", "Type 2 diabetes mellitus", "Hyperlipidemia", "Obesity", "Depression", "Generalized anxiety disorder",
        "Hypothyroidism", "Gastroesophageal reflux disease", "Osteoarthritis of the knees", "Obstructive sleep apnea on CPAP",
        "Atrial fibrillation on apixaban", "Nephrolithiasis", "Migraine", "Osteopenia", "Asthma",
        "Benign prostatic hyperplasia", "Coronary artery disease", "Peripheral neuropathy"]
_PSH = ["Right knee arthroscopy", "Cholecystectomy", "Appendectomy", "Left carpal tunnel release", "Hysterectomy",
        "Inguinal hernia repair", "Total left hip arthroplasty", "Tonsillectomy", "Cesarean section", "Rotator cuff repair"]
_OTHER_MEDS = ["lisinopril 20 mg daily", "metformin 1000 mg twice daily", "atorvastatin 40 mg daily", "levothyroxine 75 mcg daily",
               "omeprazole 20 mg daily", "sertraline 50 mg daily", "amlodipine 5 mg daily", "losartan 50 mg daily",
               "aspirin 81 mg daily", "vitamin D3 2000 units daily", "tamsulosin 0.4 mg at bedtime", "albuterol inhaler as needed"]
_PAIN_MEDS = {"nsaid": ["meloxicam 15 mg daily", "naproxen 500 mg twice daily", "celecoxib 200 mg daily"],
              "neuropathic": ["gabapentin 300 mg three times daily", "pregabalin 75 mg twice daily", "duloxetine 60 mg daily"],
              "muscle_relaxant": ["tizanidine 4 mg at bedtime", "cyclobenzaprine 10 mg at bedtime", "methocarbamol 750 mg twice daily"],
              "acetaminophen": ["acetaminophen 500 mg two tablets three times daily"],
              "topical": ["lidocaine 5% patch daily", "diclofenac 1% gel four times daily"],
              "opioid": ["tramadol 50 mg every 8 hours as needed", "hydrocodone-acetaminophen 5-325 mg twice daily as needed"]}
_ALLERGIES = ["No known drug allergies.", "NKDA.", "Penicillin (rash).", "Sulfa drugs (hives).", "Codeine (nausea).",
              "Iodinated contrast (hives), premedicated for prior procedures.", "Latex.", "Morphine (itching)."]
_JOBS = ["retired machinist", "school bus driver", "retired teacher", "home health aide", "warehouse supervisor",
         "retired postal carrier", "bookkeeper", "part-time cashier", "retired nurse", "farmer", "hair stylist", "truck driver"]


@dataclass(slots=True)
class Chart:
    """The stable chart sections of one patient, as units that later notes carry forward."""

    pmh: list[Unit]
    psh: list[Unit]
    meds: list[Unit]
    med_keys: list[str]
    allergies: list[Unit]
    social: list[Unit]
    ros: list[Unit]
    general: Unit
    imaging: list[Unit] = field(default_factory=list)
    med_names: dict[str, str] = field(default_factory=dict)


def make_chart(rng: random.Random, p: dict[str, str], region: str, sex: str) -> Chart:
    """Draw the background chart: a few comorbidities, meds, allergy, social history and ROS."""
    pmh = [Unit(x + ".") for x in rng.sample(_PMH, rng.randint(2, 5))]
    psh = [Unit(f"{x} ({rng.randint(1985, 2021)}).") for x in rng.sample(_PSH, rng.randint(0, 3))] or [Unit("None.")]
    keys = rng.sample(["nsaid", "neuropathic", "muscle_relaxant", "acetaminophen", "topical"], rng.randint(1, 3))
    if rng.random() < 0.2:
        keys.append("opioid")
    names = {k: pick(rng, _PAIN_MEDS[k]) for k in keys}
    meds = [Unit(cap(names[k]) + ".") for k in keys]
    meds += [Unit(cap(x) + ".") for x in rng.sample(_OTHER_MEDS, rng.randint(1, 3))]
    smoke = pick(rng, ["Never smoker.", "Former smoker, quit {y}.", "Current smoker, one half pack per day.",
                       "Quit smoking in {y}."]).format(y=rng.randint(1990, 2020))
    social = [Unit(smoke), Unit(pick(rng, ["Drinks alcohol socially.", "No alcohol use.", "One to two beers on weekends.",
                                           "Rare alcohol use."])),
              Unit(f"{p['He']} is a {pick(rng, _JOBS)}."),
              Unit(pick(rng, ["Lives with spouse.", "Lives alone.", "Lives with {his} daughter.", "Married, two adult children."])
                   .format(**p))]
    pos = {"lumbar": "back pain and leg numbness", "cervical": "neck pain and arm tingling",
           "myofascial": "muscle pain and stiffness"}[region]
    ros = [Unit(f"Constitutional: no fever, chills or weight loss. Musculoskeletal: positive for {pos}. "
                f"{pick(rng, ['Neurologic: no bowel or bladder changes.', 'GU: no incontinence.', 'No saddle anesthesia.'])} "
                f"{pick(rng, ['Psychiatric: mood stable.', 'Sleep: disrupted by pain.', 'Skin: no rashes.'])} "
                "Otherwise negative.")]
    general = Unit(pick(rng, ["General: alert and oriented, in no acute distress.", "Well-appearing, pleasant, no distress.",
                              "Alert, cooperative, appears stated age.", "NAD, A&O x3."]))
    return Chart(pmh, psh, meds, keys, [Unit(pick(rng, _ALLERGIES))], social, ros, general, med_names=names)


def pronouns(sex: str) -> dict[str, str]:
    """Pronoun slots for templates ({He}, {he}, {his}, {His}, {him})."""
    if sex == "F":
        return {"He": "She", "he": "she", "his": "her", "His": "Her", "him": "her"}
    return {"He": "He", "he": "he", "his": "his", "His": "His", "him": "him"}
