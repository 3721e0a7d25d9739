"""Attribute readers and validate/invalidate hooks for matched spans (Presidio style).

A pattern proposes a span; a *reader* pulls its values out (the pain number, the relief
percentage, the minutes); a *validator* rejects values that cannot be true (pain 12/10, 130 %
relief, 900 minutes with one patient). Keeping the domain checks out of the regexes means each
check is one small function with its own test, and a pattern can stay generous.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from spacy.tokens import Span

_UNITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
          "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}


def _spelled_numbers() -> dict[str, int]:
    """Spelled numbers 0-99 ("fourteen", "twenty-one", "twenty one")."""
    out = {w: i for i, w in enumerate(_UNITS)}
    for tens, value in _TENS.items():
        out[tens] = value
        for i, unit in enumerate(_UNITS[1:10], 1):
            out[f"{tens}-{unit}"] = out[f"{tens} {unit}"] = value + i
    return out


NUMBER_WORDS = {
    **_spelled_numbers(),
    "a": 1, "an": 1, "a couple of": 2, "couple of": 2, "several": 3, "a few": 3, "few": 3,
}
_NUM = r"(?:\d+(?:\.\d+)?|" + "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True)) + r")"
_UNIT_WEEKS = {"hour": 0.0, "day": 1 / 7, "week": 1.0, "wk": 1.0, "month": 4.3, "mo": 4.3, "year": 52.0,
               "yr": 52.0}
DURATION_RE = re.compile(rf"\b(?P<n>{_NUM})(?:\s*(?:-|to)\s*(?P<n2>{_NUM}))?[\s-]*(?P<unit>hour|day|week|wk|month|mo|year|yr)s?\b",
                         re.IGNORECASE)
#: The unit of a duration with what must follow it: text without one has no DURATION_RE match.
_DURATION_UNIT_RE = re.compile(r"(?:hour|day|week|wk|month|mo|year|yr)s?\b", re.IGNORECASE)
_SCORE_RE = re.compile(r"(?:(?P<lo>\d{1,2}(?:\.\d)?)\s*(?:-|to)\s*)?(?P<v>\d{1,3}(?:\.\d)?)\s*(?:/|out\s+of\s+)\s*(?P<d>10|ten|100)\b",
                       re.IGNORECASE)
_WORD_SCORE_RE = re.compile(r"\b(?P<v>zero|one|two|three|four|five|six|seven|eight|nine|ten)\s+out\s+of\s+ten\b",
                            re.IGNORECASE)
_POINT_SCALE_RE = re.compile(r"(?P<v>\d{1,3}(?:\.\d)?)\s+(?:on|of)\s+(?:a|the)\s+(?:10|ten)\s*-\s*point\b", re.IGNORECASE)
_BARE_SCORE_RE = re.compile(r"(?P<v>\d{1,3}(?:\.\d)?)\s*$")
_PCT_RE = re.compile(r"(?P<v>\d{1,3}(?:\.\d+)?)\s*(?:%|percent)", re.IGNORECASE)
_MIN_RE = re.compile(r"(?P<v>\d{1,4})\s*(?:-\s*)?(?:minutes?|mins?)\b", re.IGNORECASE)
_LEVEL_RE = re.compile(r"\b(?P<a>[CTLS])\s?(?P<an>\d{1,2})\s*(?:-|/|–|to|through)\s*(?P<b>[CTLS])?\s?(?P<bn>\d{1,2})\b"
                       r"|\b(?P<c>[CTLS])\s?(?P<cn>\d{1,2})\b", re.IGNORECASE)
_REGION = {"C": "cervical", "T": "thoracic", "L": "lumbar", "S": "sacral"}


def number(text: str) -> float | None:
    """A number written as digits or words ("6", "six", "a couple of"), else None."""
    t = text.strip().lower()
    if t in NUMBER_WORDS:
        return float(NUMBER_WORDS[t])
    try:
        return float(t)
    except ValueError:
        return None


def weeks(n: float, unit: str) -> float:
    """A duration in weeks, one decimal: days / 7, months * 4.3 (CONVENTIONS.md)."""
    return round(n * _UNIT_WEEKS[unit.lower().rstrip("s")], 1)


#: Words before a number+unit that make it a frequency, not a duration: "every 6 hours",
#: "q 4 hours", "twice a week", "3 times a day", "once per month".
_FREQ_BEFORE = re.compile(r"(?:\b(?:every|each|per|q\.?|once|twice|thrice|times|days?|hours?|nights?)|/)\s*(?:other\s+)?$",
                          re.IGNORECASE)
#: ... or after it: "3 days a week", "2 hours per day", "20 minutes twice daily" (rate, not span).
_FREQ_AFTER = re.compile(r"\s*(?:a|an|per|each|every|/)\s*(?:day|week|wk|month|year|night|morning)s?\b",
                         re.IGNORECASE)


def search_duration(text: str) -> re.Match[str] | None:
    """The first number+unit in ``text`` that is a duration, not a frequency ("every 3 days",
    "twice a week", "3 days a week" are skipped: ``DURATION_RE`` alone reads them as spans of
    time). Skipped outright when ``text`` has no unit word (the search tries every number word
    at every word boundary, which is slow on a long sentence)."""
    if _DURATION_UNIT_RE.search(text) is None:
        return None
    for m in DURATION_RE.finditer(text):
        if _FREQ_BEFORE.search(text, max(0, m.start() - 16), m.start()):
            continue
        if _FREQ_AFTER.match(text, m.end()):
            continue
        return m
    return None


def find_duration_weeks(text: str) -> float | None:
    """The first explicit duration in ``text`` in weeks ("for 6 weeks", "x3 months"), else None."""
    m = DURATION_RE.search(text)
    if not m:
        return None
    n = number(m.group("n2") or m.group("n"))
    return None if n is None else weeks(n, m.group("unit"))


def _clean(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


# ---------------------------------------------------------------- readers (span -> attrs)

#: A text that names the visual analogue scale ("VAS", "visual analog(ue) scale", "Pain Analog Scale").
VAS_RE = re.compile(r"\bvas\b|visual[ -]analog(?:ue)?|pain analog(?:ue)? scale", re.IGNORECASE)


def read_pain_score(span: Span, attrs: Mapping[str, Any]) -> dict[str, Any]:
    """``value`` (upper value of a range) and ``scale`` (VAS only when the note says so)."""
    text = span.text
    value: float | None = None
    denominator = 10.0
    m = _SCORE_RE.search(text)
    if m:
        value = number(m.group("v"))
        denominator = 100.0 if m.group("d") == "100" else 10.0
    else:
        w = _WORD_SCORE_RE.search(text) or _POINT_SCALE_RE.search(text) or _BARE_SCORE_RE.search(text)
        if w:
            value = number(w.group("v"))
        doc = span.doc
        if span.end + 1 < len(doc) and doc[span.end].text in ("-", "to"):
            # "Pain is 6-8/10": a labelled score that continues into a range; take the upper value
            upper = _SCORE_RE.search(doc[span.end + 1].text) or _BARE_SCORE_RE.search(doc[span.end + 1].text)
            if upper:
                value = number(upper.group("v"))
    if _not_a_score(span):
        value = None
    context = span.sent.text.lower() if span.doc.has_annotation("SENT_START") else text.lower()
    scale = attrs.get("scale") or ("vas" if VAS_RE.search(context) else "nrs")
    if denominator == 100.0:
        scale = "vas" if scale == "vas" else "other"
    return {"value": _clean(value), "scale": scale, "max": denominator}


#: Words after a bare number that make it a quantity, not a pain score ("pain of 3 years duration").
_QUANTITY_UNITS = frozenset({"day", "days", "week", "weeks", "wk", "wks", "month", "months", "mo", "mos", "year",
                             "years", "yr", "yrs", "hour", "hours", "hr", "hrs", "minute", "minutes", "min", "mins",
                             "mg", "mcg", "ml", "%", "percent", "times", "degrees", "levels", "sessions"})
#: Words before "dd/dd" that make it a date ("after the MBB on 08/10"), not a score.
_DATE_LEAD = frozenset({"on", "since", "until", "dated", "before"})


def _not_a_score(span: Span) -> bool:
    """A bare number followed by a unit, or a "dd/10" date, matched as a pain score."""
    doc = span.doc
    last = span[-1].text
    if span.end < len(doc) and re.fullmatch(r"\d{1,3}(?:\.\d)?", last) and doc[span.end].lower_ in _QUANTITY_UNITS:
        return True
    date = re.search(r"(?<![\d.])(?P<v>\d{1,3})\s*/\s*(?:10|100)\b", span.text)
    if date and date.group("v").startswith("0") and len(date.group("v")) > 1:
        return True  # "08/10" is a date; a score is written "8/10"
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    return bool(date) and before in _DATE_LEAD


def read_procedure_response(span: Span, attrs: Mapping[str, Any]) -> dict[str, Any]:
    """``relief_pct`` from "(\\d+) %", or the pattern's fixed 0/100; ``duration_weeks`` later."""
    out: dict[str, Any] = {}
    m = _PCT_RE.search(span.text)
    if m is None and attrs.get("relief_pct") is None and span.doc.has_annotation("SENT_START"):
        m = _PCT_RE.search(span.sent.text)  # "the last block gave 70% relief": anchor + qualifier
    if m:
        out["relief_pct"] = _clean(float(m.group("v")))
    else:
        out["relief_pct"] = attrs.get("relief_pct")
    return out


