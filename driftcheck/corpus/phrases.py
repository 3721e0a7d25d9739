"""Phrase bank for the synthetic corpus: many paraphrases per statement type plus slot fillers.

Why a bank and not fixed sentences: a detector evaluated on this corpus must not pass by
memorising a handful of templates. Every statement type has many openers, cores and tails, and
slots (activities, durations, drugs, muscles, levels) are filled at random, so the same fact is
said many ways across patients and visits. Each builder returns ``(text, attrs)`` where attrs
follow ANNOTATION.md / corpora/gold/CONVENTIONS.md exactly, so the text and its gold label are
produced by the same call and cannot drift apart.
"""

from __future__ import annotations

import random
from typing import Any

Attrs = dict[str, Any]

NUM_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
             "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen"]


def pick(rng: random.Random, seq: list[str] | tuple[str, ...]) -> str:
    """One element; a named helper keeps builder code short and readable."""
    return seq[rng.randrange(len(seq))]


def cap(text: str) -> str:
    """Upper-case the first character only (``str.capitalize`` would lower the rest)."""
    return text[:1].upper() + text[1:]


# --------------------------------------------------------------------------- slot fillers

ACTIVITIES = [
    "sit through a full movie", "drive more than 30 minutes", "walk the dog", "stand at the kitchen counter",
    "carry groceries", "do laundry", "vacuum", "garden", "play with the grandchildren", "climb a flight of stairs",
    "work a full shift", "lift a laundry basket", "bend to tie shoes", "get in and out of the car",
    "mow the lawn", "shop at the grocery store", "sit at the computer", "sleep through the night",
    "shower without resting", "load the dishwasher", "walk around the block", "stand in line at the store",
    "attend church services", "cook dinner", "ride a stationary bike", "golf nine holes", "make the bed",
]
POSTURES = ["sitting", "standing", "walking", "driving", "bending", "lifting", "reaching overhead",
            "looking down", "turning the head", "prolonged standing", "stair climbing", "twisting"]
ADLS = ["dressing", "bathing", "putting on socks", "household chores", "yard work", "meal preparation",
        "grocery shopping", "caring for a grandchild", "getting out of bed", "combing hair"]
WORK = ["full duty", "light duty with a 20-pound lifting restriction", "reduced hours", "modified duty",
        "from home part time", "full time as a cashier", "full time at a warehouse", "part time as a school aide"]
#: Interval-history sentences; slots ({act}, {adl}, {posture}, {when}, {kin}) keep them specific to a
#: patient, so two patients rarely share one by chance (shared sentences read as clinic template).
INTERVAL_EVENTS = [
    "No falls since the last visit; {he} is trying to {act}.", "{He} had a flare {when} trying to {act}.",
    "{He} had a sinus infection {when}, treated in urgent care.", "{He} started a new job with more {posture}.",
    "{He} drove to see {his} {kin} and the drive hurt.", "Weather changes {when} made {adl} harder.",
    "No emergency visits; {adl} was hard at times.", "{He} ran out of {his} muscle relaxant {when}.",
    "{He} had a dental procedure {when}.", "{He} restarted walking {when}.", "{His} {kin} stayed over and sleep suffered.",
    "{He} flared {when} after yard work.", "{He} is stressed caring for {his} {kin}.", "{He} fell on ice {when}, no new symptoms.",
    "{He} joined a water exercise class {when}.", "{He} takes {his} medications as prescribed; {adl} is easier.",
    "{He} missed physical therapy {when} with a cold.", "Bowel and bladder normal; {posture} is hardest.",
    "{He} denies new weakness; {adl} is still hard for {him}.", "{He} saw {his} PCP {when} for blood pressure.",
    "{He} cut back on caffeine {when}.", "{His} refill was delayed {when}.", "{His} {kin} visited and {he} overdid lifting.",
    "{His} pain diary shows flares with {posture}.", "{He} had a shoulder cortisone shot {when}.",
    "No side effects; {he} manages {adl} alone.", "Neurosurgery saw {him} {when}; no surgery advised.",
    "{He} helped {his} {kin} move {when}.", "{He} hopes to {act} by the holidays.",
]
WHEN = ["last week", "two weeks ago", "over the weekend", "earlier this month", "last month", "a few days ago",
        "on Monday", "on Friday", "after the last visit", "in the spring", "during the holidays", "over the summer"]
