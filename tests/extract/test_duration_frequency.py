"""Durations vs frequencies: "every 3 days" is how often, not how long (table-driven)."""

from __future__ import annotations

import pytest

from driftcheck.extract.validators import find_duration_weeks, search_duration

CASES = [
    ("She has been doing physical therapy for 6 weeks without relief", 6.0),
    ("Tylenol every 4 hours for 2 weeks with partial relief", 2.0),
    ("He went to PT twice a week for 6 weeks", 6.0),
    ("Ibuprofen 600 mg three times a day for 10 days", 1.4),
    ("Chiropractic 2 days a week for 3 months", 12.9),
    ("She tried a TENS unit for a few weeks", 3.0),
    ("He can take ibuprofen every 6 to 8 hours as needed for pain", None),
    ("Fentanyl patch 25 mcg changed every 3 days", None),
    ("Norco 1 tablet q 6 hours p.r.n. pain", None),
    ("Norco 1 tablet q.6 hours p.r.n. pain", None),
    ("Home exercises once a day", None),
    ("Aquatic therapy 2-3 days a week", None),
    ("Ice the knee 20 minutes, 3 times daily", None),
    ("He walks 2 hours a day", None),
]


@pytest.mark.parametrize(("text", "weeks"), CASES)
def test_duration_not_frequency(text: str, weeks: float | None) -> None:
    m = search_duration(text)
    assert (None if m is None else find_duration_weeks(m.group(0))) == weeks
