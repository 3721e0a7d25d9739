"""DC2xx rules: pass/fail case files (tests/rules/cases/DC2*.toml) and rule declarations."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest

from driftcheck.extract.statements import Extractor
from driftcheck.model import ClaimLine, Note
from driftcheck.rules.base import DOC_SECTIONS, RuleContext
from driftcheck.rules.evidence import RULES
from driftcheck.text.pipeline import TextProcessor

CASES = Path(__file__).parent / "cases"
BY_CODE = {rule.code: rule for rule in RULES}


def _cases() -> list[tuple[str, dict]]:
    out = []
    for path in sorted(CASES.glob("DC2*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        out.extend((data["rule"], case) for case in data["cases"])
    return out


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _context(case: dict, extractor: Extractor) -> RuleContext:
    text = case["text"]
    doc = TextProcessor().process(text)
    ranges = [(text.index(c), text.index(c) + len(c)) for c in case.get("carried", [])]
    source = case.get("source_note_id")

    def freshness(start: int, end: int) -> tuple[bool, str | None]:
        carried = any(a <= start and end <= b for a, b in ranges)
        return (not carried, source if carried else None)

    note = Note("P1", "N-today", date(2024, 5, 1), text)
    claims = tuple(ClaimLine(f"C{i}", code, note_id="N-today") for i, code in enumerate(case.get("claims", [])))
    history = tuple(ClaimLine(f"H{i}", code, patient_id="P1", date=date(2024, 2, 1))
                    for i, code in enumerate(case.get("claim_history", [])))
    return RuleContext(note=note, doc=doc, statements=extractor.extract(doc, freshness), claims=claims,
                       claim_history=history)


@pytest.mark.parametrize("code, case", _cases(), ids=lambda v: v if isinstance(v, str) else v["name"])
def test_when_case_then_expected_findings(code, case, extractor):
    rule = BY_CODE[code]()
    ctx = _context(case, extractor)
    findings = list(rule.check(ctx))
    if case["expect"] == "pass":
        assert findings == []
        return
    assert len(findings) == 1
    finding = findings[0]
    assert finding.code == code and finding.fix
    # messages never hold note text
    words = case["text"].split()
    assert not any(" ".join(words[i:i + 4]) in finding.message for i in range(len(words) - 3))
    if case.get("carried"):
        assert finding.evidence and all(s.source_note_id == case["source_note_id"] for s in finding.evidence)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_when_rule_declared_then_identity_and_docs_complete(rule):
    assert rule.code.startswith("DC2") and rule.name == rule.name.lower() and " " not in rule.name
    assert "payer-rules.md" in rule.source
    doc = rule.doc()
    for section in DOC_SECTIONS:
        assert f"{section}:" in doc, section
    assert (CASES / f"{rule.code}.toml").exists()


def test_repeat_trigger_point_injection_needs_response_not_failed_care() -> None:
    """Failed conservative care is the initial-TPI criterion; a repeat needs the response."""
    from datetime import date

    from driftcheck.model import ClaimLine, Note
    from driftcheck.rules.base import RuleContext
    from driftcheck.rules.evidence import MissingConservativeCare
    from driftcheck.text.pipeline import process

    text = "PROCEDURE: Trigger point injections, left upper trapezius and left rhomboid major.\n"
    note = Note("p", "v2", date(2025, 11, 18), text)
    line = ClaimLine("c2", "20552", note_id="v2", patient_id="p", date=note.date)
    prior = ClaimLine("c1", "20552", note_id="v1", patient_id="p", date=date(2025, 9, 23))
    repeat = RuleContext(note=note, doc=process(text), claims=(line,), claim_history=(prior,))
    initial = RuleContext(note=note, doc=process(text), claims=(line,))
    assert list(MissingConservativeCare().check(repeat)) == []
    assert [f.code for f in MissingConservativeCare().check(initial)] == ["DC203"]
