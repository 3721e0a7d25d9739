"""DC3xx billing rules: declared pass/fail cases (cases/DC3*.toml) plus edge cases in code.

Case file schema (one file per rule, ``rule = "DC3xx"``; each ``[[case]]``):
    name, date, expect ("pass" | "fail"), findings (for "fail": one table per expected finding,
    {stale?, severity?, contains?}; default one finding), optional text, statements ([{label,
    text, fresh?, source?, <attrs>}]), claims ([{code, units?, modifiers?}]), claim_history
    ([{code, date, units?, modifiers?, note_id?}]), history ([{date, note_id, statements}]),
    payer + overrides (resolved with the packs), options (rule options). DC301 cases instead give
    notes ([{note_id, date}]) and claims as billed, and run the orphan path.
"""

from __future__ import annotations

import dataclasses
import tomllib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from billing_helpers import NOTE, PATIENT, S, is_stale, line, make_ctx, run, stmt, visit

from driftcheck.claims import claim_history_for, tie_claims
from driftcheck.model import ClaimLine, Note, Severity
from driftcheck.rules import billing, registry
from driftcheck.rules.base import DOC_SECTIONS
from driftcheck.rules.billing import orphan_findings
from driftcheck.rules.billing_common import in_window
from driftcheck.rules.billing_tpi_em import TpiMuscleCountMismatch
from driftcheck.rules.packs import example_overrides, pack_defaults, resolve_params

CASES = Path(__file__).parent / "cases"
_STMT_KEYS = {"label", "text", "fresh", "source", "negated"}


def _specs(raw: list[dict[str, Any]]) -> list[S]:
    return [stmt(r["label"], r["text"], fresh=r.get("fresh", True), source=r.get("source"),
                 negated=r.get("negated", False), **{k: v for k, v in r.items() if k not in _STMT_KEYS})
            for r in raw]


def _line(raw: dict[str, Any], n: int) -> ClaimLine:
    return line(raw["code"], day=raw.get("date"), units=raw.get("units", 1),
                modifiers=raw.get("modifiers", ()), claim_id=raw.get("claim_id", f"C{n}"),
                note_id=raw.get("note_id"), n=n, patient_id=raw.get("patient_id", PATIENT))


def _expected(case: dict[str, Any]) -> list[dict[str, Any]]:
    assert case["expect"] in {"pass", "fail"}, case["name"]
    return [] if case["expect"] == "pass" else case.get("findings", [{}])


