"""The demo corpus behaves as its README's expected-findings table says (issues 2 and 5).

Clean, well-documented visits get no finding at all; cloned, static and mis-billed visits get
their required codes (naming the source visit for DC101) and nothing outside the listed ones.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from driftcheck.analyze import Analyzer
from driftcheck.ingest import read_claims, read_notes

DEMO = Path(__file__).resolve().parents[1] / "corpora" / "demo"
ROW = re.compile(r"^\| (p\d\d-v\d\d) \| [\d-]+ \| [^|]+ \| (?P<req>[^|]+) \| (?P<may>[^|]+) \|$")


def _expected() -> dict[str, tuple[set[str], set[str]]]:
    out = {}
    for line in (DEMO / "README.md").read_text(encoding="utf-8").splitlines():
        m = ROW.match(line.strip())
        if m:
            req = set(re.findall(r"DC\d{3}", m.group("req")))
            may = set(re.findall(r"DC\d{3}", m.group("may")))
            out[m.group(1)] = (req, may)
    return out


EXPECTED = _expected()


@pytest.fixture(scope="module")
def findings() -> dict[str, list]:
    notes, claims = list(read_notes(DEMO)), list(read_claims(DEMO))
    analyzer = Analyzer()
    by_note: dict[str, list] = {}
    for patient in sorted({n.patient_id for n in notes}):
        res = analyzer.analyze_patient([n for n in notes if n.patient_id == patient],
                                       [c for c in claims if c.patient_id == patient])
        for f in res.findings:
            by_note.setdefault(f.note_id, []).append(f)
    return by_note


def test_readme_table_covers_every_visit() -> None:
    assert len(EXPECTED) == 25


@pytest.mark.parametrize("visit", sorted(v for v, (req, _) in EXPECTED.items() if not req))
def test_clean_visit_has_no_finding(visit: str, findings: dict[str, list]) -> None:
    got = [(f.code, f.message) for f in findings.get(visit, [])]
    assert got == [], f"{visit} should be clean"


@pytest.mark.parametrize("visit", sorted(v for v, (req, _) in EXPECTED.items() if req))
def test_flawed_visit_gets_its_required_codes_only(visit: str, findings: dict[str, list]) -> None:
    required, may = EXPECTED[visit]
    got = {f.code for f in findings.get(visit, [])}
    assert required <= got, f"{visit}: missing {sorted(required - got)}"
    assert got <= required | may, f"{visit}: unexpected {sorted(got - required - may)}"


def test_clones_name_their_source_visit(findings: dict[str, list]) -> None:
    sources = {f.note_id: {s.source_note_id for s in f.evidence} for v in findings.values() for f in v
               if f.code == "DC101"}
    assert "p02-v02" in sources["p02-v03"]
    assert sources["p02-v04"] & {"p02-v02", "p02-v03"}
    assert "p03-v02" in sources["p03-v03"]