def read_time_spent(span: Span, attrs: Mapping[str, Any]) -> dict[str, Any]:
    """``minutes`` of clinician time."""
    m = _MIN_RE.search(span.text)
    if m:
        return {"minutes": int(m.group("v"))}
    hours = re.search(r"(\d+(?:\.\d+)?)\s*hours?", span.text, re.IGNORECASE)
    return {"minutes": int(float(hours.group(1)) * 60) if hours else None}


def read_function(span: Span, attrs: Mapping[str, Any]) -> dict[str, Any]:
    """ODI/NDI/PEG/Roland-Morris score values (``score_name``/``score``) where the match has one."""
    if "score_name" not in attrs:
        return {}
    m = re.search(r"(\d{1,3}(?:\.\d+)?)\s*(%|/\s*\d+)?", span.text)
    return {"score": _clean(float(m.group(1))) if m else None}


def read_spinal_level(span: Span, attrs: Mapping[str, Any]) -> dict[str, Any]:
    """``levels`` as ["L4-L5", ...] and the ``region`` of the first level."""
    levels: list[str] = []
    for m in _LEVEL_RE.finditer(span.text):
        if m.group("a"):
            a = m.group("a").upper()
            b = (m.group("b") or a).upper()
            an, bn = int(m.group("an")), int(m.group("bn"))
            levels.append(f"{a}{an}-{b}{bn}")
        else:
            levels.append(f"{m.group('c').upper()}{int(m.group('cn'))}")
    region = _REGION.get(levels[0][0]) if levels else attrs.get("region")
    return {"levels": levels, "region": region}