def _load_cases() -> list[Any]:
    params = []
    for path in sorted(CASES.glob("DC3*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for case in data["case"]:
            params.append(pytest.param(data["rule"], case, id=f"{data['rule']}-{case['name']}"))
    return params


@pytest.mark.parametrize(("code", "case"), _load_cases())
def test_case_file(code: str, case: dict[str, Any]) -> None:
    if code == "DC301":
        _orphan_case(case)
        return
    rule_cls = registry.get(code)
    options = rule_cls.Options(**case.get("options", {}))
    ctx = make_ctx(
        case["date"], _specs(case.get("statements", [])),
        [_line(c, i + 1) for i, c in enumerate(case.get("claims", []))],
        history=[visit(h["date"], h["note_id"], _specs(h.get("statements", []))) for h in case.get("history", [])],
        claim_history=[_line(c, 100 + i) for i, c in enumerate(case.get("claim_history", []))],
        payer=case.get("payer"), overrides=case.get("overrides"), text=case.get("text"),
    )
    findings = run(rule_cls(options=options), ctx)
    expect = _expected(case)
    assert len(findings) == len(expect), [f.message for f in findings]
    for finding, want in zip(findings, expect, strict=True):
        assert finding.code == code
        assert finding.note_id == NOTE and finding.patient_id == PATIENT
        assert finding.claim_id is not None and finding.billed_code is not None
        if "stale" in want:
            assert is_stale(finding) is want["stale"], finding.message
            if want["stale"]:
                assert finding.evidence, "a stale finding cites the carried-forward evidence"
        if "severity" in want:
            assert finding.severity is Severity.parse(want["severity"])
        if "contains" in want:
            assert want["contains"] in finding.message, finding.message
        for span in finding.evidence:
            assert 0 <= span.start < span.end <= len(ctx.note.text)


def _orphan_case(case: dict[str, Any]) -> None:
    notes = [Note(patient_id=PATIENT, note_id=n["note_id"], date=n["date"], text="x") for n in case["notes"]]
    lines = [ClaimLine(claim_id=f"C{i}", code=c["code"], note_id=c.get("note_id"), patient_id=c.get("patient_id"),
                       date=c.get("date")) for i, c in enumerate(case["claims"])]
    _, orphans = tie_claims(notes, lines)
    findings = orphan_findings(orphans)
    expect = _expected(case)
    assert len(findings) == len(expect), [f.message for f in findings]
    for finding, want in zip(findings, expect, strict=True):
        assert finding.code == "DC301" and finding.note_id is None
        if "contains" in want:
            assert want["contains"] in finding.message, finding.message


def test_every_dc3_rule_has_a_case_file_with_pass_and_fail() -> None:
    for rule in billing.RULES:
        data = tomllib.loads((CASES / f"{rule.code}.toml").read_text(encoding="utf-8"))
        assert {c["expect"] for c in data["case"]} == {"pass", "fail"}, rule.code


def test_rule_identity_and_docs() -> None:
    codes = [r.code for r in billing.RULES]
    assert codes == [f"DC3{n:02d}" for n in range(1, 22)]
    catalogue = (Path(__file__).parents[2] / "docs" / "finding-codes.md").read_text(encoding="utf-8")
    for rule in billing.RULES:
        assert f"| {rule.code} | {rule.name} |" in catalogue, rule.code
        doc = rule.doc()
        for section in DOC_SECTIONS:
            assert f"{section}:" in doc, (rule.code, section)
        assert rule.source and rule.summary()
        for f in dataclasses.fields(rule.Options):
            assert f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING


def test_messages_hold_no_note_text() -> None:
    secret = "Zanzibarian"
    ctx = make_ctx(date(2025, 3, 20), [stmt("TIME_SPENT", f"{secret} spent 10 minutes.", minutes=10)],
                   [line("G3002")])
    findings = run(registry.get("DC302"), ctx)
    assert findings and all(secret not in f.message for f in findings)


# ------------------------------------------------------------------------- rolling windows


@pytest.mark.parametrize(("delta", "inside"), [(0, True), (364, True), (365, False), (366, False)])
def test_window_is_365_days_ending_on_and_including_the_date(delta: int, inside: bool) -> None:
    day = date(2025, 6, 10)
    assert in_window(day, day - timedelta(days=delta), 365) is inside


def _frequency_ctx(code: str, first_delta: int, others: int, today: date, **kw: Any) -> Any:
    """History: one session ``first_delta`` days ago and ``others`` sessions 30, 60, ... days ago."""
    hist = [line(code, day=today - timedelta(days=first_delta), claim_id="H0")]
    hist += [line(code, day=today - timedelta(days=30 * (i + 1)), claim_id=f"H{i + 1}") for i in range(others)]
    return make_ctx(today, [], [line(code)], claim_history=hist, **kw)


@pytest.mark.parametrize(("rule", "code", "cap"), [("DC308", "64483", 4), ("DC317", "20553", 3)])
@pytest.mark.parametrize(("first_delta", "flagged"), [(364, True), (365, False), (366, False)])
def test_frequency_edge_day_365_vs_366(rule: str, code: str, cap: int, first_delta: int, flagged: bool) -> None:
    # cap - 1 recent sessions + today = cap; the oldest decides whether the cap is exceeded.
    ctx = _frequency_ctx(code, first_delta, cap - 1, date(2025, 6, 10))
    assert bool(run(registry.get(rule), ctx)) is flagged


@pytest.mark.parametrize(("first_delta", "flagged"), [(364, True), (365, False)])
def test_facet_rfa_cap_edge(first_delta: int, flagged: bool) -> None:
    today = date(2025, 6, 10)
    hist = [line("64635", day=today - timedelta(days=first_delta), claim_id="H0"),
            line("64635", day=today - timedelta(days=200), claim_id="H1")]
    ctx = make_ctx(today, [stmt("PROCEDURE_RESPONSE", "85% relief.", relief_pct=85)], [line("64635")],
                   claim_history=hist)
    assert bool(run(registry.get("DC313"), ctx)) is flagged


def test_esi_frequency_counts_regions_separately() -> None:
    today = date(2025, 6, 10)
    hist = [line("64479", day=today - timedelta(days=30 * (i + 1)), claim_id=f"H{i}") for i in range(4)]
    assert not run(registry.get("DC308"), make_ctx(today, [], [line("64483")], claim_history=hist))
    assert run(registry.get("DC308"), make_ctx(today, [], [line("64479")], claim_history=hist))


def test_esi_frequency_counts_dates_not_units_or_lines() -> None:
    today = date(2025, 6, 10)
    day = today - timedelta(days=10)
    hist = [line("64483", day=day, claim_id="H1"), line("64484", day=day, claim_id="H1", n=2),
            line("64483", day=day, claim_id="H2", units=2)]
    assert not run(registry.get("DC308"), make_ctx(today, [], [line("64483")], claim_history=hist))


# ----------------------------------------------------------------------- payer overrides


def test_payer_override_changes_esi_frequency_verdict() -> None:
    today = date(2025, 6, 10)
    hist = [line("62323", day=today - timedelta(days=40 * (i + 1)), claim_id=f"H{i}") for i in range(4)]
    medicare = make_ctx(today, [], [line("62323")], claim_history=hist)
    assert run(registry.get("DC308"), medicare)
    bcbs = make_ctx(today, [], [line("62323")], claim_history=hist, payer="BCBS-MA",
                    overrides=example_overrides())
    assert not run(registry.get("DC308"), bcbs)


def test_payer_required_modality_changes_conservative_care_verdict() -> None:
    care = [stmt("CONSERVATIVE_CARE", "Failed 6 weeks of meloxicam.", modality="nsaid",
                 duration_weeks=6, outcome="failed")]
    assert not run(registry.get("DC307"), make_ctx(date(2025, 6, 10), care, [line("64483")]))
    overrides = {"bcbs-ma": {"esi-required-modalities": ["physical_therapy"]}}
    ctx = make_ctx(date(2025, 6, 10), care, [line("64483")], payer="bcbs-ma", overrides=overrides)
    assert [f.code for f in run(registry.get("DC307"), ctx)] == ["DC307"]


def test_rule_option_applies_when_payer_does_not_override() -> None:
    rule = registry.get("DC317")
    today = date(2025, 6, 10)
    hist = [line("20552", day=today - timedelta(days=30 * (i + 1)), claim_id=f"H{i}") for i in range(3)]
    ctx = make_ctx(today, [], [line("20552")], claim_history=hist)
    assert run(rule, ctx)
    assert not run(rule(options=rule.Options(max_sessions=4)), ctx)
    # ... but a payer override wins over the rule option.
    strict = make_ctx(today, [], [line("20552")], claim_history=hist, payer="x",
                      overrides={"x": {"tpi_sessions_per_12_months": 2}})
    assert run(rule(options=rule.Options(max_sessions=4)), strict)


def test_payer_setting_equal_to_pack_default_still_wins_over_rule_option() -> None:
    rule = registry.get("DC317")
    default = pack_defaults()["tpi_sessions_per_12_months"]
    today = date(2025, 6, 10)
    hist = [line("20552", day=today - timedelta(days=30 * (i + 1)), claim_id=f"H{i}") for i in range(default)]
    lenient = rule(options=rule.Options(max_sessions=default + 2))
    assert not run(lenient, make_ctx(today, [], [line("20552")], claim_history=hist))
    # The payer table repeats the pack default explicitly: that is a setting, not "no override".
    ctx = make_ctx(today, [], [line("20552")], claim_history=hist, payer="x",
                   overrides={"x": {"tpi_sessions_per_12_months": default}})
    assert run(lenient, ctx)


def test_em_time_table_override_merges_one_level() -> None:
    ctx = make_ctx(date(2025, 6, 10), [stmt("TIME_SPENT", "Total time 25 minutes.", minutes=25)],
                   [line("99214")], payer="p", overrides={"p": {"em_time_minutes": {"99214": 25}}})
    assert ctx.payer_params["em_time_minutes"]["99213"] == 20
    assert not run(registry.get("DC320"), ctx)


# ----------------------------------------------------------------------- calendar months


@pytest.mark.parametrize(("hist_day", "flagged"), [(date(2025, 3, 1), False), (date(2025, 2, 28), True)])
def test_g3002_month_sum_stops_at_calendar_month(hist_day: date, flagged: bool) -> None:
    earlier = visit(hist_day, "N-1", [stmt("TIME_SPENT", "Spent 20 minutes.", minutes=20)])
    ctx = make_ctx(date(2025, 3, 31), [stmt("TIME_SPENT", "Spent 15 minutes.", minutes=15)],
                   [line("G3002")], history=[earlier])
    assert bool(run(registry.get("DC302"), ctx)) is flagged


def test_g3002_counts_one_time_statement_per_visit() -> None:
    ctx = make_ctx(date(2025, 3, 20), [stmt("TIME_SPENT", "Total time 20 minutes.", minutes=20),
                                       stmt("TIME_SPENT", "Over half of the 20 minutes counseling.", minutes=20)],
                   [line("G3002")])
    assert run(registry.get("DC302"), ctx)


@pytest.mark.parametrize(("g3002_day", "flagged"), [(date(2025, 4, 1), False), (date(2025, 3, 31), True)])
def test_g3003_needs_g3002_in_same_calendar_month(g3002_day: date, flagged: bool) -> None:
    ctx = make_ctx(date(2025, 4, 30), [], [line("G3003")], claim_history=[line("G3002", day=g3002_day, claim_id="H")])
    assert bool(run(registry.get("DC304"), ctx)) is flagged


@pytest.mark.parametrize(("minutes", "units", "flagged"),
                         [(44, 1, True), (45, 1, False), (59, 2, True), (60, 2, False), (75, 3, False)])
def test_g3003_units_arithmetic(minutes: int, units: int, flagged: bool) -> None:
    ctx = make_ctx(date(2025, 3, 20), [stmt("TIME_SPENT", f"Total time {minutes} minutes.", minutes=minutes)],
                   [line("G3002"), line("G3003", units=units)])
    assert bool(run(registry.get("DC303"), ctx)) is flagged


def test_rules_skip_dates_before_requirement_is_in_effect() -> None:
    ctx = make_ctx(date(2022, 12, 31), [], [line("G3002")])
    assert not run(registry.get("DC302"), ctx)
    assert run(registry.get("DC302"), make_ctx(date(2023, 1, 1), [], [line("G3002")]))


# ------------------------------------------------------------------------------ stale vs fresh


@pytest.mark.parametrize(("fresh", "expect"), [(True, 0), (False, 1)])
def test_stale_only_relief_is_a_stale_finding_fresh_is_none(fresh: bool, expect: int) -> None:
    today = date(2025, 6, 10)
    ctx = make_ctx(today, [stmt("PROCEDURE_RESPONSE", "70% relief for 4 months.", relief_pct=70, fresh=fresh,
                                source="N-7")],
                   [line("64483")], claim_history=[line("64483", day=today - timedelta(days=120), claim_id="H")])
    findings = run(registry.get("DC309"), ctx)
    assert len(findings) == expect
    if findings:
        assert is_stale(findings[0]) and findings[0].evidence[0].source_note_id == "N-7"


def test_dc319_uses_similarity_freshness_for_sentences() -> None:
    text = ("Assessment and Plan:\n1. Lumbar radiculopathy. Proceed with L5-S1 TFESI.\n"
            "2. Refill gabapentin 300 mg TID.\n")
    start = text.index("2. Refill")

    class Sim:
        def is_fresh(self, a: int, b: int) -> tuple[bool, str | None]:
            return (False, "N-3") if a >= start else (True, None)

    claims = [line("99213", modifiers=["25"]), line("64483")]
    rule = registry.get("DC319")
    strict = rule(options=rule.Options(count_carried_forward=False))
    assert not run(strict, make_ctx(date(2025, 6, 10), [], claims, text=text))
    assert not run(rule, make_ctx(date(2025, 6, 10), [], claims, text=text, similarity=Sim()))
    findings = run(strict, make_ctx(date(2025, 6, 10), [], claims, text=text, similarity=Sim()))
    assert len(findings) == 1 and is_stale(findings[0])


# -------------------------------------------------------------------------------- orphans


def test_orphan_findings_have_no_note_and_the_lines_patient() -> None:
    notes = [Note(patient_id="P1", note_id="A", date=date(2025, 5, 1), text="x")]
    lines = [ClaimLine(claim_id="C9", code="64483", patient_id="P1", date=date(2025, 5, 2)),
             ClaimLine(claim_id="C8", code="99213", note_id="A")]
    by_note, orphans = tie_claims(notes, lines)
    assert list(by_note) == ["A"]
    findings = orphan_findings(orphans)
    assert [(f.code, f.note_id, f.patient_id, f.claim_id) for f in findings] == [("DC301", None, "P1", "C9")]
    assert findings[0].severity is Severity.ERROR and "64483" in findings[0].message


def test_dc301_rule_check_yields_nothing() -> None:
    assert not run(registry.get("DC301"), make_ctx(date(2025, 5, 1), [], [line("64483")]))


def test_claim_history_for_feeds_frequency() -> None:
    notes = [Note(patient_id="P1", note_id=f"N{i}", date=date(2025, 1, 1) + timedelta(days=40 * i), text="x")
             for i in range(5)]
    lines = [ClaimLine(claim_id=f"C{i}", code="64483", note_id=f"N{i}") for i in range(5)]
    by_note, _ = tie_claims(notes, lines)
    all_lines = [ln for ls in by_note.values() for ln in ls]
    last = notes[-1]
    ctx = make_ctx(last.date, [], [line("64483")], claim_history=claim_history_for(last, all_lines))
    assert len(ctx.claim_history) == 4
    assert run(registry.get("DC308"), ctx)


def test_resolve_params_is_available_to_config() -> None:
    params = resolve_params(pack_defaults(), {"default": {"esi-window-days": 366}}, None)
    assert params["esi_window_days"] == 366


def test_tpi_counts_injected_muscles_not_exam_muscles() -> None:
    """An exam naming a third tender muscle does not make a two-muscle injection 20553."""
    specs = [S("MUSCLE", "left upper trapezius", {"muscle": "upper trapezius", "side": "left"}, section="exam"),
             S("MUSCLE", "left levator scapulae", {"muscle": "levator scapulae", "side": "left"}, section="exam"),
             S("MUSCLE", "left rhomboid major", {"muscle": "rhomboid major", "side": "left"}, section="exam"),
             S("MUSCLE", "left upper trapezius", {"muscle": "upper trapezius", "side": "left"}, section="procedure"),
             S("MUSCLE", "left rhomboid major", {"muscle": "rhomboid major", "side": "left"}, section="procedure")]
    text = ("EXAM: trigger points in left upper trapezius, left levator scapulae, left rhomboid major.\n"
            "PROCEDURE: injected left upper trapezius and left rhomboid major.\n")
    ok = make_ctx(date(2026, 1, 20), specs, [line("20552")], text=text)
    assert run(TpiMuscleCountMismatch, ok) == []
    bad = make_ctx(date(2026, 1, 20), specs, [line("20553")], text=text)
    assert [f.code for f in run(TpiMuscleCountMismatch, bad)] == ["DC315"]