KIN = ["daughter", "son", "sister", "brother", "mother", "father", "grandson", "granddaughter", "niece", "neighbor",
       "spouse", "best friend"]


# --------------------------------------------------------------------------- pain score

_PAIN_NRS = [
    "{He} rates {his} pain {v}/10 today", "Pain is {v}/10 on the numeric rating scale", "Current pain intensity is {v}/10",
    "{He} reports pain of {v} out of 10", "Today {his} pain is {vw} out of ten", "NRS pain score today is {v}/10",
    "Average pain over the past week is {v}/10", "{He} puts {his} pain at {v} on a ten-point scale",
    "Pain has been running about {v}/10 most days", "{His} pain is {v}/10 this morning",
    "{He} reports {v}/10 {site} pain", "Numeric pain rating is {v}/10 at rest", "{He} grades the pain at {v}/10",
    "On the NRS {he} reports {v}/10", "{He} states the pain is a {v}/10 with activity",
    "Pain intensity rated {v}/10 by the patient", "{His} usual pain level is {v}/10", "Pain rating {v}/10 on arrival",
    "{He} estimates {his} pain at {vw} out of ten", "Self-reported pain is {v}/10 today",
    "Patient-rated pain is {v}/10", "{He} scores {his} current pain as {v}/10",
]
_PAIN_VAS = ["VAS pain score is {v}/10", "Pain on the visual analog scale is {v}/10", "{He} marks {his} pain at {v}/10 on the VAS",
             "Visual analog scale pain {v}/10"]
PAIN_SITES = {"lumbar": ["low back", "lower back", "lumbar", "back and leg"],
              "cervical": ["neck", "neck and arm", "cervical", "neck and shoulder"],
              "myofascial": ["upper back", "shoulder girdle", "neck and upper back", "low back muscle"]}


def pain_score(rng: random.Random, p: dict[str, str], value: int, region: str) -> tuple[str, Attrs]:
    """A PAIN_SCORE sentence (no final period) with ``value`` on NRS, sometimes VAS."""
    vas = rng.random() < 0.12
    tpl = pick(rng, _PAIN_VAS if vas else _PAIN_NRS)
    text = tpl.format(v=value, vw=NUM_WORDS[value], site=pick(rng, PAIN_SITES[region]), **p)
    return cap(text), {"value": value, "scale": "vas" if vas else "nrs"}


# --------------------------------------------------------------------------- function