def read_pain_duration(span: Span, attrs: Mapping[str, Any]) -> dict[str, Any]:
    """``months`` of an explicit duration ("for 2 years" -> 24); dates are not used."""
    m = search_duration(span.text)
    if not m:
        return {"months": None}
    n = number(m.group("n2") or m.group("n"))
    unit = m.group("unit").lower().rstrip("s")
    factor = {"hour": 1 / 720, "day": 1 / 30, "week": 1 / 4.3, "wk": 1 / 4.3, "month": 1, "mo": 1,
              "year": 12, "yr": 12}[unit]
    return {"months": None if n is None else round(n * factor, 1)}


def read_muscle(span: Span, attrs: Mapping[str, Any]) -> dict[str, Any]:
    """``side`` from a laterality word just before the muscle name (or None)."""
    window = span.doc[max(span.sent.start if span.doc.has_annotation("SENT_START") else 0, span.start - 3):span.end]
    low = window.text.lower()
    side = "bilateral" if re.search(r"\bbilateral", low) else "left" if re.search(r"\bleft\b", low) else (
        "right" if re.search(r"\bright\b", low) else None)
    return {"side": side}


# ---------------------------------------------------------------- validators (attrs -> keep?)

def validate_pain_score(attrs: Mapping[str, Any]) -> bool:
    """Pain intensity lies on its scale: 0-10 (or 0-100 for a 100 mm VAS)."""
    value = attrs.get("value")
    if attrs.get("max") == 100 and attrs.get("scale") != "vas":
        return False  # "25/100" without VAS is a dose ratio (Sinemet 25/100), not a pain score
    return value is not None and 0 <= value <= attrs.get("max", 10)


