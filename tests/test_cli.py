"""The command line, end to end, through click's CliRunner (one invoke helper)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from driftcheck.cli import cli

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "corpora" / "demo"


def invoke(args: list[str], exit_code: int = 0, input: str | None = None) -> Result:
    """Run the CLI and assert its exit code (sqlfluff's invoke_assert_code)."""
    result = CliRunner().invoke(cli, args, input=input, catch_exceptions=False)
    assert result.exit_code == exit_code, f"exit {result.exit_code}: {result.output}"
    return result


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("store") / "history.sqlite"
    invoke(["ingest", str(DEMO), "--db", str(db)])
    return db


def test_scan_demo_reports_clones_with_source_visit_as_json() -> None:
    result = invoke(["scan", str(DEMO), "--format", "json", "--select", "DC101"], exit_code=1)
    doc = json.loads(result.output)
    assert doc["schema_version"]
    clones = {(f["note_id"], f["evidence"][0]["source_note_id"]) for f in doc["findings"] if f["code"] == "DC101"}
    assert ("p02-v03", "p02-v02") in clones
    assert any(note == "p03-v03" for note, _ in clones)
    assert not any(note.startswith("p01") for note, _ in clones)


def test_scan_writes_private_report_files(tmp_path: Path) -> None:
    out, html = tmp_path / "r.csv", tmp_path / "r.html"
    invoke(["scan", str(DEMO), "--format", "csv", "-o", str(out), "--html", str(html), "--fail-on", "error",
            "--select", "DC1"], exit_code=1)
    assert out.read_text().startswith("patient_id,note_id,claim_id")
    assert "<html" in html.read_text()
    for path in (out, html):
        assert oct(os.stat(path).st_mode & 0o777) == "0o600"


def test_ingest_is_idempotent(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    first = invoke(["ingest", str(DEMO), "--db", str(db), "--no-precompute"])
    assert "25 notes added" in first.output
    second = invoke(["ingest", str(DEMO), "--db", str(db), "--no-precompute"])
    assert "0 notes added, 25 unchanged" in second.output
    assert oct(os.stat(db).st_mode & 0o777) == "0o600"


def test_check_flags_a_copied_draft_and_exits_1(demo_db: Path, tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text((DEMO / "p02" / "2025-04-08_p02-v02.txt").read_text(encoding="utf-8"), encoding="utf-8")
    result = invoke(["check", str(draft), "--patient", "p02", "--date", "2025-10-01", "--db", str(demo_db),
                     "--select", "DC101"], exit_code=1)
    assert "DC101" in result.output and "p02-v0" in result.output


def test_check_fail_on_threshold_gates_exit_code(demo_db: Path, tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text((DEMO / "p02" / "2025-04-08_p02-v02.txt").read_text(encoding="utf-8"), encoding="utf-8")
    args = ["check", str(draft), "--patient", "p02", "--date", "2025-10-01", "--db", str(demo_db), "--select", "DC101"]
    # the copied draft is cloned (an error): the gate follows --fail-on and the rule's severity
    invoke(args + ["--fail-on", "error"], exit_code=1)
    cfg = tmp_path / "driftcheck.toml"
    cfg.write_text('[rules.cloned-note]\nseverity = "warning"\n', encoding="utf-8")
    invoke(["--config", str(cfg), *args, "--fail-on", "error"], exit_code=0)
    invoke(["--config", str(cfg), *args, "--fail-on", "warning"], exit_code=1)


def test_check_usage_errors_exit_2(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text("HPI: back pain.", encoding="utf-8")
    invoke(["check", str(draft)], exit_code=2)  # --patient missing
    invoke(["check", str(draft), "--patient", "p1", "--bill", "not-a-code", "--db", str(tmp_path / "h.sqlite")],
           exit_code=2)


def test_bad_rows_are_reported_by_location_and_exit_2(tmp_path: Path) -> None:
    notes = tmp_path / "notes.csv"
    notes.write_text(
        "patient_id,note_id,date,text\n"
        "p1,n1,2025-01-02,HPI: Low back pain 6/10. Plan: continue home exercise.\n"
        "p1,n2,02/03/2025,HPI: SECRET-TEXT back pain 5/10.\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["scan", str(notes), "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 2
    assert "notes.csv row 3: field 'date'" in result.output
    assert "SECRET-TEXT" not in result.output
    doc = json.loads(result.output[result.output.index("{"):])
    assert doc["summary"]["rows_skipped"] == 1 and doc["summary"]["notes"] == 1


def test_rules_lists_every_family_and_documents_one() -> None:
    listing = invoke(["rules"]).output
    assert all(code in listing for code in ("DC101", "DC201", "DC301"))
    doc = invoke(["rules", "DC101"]).output
    assert "What it flags" in doc and "How to fix" in doc
    rows = json.loads(invoke(["rules", "--format", "json"]).output)
    assert {"code", "name", "severity", "summary", "source"} <= set(rows[0])


def test_unknown_rule_and_bad_config_exit_2(tmp_path: Path) -> None:
    invoke(["rules", "DC999"], exit_code=2)
    bad = tmp_path / "driftcheck.toml"
    bad.write_text("fial_on = 'error'\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(bad), "config", "show"])
    assert result.exit_code == 2 and "fial_on" in result.output


def test_config_show_prints_effective_config(tmp_path: Path) -> None:
    cfg = tmp_path / "driftcheck.toml"
    cfg.write_text('fail_on = "warning"\n[rules.cloned-note]\nseverity = "warning"\n', encoding="utf-8")
    shown = json.loads(invoke(["--config", str(cfg), "config", "show"]).output)
    assert shown["fail_on"] == "warning"


def test_eval_extraction_json(tmp_path: Path) -> None:
    text = "She rates her pain as 7/10. She is unable to sit for more than 20 minutes."
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"text": text, "meta": {"note_id": "x"}, "spans": [
        {"start": 0, "end": 26, "label": "PAIN_SCORE", "attrs": {"value": 7, "scale": "nrs"}}]}) + "\n",
        encoding="utf-8")
    result = json.loads(invoke(["eval", "extraction", str(gold), "--json"]).output)
    assert result["labels"]["PAIN_SCORE"]["lenient"]["tp"] == 1


def test_same_note_id_for_two_patients_is_refused_not_overwritten(tmp_path: Path) -> None:
    notes = tmp_path / "notes.csv"
    notes.write_text(
        "patient_id,note_id,date,text\n"
        "pA,n1,2025-01-02,HPI: Low back pain 6/10. Plan: continue home exercise.\n"
        "pB,n1,2025-01-03,HPI: Neck pain 4/10 after a fall. Plan: physical therapy.\n",
        encoding="utf-8",
    )
    db = tmp_path / "h.sqlite"
    result = CliRunner().invoke(cli, ["ingest", str(notes), "--db", str(db), "--no-precompute"])
    assert result.exit_code == 2 and "note_id 'n1' is already stored for another patient" in result.output
    from driftcheck.store import HistoryStore

    with HistoryStore(db) as store:
        assert store.note("n1").patient_id == "pA" and store.notes_for("pB") == []


def test_scan_with_db_reports_only_the_export_patients(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    invoke(["ingest", str(DEMO), "--db", str(db), "--no-precompute"])
    one = tmp_path / "one.csv"
    one.write_text("patient_id,note_id,date,text\nq9,q9-1,2025-01-02,HPI: Low back pain 6/10 for 4 months.\n",
                   encoding="utf-8")
    doc = json.loads(invoke(["scan", str(one), "--db", str(db), "--format", "json", "--select", "DC1"]).output)
    assert doc["summary"]["patients"] == 1


@pytest.mark.parametrize(("bill", "code", "mods", "units"), [
    ("99214:25", "99214", ("25",), 1), ("99214:25x2", "99214", ("25",), 2), ("64493:50;rt", "64493", ("50", "RT"), 1),
    ("20553x1", "20553", (), 1), ("g3003X3", "G3003", (), 3),
])
def test_bill_option_parses_code_modifiers_and_units(bill: str, code: str, mods: tuple, units: int) -> None:
    from datetime import date

    from driftcheck.cli import _parse_bill

    (line,) = _parse_bill((bill,), "p1", date(2025, 1, 1), "d1")
    assert (line.code, line.modifiers, line.units) == (code, mods, units)


def test_check_refuses_a_missing_store_and_warns_on_empty_history(demo_db: Path, tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text("HPI: Low back pain 6/10.", encoding="utf-8")
    missing = invoke(["check", str(draft), "--patient", "p01", "--db", str(tmp_path / "nope.sqlite")], exit_code=2)
    assert "does not exist" in missing.output and not (tmp_path / "nope.sqlite").exists()
    result = CliRunner().invoke(cli, ["check", str(draft), "--patient", "P01", "--db", str(demo_db)])
    assert "no stored notes for patient 'P01'" in result.stderr


def test_scan_of_a_fhir_bundle_reads_its_claims_too() -> None:
    bundle = Path(__file__).resolve().parent / "ingest" / "data" / "fhir_bundle.json"
    result = CliRunner().invoke(cli, ["scan", str(bundle), "--format", "json", "--no-progress"])
    doc = json.loads(result.stdout)
    assert doc["summary"]["claim_lines"] >= 1 and doc["claims"]
    assert result.exit_code == 2  # the fixture holds deliberately bad resources