_FUNC = {
    "none": [
        "{He} can sit for about {n} minutes before needing to change position",
        "Standing is limited to about {n} minutes because of pain", "{He} is unable to {act} because of {his} pain",
        "Pain wakes {him} {k} times a night", "{He} has difficulty with {adl}", "{He} is working {work}",
        "Oswestry Disability Index today is {odi}%", "{He} needs help with {adl} on bad days",
        "Walking tolerance is about {n} minutes", "Pain limits {his} ability to {act}",
        "{He} avoids {posture} for more than {n} minutes", "{He} has trouble with {posture} and {adl}",
        "{His} pain interferes with {adl} and sleep", "{He} cannot {act} without stopping to rest",
        "{Posture} for more than {n} minutes brings on the pain", "{He} has been off work since the pain worsened",
        "{He} uses a cane for longer distances", "Neck Disability Index is {odi}% today",
        "{He} can only {act} with frequent breaks", "Sleep is broken by pain most nights",
    ],
    "improved": [
        "{He} is now able to {act} again", "Walking tolerance has improved to about {n} minutes",
        "{He} reports sleeping better and waking only once a night", "{He} has returned to {adl} since the last visit",
        "{He} is back to {work}", "Function is better and {he} can now {act} without stopping",
        "Oswestry score improved to {odi}%", "{He} can sit for {n} minutes now, longer than before",
        "{He} tolerates {posture} much better than at the prior visit", "{He} was able to {act} last weekend for the first time in months",
        "{His} daily activities are easier, including {adl}", "{He} needs less help with {adl} than before",
        "{He} reports improved ability to {act}", "Sitting tolerance is up to {n} minutes",
        "{He} has resumed {adl} with only mild discomfort", "{He} notes better endurance for {posture}",
    ],
    "worsened": [
        "{He} can no longer {act} because of increasing pain", "Sitting tolerance has dropped to {n} minutes",
        "{He} has had to stop {adl} over the past month", "Sleep is worse, with pain waking {him} most nights",
        "{He} missed {k} days of work this month due to pain", "{Posture} has become harder over the past few weeks",
        "Walking tolerance is down to about {n} minutes", "{He} now needs help with {adl}",
        "{His} function has declined and {he} cannot {act}", "Oswestry score worsened to {odi}%",
        "{He} reports more difficulty with {posture} than at the last visit", "{He} had to cut back to {work}",
    ],
    "unchanged": [
        "Function is unchanged and {he} still cannot {act}", "{His} walking tolerance remains about {n} minutes",
        "Activity level is about the same as at the last visit", "{He} continues to have difficulty with {adl}, no better or worse",
        "{He} is still limited in {posture} to about {n} minutes", "No change in {his} ability to {act}",
        "{His} sleep remains disrupted by pain, similar to before", "{He} remains on {work}",
    ],
}


def function(rng: random.Random, p: dict[str, str], direction: str) -> tuple[str, Attrs]:
    """A FUNCTION sentence with the given ``direction`` (none/improved/worsened/unchanged)."""
    tpl = pick(rng, _FUNC[direction])
    posture = pick(rng, POSTURES)
    text = tpl.format(n=rng.choice([5, 10, 15, 20, 25, 30, 40, 45, 60]), k=rng.randint(2, 4), act=pick(rng, ACTIVITIES),
                      adl=pick(rng, ADLS), work=pick(rng, WORK), odi=rng.randint(18, 56), posture=posture,
                      Posture=cap(posture), **p)
    return cap(text), {"direction": direction}


# --------------------------------------------------------------------------- conservative care

MODALITIES: dict[str, list[str]] = {
    "physical_therapy": ["physical therapy", "formal physical therapy", "a course of physical therapy", "supervised PT",
                         "outpatient physical therapy with core strengthening", "twice-weekly physical therapy",
                         "a McKenzie-based physical therapy program", "physical therapy with traction"],
    "home_exercise": ["a home exercise program", "daily home stretching and core exercises", "the home exercise program from PT",
                      "a daily walking and stretching routine"],
    "nsaid": ["meloxicam 15 mg daily", "naproxen 500 mg twice daily", "ibuprofen 600 mg three times daily",
              "diclofenac 75 mg twice daily", "celecoxib 200 mg daily", "scheduled NSAIDs", "nabumetone 750 mg twice daily"],
    "acetaminophen": ["acetaminophen", "acetaminophen 1 g three times daily", "scheduled Tylenol"],
    "muscle_relaxant": ["cyclobenzaprine 10 mg at bedtime", "tizanidine 4 mg at night", "methocarbamol 750 mg",
                        "a muscle relaxant", "baclofen 10 mg"],
    "neuropathic": ["gabapentin 300 mg three times daily", "pregabalin 75 mg twice daily", "duloxetine 60 mg daily",
                    "gabapentin titrated to 600 mg three times daily", "nortriptyline 25 mg at bedtime"],
    "topical": ["lidocaine 5% patches", "diclofenac gel", "topical lidocaine"],
    "chiropractic": ["chiropractic care", "chiropractic adjustments"],
    "massage": ["massage therapy"],
    "acupuncture": ["acupuncture"],
    "tens": ["a TENS unit"],
    "bracing": ["a lumbar support brace", "bracing"],
    "ice_heat": ["ice and heat", "heat and ice packs"],
    "activity_modification": ["activity modification", "activity restrictions at work"],
    "oral_steroid": ["a Medrol dose pack", "an oral steroid taper"],
}
#: Modalities that a payer counts as "conservative care" before an interventional procedure.
PROCEDURE_MODALITIES = ["physical_therapy", "home_exercise", "nsaid", "neuropathic", "muscle_relaxant",
                        "chiropractic", "acetaminophen", "activity_modification", "oral_steroid"]