def validate_relief(attrs: Mapping[str, Any]) -> bool:
    """Relief is a percentage: 0-100 (or unstated)."""
    pct = attrs.get("relief_pct")
    return pct is None or 0 <= pct <= 100


def validate_minutes(attrs: Mapping[str, Any]) -> bool:
    """Clinician time of one visit: 1-600 minutes (10 hours is already implausible)."""
    minutes = attrs.get("minutes")
    return minutes is not None and 1 <= minutes <= 600


def validate_function_score(attrs: Mapping[str, Any]) -> bool:
    """Disability scores stay in range: ODI 0-100 %, NDI 0-50 (or 0-100 %), RMDQ 0-24, PEG 0-10."""
    if "score_name" not in attrs or attrs.get("score") is None:
        return True
    limit = {"odi": 100, "ndi": 100, "roland_morris": 24, "peg": 10}.get(attrs["score_name"], 100)
    return 0 <= attrs["score"] <= limit


def validate_months(attrs: Mapping[str, Any]) -> bool:
    """A pain duration between 0 and 100 years."""
    months = attrs.get("months")
    return months is not None and 0 <= months <= 1200


def validate_levels(attrs: Mapping[str, Any]) -> bool:
    """Spinal levels exist: C1-C8, T1-T12, L1-L5 (L6 tolerated), S1-S5; the range goes downwards."""
    limits = {"C": 8, "T": 12, "L": 6, "S": 5}
    order = "CTLS"
    for level in attrs.get("levels", []):
        parts = level.split("-")
        for part in parts:
            if not 1 <= int(part[1:]) <= limits[part[0]]:
                return False
        if len(parts) == 2:
            (a, an), (b, bn) = (parts[0][0], int(parts[0][1:])), (parts[1][0], int(parts[1][1:]))
            if (order.index(b), bn) <= (order.index(a), an):
                return False
    return bool(attrs.get("levels"))


def invalidate_weeks(value: float | None) -> bool:
    """True (reject) when a duration in weeks is implausible: negative or over 20 years."""
    return value is not None and not 0 <= value <= 1040


READERS: dict[str, Callable[[Span, Mapping[str, Any]], dict[str, Any]]] = {
    "PAIN_SCORE": read_pain_score,
    "PROCEDURE_RESPONSE": read_procedure_response,
    "TIME_SPENT": read_time_spent,
    "FUNCTION": read_function,
    "SPINAL_LEVEL": read_spinal_level,
    "PAIN_DURATION": read_pain_duration,
    "MUSCLE": read_muscle,
}

VALIDATORS: dict[str, Callable[[Mapping[str, Any]], bool]] = {
    "PAIN_SCORE": validate_pain_score,
    "PROCEDURE_RESPONSE": validate_relief,
    "TIME_SPENT": validate_minutes,
    "FUNCTION": validate_function_score,
    "PAIN_DURATION": validate_months,
    "SPINAL_LEVEL": validate_levels,
}
