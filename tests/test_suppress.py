"""Suppressions live outside the note, need a reason, and report when unused; baselines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from driftcheck.cli import cli
from driftcheck.errors import ConfigError, InputError
from driftcheck.model import Finding, Severity
from driftcheck.suppress import apply_suppressions, load_baseline, load_suppressions, new_since, unused

DEMO = Path(__file__).resolve().parents[1] / "corpora" / "demo"


def _finding(code: str, note: str, patient: str = "p04") -> Finding:
    return Finding(code=code, name="x", severity=Severity.WARNING, message="m", patient_id=patient,
                   note_id=note, rule_source="s")


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "suppressions.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_entries_cover_code_prefix_and_scope_and_count_use(tmp_path: Path) -> None:
    entries = load_suppressions(_write(tmp_path, '''
[[suppress]]
code = "DC10"
patient_id = "p04"
reason = "Stable exam, reviewed by JD 2026-03-01"

[[suppress]]
code = "DC315"
note_id = "p09-v01"
reason = "Billing corrected on the claim"
'''))
    kept, dropped = apply_suppressions([_finding("DC102", "p04-v04"), _finding("DC102", "p05-v01", "p05"),
                                        _finding("DC201", "p04-v04")], entries)
    assert dropped == 1 and [f.note_id for f in kept] == ["p05-v01", "p04-v04"]
    assert [e.entry for e in unused(entries)] == [2]


@pytest.mark.parametrize(("body", "message"), [
    ('[[suppress]]\ncode = "DC101"\npatient_id = "p1"\n', "reason"),
    ('[[suppress]]\ncode = "DC101"\nreason = "ok"\n', "note_id"),
    ('[[suppress]]\ncode = "DC101"\npatient_id = "p1"\nreason = "ok"\nuntil = "x"\n', "unknown key"),
    ('[[ignore]]\ncode = "DC101"\n', "top-level"),
])
def test_invalid_entries_are_rejected_with_location(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_suppressions(_write(tmp_path, body))


def test_baseline_keeps_only_new_findings(tmp_path: Path) -> None:
    old = tmp_path / "old.json"
    old.write_text(json.dumps({"findings": [{"code": "DC101", "patient_id": "p02", "note_id": "p02-v03",
                                             "claim_id": None, "evidence": []}]}), encoding="utf-8")
    base = load_baseline(old)
    kept = new_since([_finding("DC101", "p02-v03", "p02"), _finding("DC101", "p02-v04", "p02")], base)
    assert [f.note_id for f in kept] == ["p02-v04"]
    from driftcheck.model import Span

    exam = Finding(code="DC102", name="x", severity=Severity.WARNING, message="m", patient_id="p04",
                   note_id="p04-v05", rule_source="s", evidence=(Span(700, 900, "static-section"),))
    plan = Finding(code="DC102", name="x", severity=Severity.WARNING, message="m", patient_id="p04",
                   note_id="p04-v05", rule_source="s", evidence=(Span(1200, 1300, "static-section"),))
    old.write_text(json.dumps({"findings": [exam.to_dict()]}), encoding="utf-8")
    assert new_since([exam, plan], load_baseline(old)) == [plan]  # a second static section is new
    (tmp_path / "bad.json").write_text("[]", encoding="utf-8")
    with pytest.raises(InputError):
        load_baseline(tmp_path / "bad.json")


def test_cli_scan_applies_suppressions_and_baseline(tmp_path: Path) -> None:
    supp = _write(tmp_path, '[[suppress]]\ncode = "DC102"\npatient_id = "p04"\nreason = "reviewed"\n'
                            '[[suppress]]\ncode = "DC999"\npatient_id = "p01"\nreason = "stale entry"\n')
    runner = CliRunner()
    first = runner.invoke(cli, ["scan", str(DEMO), "--format", "json", "--no-progress", "--suppressions", str(supp)])
    doc = json.loads(first.stdout)
    assert doc["summary"]["suppressed"] >= 3
    assert not any(f["code"] == "DC102" and f["patient_id"] == "p04" for f in doc["findings"])
    assert "suppression entry 2 (DC999) matched no finding" in first.stderr
    report = tmp_path / "audit.json"
    report.write_text(first.stdout, encoding="utf-8")
    again = runner.invoke(cli, ["scan", str(DEMO), "--format", "json", "--no-progress", "--suppressions", str(supp),
                                "--baseline", str(report)])
    assert again.exit_code == 0 and json.loads(again.stdout)["findings"] == []