_CC_FAILED = [
    "{He} completed {dur} of {m} without meaningful relief", "Despite {dur} of {m}, {his} {sx} persists",
    "{M} for {dur} failed to control {his} symptoms", "{He} has tried {m} for {dur} with no lasting benefit",
    "Conservative care to date includes {dur} of {m}, which did not help", "{He} did {m} for {dur} and the pain did not improve",
    "Failed {dur} of {m}", "{He} has been on {m} for {dur} with inadequate relief",
    "{Dur} of {m} gave no significant improvement", "{He} went through {dur} of {m} but continues to have {sx}",
    "There was no response to {dur} of {m}", "{M} over {dur} was ineffective", "Symptoms persisted through {dur} of {m}",
    "{He} stopped {m} after {dur} because it did not help", "{He} reports {m} for {dur} failed to relieve {his} {sx}",
    "Pain remained severe after {dur} of {m}", "{He} gained nothing from {dur} of {m}",
    "Prior treatment with {m} for {dur} was unsuccessful", "{M} was tried for {dur} without benefit",
    "{He} has failed {dur} of {m}", "Even after {dur} of {m} the {sx} has not let up",
    "{He} says {dur} of {m} did not make a difference", "Trial of {m} ({dur}) failed",
]
_CC_PARTIAL = [
    "{M} for {dur} helped only partially", "{He} got some benefit from {dur} of {m}, but pain returns with activity",
    "{Dur} of {m} gave modest, short-lived improvement", "{He} had partial relief with {m} over {dur}",
]
CC_ONGOING = [
    "Continue {m}", "{He} continues {m}", "{He} is still doing {m} most days", "{He} remains on {m}",
    "Refill {m}", "{He} is taking {m} as prescribed", "{He} keeps up with {m}", "Continues {m} daily",
    "{He} uses {m} as needed", "{He} is compliant with {m}", "{M} is being continued",
]
CC_HELPED = ["{M} continues to help", "{He} finds {m} helpful", "{M} takes the edge off the pain"]
SYMPTOMS = {"lumbar": ["radicular leg pain", "leg pain", "low back pain", "sciatica", "back pain"],
            "cervical": ["arm pain", "radicular arm pain", "neck pain", "neck and arm pain"],
            "myofascial": ["muscle pain", "upper back pain", "neck and shoulder pain"]}


def duration_phrase(rng: random.Random, weeks: int, hedge: bool = True) -> tuple[str, float]:
    """Say ``weeks`` as weeks or months; return the phrase and ANNOTATION duration_weeks."""
    if weeks >= 9 and weeks % 4 == 0 and rng.random() < 0.5:
        months = weeks // 4
        word = NUM_WORDS[months] if months < len(NUM_WORDS) and rng.random() < 0.4 else str(months)
        return f"{word} months", round(months * 4.3, 1)
    word = NUM_WORDS[weeks] if weeks < len(NUM_WORDS) and rng.random() < 0.3 else str(weeks)
    lead = pick(rng, ["", "about ", "more than ", "over "]) if hedge else ""
    return f"{lead}{word} weeks", float(weeks)


def join_list(items: list[str]) -> str:
    """English list: 'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def conservative_care(rng: random.Random, p: dict[str, str], mods: list[str], weeks: int | None, outcome: str,
                      region: str) -> tuple[str, Attrs]:
    """A CONSERVATIVE_CARE sentence naming ``mods`` (vocabulary keys) with duration and outcome.

    ``outcome`` is failed / partial / helped / unknown; ``weeks`` None means no duration is stated
    (ongoing treatment, "continue X").
    """
    m = join_list([pick(rng, MODALITIES[k]) for k in mods])
    if outcome in ("failed", "partial") and weeks:
        dur, dweeks = duration_phrase(rng, weeks)
        tpl = pick(rng, _CC_FAILED if outcome == "failed" else _CC_PARTIAL)
        text = tpl.format(m=m, M=cap(m), dur=dur, Dur=cap(dur), sx=pick(rng, SYMPTOMS[region]), **p)
        return cap(text), {"modality": ", ".join(mods), "duration_weeks": dweeks, "outcome": outcome}
    tpl = pick(rng, CC_HELPED if outcome == "helped" else CC_ONGOING)
    return cap(tpl.format(m=m, M=cap(m), **p)), {"modality": ", ".join(mods), "duration_weeks": None, "outcome": outcome}


# --------------------------------------------------------------------------- necessity

_NEC = [
    "{Proc} is indicated because of {reason}", "Given {reason}, we will proceed with {proc}",
    "We recommend {proc} due to {reason}", "{Proc} is medically necessary given {reason}",
    "Because of {reason}, {proc} is planned", "Plan {proc} since {he} has {reason}",
    "{Proc} is warranted due to {reason}", "Due to {reason}, {he} is a candidate for {proc}",
    "We discussed {proc} given {reason}", "{Proc} is reasonable because of {reason}",
    "{He} will undergo {proc} because of {reason}", "Proceeding with {proc}, indicated by {reason}",
    "{Proc} is appropriate given {reason}", "{Reason} is the reason for {proc}",
]
NEC_REASONS = {
    "esi": ["persistent {side} L5 radicular pain with a concordant disc protrusion on MRI",
            "ongoing radiculopathy that has not responded to conservative care",
            "radicular symptoms limiting walking and sleep despite conservative treatment",
            "dermatomal leg pain with a positive straight leg raise and foraminal stenosis on imaging",
            "sciatica with MRI-confirmed nerve root impingement", "recurrent radicular pain after a good prior response"],
    "cesi": ["persistent {side} C6 radicular arm pain with foraminal narrowing on MRI",
             "cervical radiculopathy that has not responded to conservative care",
             "radiating arm pain and paresthesias with concordant imaging",
             "recurrent cervical radicular pain after a good prior response"],
    "facet": ["predominantly axial pain with positive facet loading and no radicular features",
              "axial spine pain worse with extension and rotation", "facet-mediated pain limiting daily function",
              "axial pain concordant with facet arthropathy on imaging"],
    "rfa": ["concordant responses to two diagnostic medial branch blocks",
            "facet-mediated pain confirmed by dual diagnostic blocks", "recurrent facet pain after confirmed diagnostic blocks"],
    "tpi": ["palpable taut bands with local twitch response", "myofascial trigger points that limit activity",
            "focal muscle pain with taut bands and referred pain on palpation", "active trigger points that failed stretching"],
}
PROC_NAMES = {
    "esi": ["a lumbar epidural steroid injection", "an epidural steroid injection", "a transforaminal epidural injection"],
    "cesi": ["a cervical epidural steroid injection", "a cervical interlaminar epidural injection"],
    "facet": ["medial branch blocks", "diagnostic medial branch blocks", "a diagnostic facet block"],
    "rfa": ["radiofrequency ablation", "medial branch radiofrequency neurotomy", "RF ablation of the medial branches"],
    "tpi": ["trigger point injections", "trigger point injection therapy"],
}


def necessity(rng: random.Random, p: dict[str, str], family: str, side: str, repeat: bool = False) -> tuple[str, Attrs]:
    """A NECESSITY sentence tying a procedure to an explicit reason (prior-response reasons only on repeats)."""
    proc = pick(rng, PROC_NAMES[family])
    reasons = [r for r in NEC_REASONS[family] if repeat or "prior" not in r]
    reason = pick(rng, reasons).format(side=side)
    text = pick(rng, _NEC).format(proc=proc, Proc=cap(proc), reason=reason, Reason=cap(reason), **p)
    return cap(text), {}


# --------------------------------------------------------------------------- procedure response

_RESP_WEEKS = [
    "{He} reports {pct}% relief of {his} {sx} after the {proc} on {date}, lasting about {dur}",
    "The {date} {proc} provided {pct}% improvement for {dur}",
    "Following the {proc} on {date}, pain improved by {pct}% and the benefit lasted {dur}",
    "{He} had roughly {pct}% relief from the last {proc} ({date}), sustained for {dur}",
    "After the {proc} ({date}) {he} noted a {pct}% reduction in pain that held for {dur}",
    "Response to the {date} {proc}: {pct}% relief for {dur}",
    "The {proc} done {date} gave {pct}% relief of {sx}, which lasted {dur}",
    "{He} describes {pct}% pain reduction for {dur} after the {date} {proc}",
    "Since the {proc} on {date} {he} has had {pct}% less pain, now {dur} out",
    "{His} pain was {pct}% better for {dur} after the {proc} on {date}",
    "The prior {proc} ({date}) brought {pct}% relief over {dur}",
    "{He} got {pct}% relief for {dur} from the {proc} performed on {date}",
]
_RESP_HOURS = [
    "Pain diary after the {date} {proc} showed {pct}% relief of index pain for {h} hours",
    "After the {proc} on {date} {he} had {pct}% relief of the index pain lasting {h} hours, consistent with the anesthetic",
    "The {date} {proc} produced {pct}% reduction of index pain for about {h} hours",
    "{He} documented {pct}% relief of {his} usual pain for {h} hours after the {proc} on {date}",
    "Index pain decreased by {pct}% for {h} hours following the {date} {proc}",
    "{His} pain log shows {pct}% relief of index pain over {h} hours after the {proc} ({date})",
    "Following the {date} {proc}, {pct}% relief of index pain was recorded for {h} hours",
]
_RESP_IMMEDIATE = [
    "Immediately after the procedure {he} reported {pct}% relief of {his} index pain",
    "Post-procedure pain relief was {pct}%", "{He} reported {pct}% improvement in pain before discharge",
    "At 15 minutes post-procedure {he} noted {pct}% relief", "Immediate relief of approximately {pct}% was reported",
]


def response(rng: random.Random, p: dict[str, str], pct: int, proc: str, date: str, weeks: int | None, hours: int | None,
             region: str) -> tuple[str, Attrs]:
    """A PROCEDURE_RESPONSE sentence: relief over weeks, over hours (blocks) or immediate."""
    sx = pick(rng, SYMPTOMS[region])
    if hours is not None:
        text = pick(rng, _RESP_HOURS).format(pct=pct, proc=proc, date=date, h=hours, **p)
        return cap(text), {"relief_pct": pct, "duration_weeks": 0}
    if weeks is None:
        text = pick(rng, _RESP_IMMEDIATE).format(pct=pct, **p)
        return cap(text), {"relief_pct": pct, "duration_weeks": None}
    dur, dweeks = duration_phrase(rng, weeks, hedge=False)
    text = pick(rng, _RESP_WEEKS).format(pct=pct, proc=proc, date=date, dur=dur, sx=sx, **p)
    return cap(text), {"relief_pct": pct, "duration_weeks": dweeks}


# --------------------------------------------------------------------------- time

_TIME_EM = [
    "I spent {m} minutes on the date of this encounter, including record review, examination, counseling and documentation",
    "Total time on the day of the visit was {m} minutes", "{m} minutes of total time were spent on this encounter today",
    "Total time spent: {m} minutes, more than half in counseling and care coordination",
    "I personally spent {m} minutes with the patient and on documentation today",
    "Time-based visit: {m} minutes total on the date of service",
    "Total practitioner time today was {m} minutes, including reviewing outside imaging",
    "I spent a total of {m} minutes on this patient's care today",
    "This visit took {m} minutes of my time on the date of service, excluding separately billed services",
    "Total encounter time {m} minutes", "My total time for this visit, face-to-face and non-face-to-face, was {m} minutes",
    "{m} minutes were spent today in history, exam, counseling and ordering",
]
_TIME_CPM = [
    "Total time spent on chronic pain management this calendar month: {m} minutes",
    "I spent {m} minutes this month providing chronic pain management services, including the visit, medication management and care coordination",
    "Cumulative chronic pain management time for this month is {m} minutes",
    "Chronic pain management time this calendar month totals {m} minutes, personally provided",
    "{m} minutes of chronic pain management and treatment were provided by me this month",
    "Time statement: {m} minutes of CPM services this month, including the face-to-face visit",
    "I personally furnished {m} minutes of chronic pain management care during this calendar month",
    "CPM time for the month, including care plan revision and coordination with physical therapy: {m} minutes",
    "Total monthly chronic pain management time was {m} minutes",
    "This month I spent {m} minutes on pain management, care planning and medication review for this patient",
    "Over this calendar month, {m} minutes were devoted to chronic pain management by the treating physician",
    "Month-to-date chronic pain care time: {m} minutes",
]


_TIME_CPM_PLAIN = [t for t in _TIME_CPM if "chronic" not in t.lower()]


def time_spent(rng: random.Random, minutes: int, cpm: bool, plain: bool = False) -> tuple[str, Attrs]:
    """A TIME_SPENT sentence with exactly one number, the clinician minutes.

    ``plain`` avoids the word "chronic" (a note seeded as lacking documented chronicity must not
    say it anywhere).
    """
    bank = (_TIME_CPM_PLAIN if plain else _TIME_CPM) if cpm else _TIME_EM
    text = pick(rng, bank).format(m=minutes)
    return cap(text), {"minutes": minutes}


# --------------------------------------------------------------------------- chronicity (not a label)

_CHRONIC = [
    "{He} has had {site} pain for {dur}", "Symptoms began {dur} ago", "The pain has been present for {dur}",
    "{His} {site} pain started about {dur} ago", "This is chronic {site} pain of {dur} duration",
    "Onset was {dur} ago without a specific injury", "{He} has lived with this pain for {dur}",
    "Pain duration is {dur}", "The {site} pain dates back {dur}", "{He} first noticed the pain {dur} ago",
    "{His} symptoms have persisted for {dur}", "{He} describes {dur} of ongoing {site} pain",
]


def chronicity(rng: random.Random, p: dict[str, str], months: int, region: str) -> str:
    """A pain-duration sentence (with period); ``months`` is stated in months or years."""
    if months >= 24 and rng.random() < 0.5:
        dur = f"{months // 12} years" if rng.random() < 0.6 else f"more than {months // 12} years"
    else:
        dur = f"{months} months" if rng.random() < 0.7 else f"about {NUM_WORDS[months] if months < 17 else months} months"
    return cap(pick(rng, _CHRONIC).format(dur=dur, site=pick(rng, PAIN_SITES[region]), **p)) + "."


# --------------------------------------------------------------------------- synonyms for edited clones

SYNONYMS = [
    ("reports", "states"), ("states", "reports"), ("pain", "discomfort"), ("relief", "improvement"),
    ("about", "approximately"), ("approximately", "about"), ("difficulty", "trouble"), ("trouble", "difficulty"),
    ("unable to", "not able to"), ("continues", "remains on"), ("improved", "better"),
    ("limited", "restricted"), ("tenderness", "pain to palpation"), ("positive", "+"), ("negative", "neg"),
    ("bilateral", "both sides"), ("patient", "pt"), ("today", "at this visit"), ("minutes", "min"),
    ("low back", "lumbar"), ("Continue", "Continue current"), ("Return", "Follow up"), ("weeks", "wks"),
]
#: Negated mentions (label, modality the patient must not have had, text): not spans, recorded apart.
NEGATED = [
    ("FUNCTION", "", "{He} denies any difficulty with self-care."), ("FUNCTION", "", "No limitation in dressing or bathing."),
    ("CONSERVATIVE_CARE", "acupuncture", "{He} has not tried acupuncture."),
    ("CONSERVATIVE_CARE", "tens", "{He} has never used a TENS unit."),
    ("FUNCTION", "", "{He} denies problems with driving."), ("CONSERVATIVE_CARE", "massage", "No massage therapy to date."),
]
