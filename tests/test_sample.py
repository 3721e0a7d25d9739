"""Audit sampling: reproducible, strategy-true, worksheet without note text."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from driftcheck.cli import cli
from driftcheck.model import NoteRisk
from driftcheck.sample import WORKSHEET_COLUMNS, draw_sample, tier_of, write_worksheet

NOTES = [NoteRisk(f"p{i % 7}", f"n{i:03d}", date(2025, 1, 1 + i % 28), 0.1, 10, None, risk=(i * 37) % 13, findings=0)
         for i in range(60)]


def test_same_seed_same_sample_whatever_the_input_order() -> None:
    a = draw_sample(NOTES, [], [], 12, seed=5)
    b = draw_sample(NOTES[::-1], [], [], 12, seed=5)
    assert [r.note.note_id for r in a] == [r.note.note_id for r in b]
    c = draw_sample(NOTES, [], [], 12, seed=6)
    assert [r.note.note_id for r in a] != [r.note.note_id for r in c]


def test_stratified_takes_each_tier_and_risk_takes_the_top() -> None:
    rows = draw_sample(NOTES, [], [], 9, seed=1, strategy="stratified")
    assert {r.tier for r in rows} == {"high", "medium", "low"}
    top = draw_sample(NOTES, [], [], 5, seed=1, strategy="risk")
    assert [r.note.risk for r in top] == sorted((n.risk for n in NOTES), reverse=True)[:5]


def test_small_pool_and_bad_arguments() -> None:
    assert len(draw_sample(NOTES[:4], [], [], 10, seed=1)) == 4
    with pytest.raises(ValueError, match="strategy"):
        draw_sample(NOTES, [], [], 3, seed=1, strategy="worst")
    with pytest.raises(ValueError, match="positive"):
        draw_sample(NOTES, [], [], 0, seed=1)
    assert tier_of(5.0) == "high" and tier_of(2.0) == "medium" and tier_of(0.5) == "low"


def test_worksheet_has_fixed_columns_and_empty_reviewer_fields() -> None:
    out = io.StringIO()
    write_worksheet(draw_sample(NOTES, [], [], 3, seed=2), out, "stratified", 2)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert tuple(rows[0]) == WORKSHEET_COLUMNS and rows[0]["reviewer"] == "" and rows[0]["seed"] == "2"


def test_cli_sample_is_reproducible_on_the_demo(tmp_path: Path) -> None:
    demo = Path(__file__).resolve().parents[1] / "corpora" / "demo"
    outs = []
    for name in ("a.csv", "b.csv"):
        result = CliRunner().invoke(cli, ["sample", str(demo), "-n", "5", "--seed", "9", "--worksheet",
                                          str(tmp_path / name), "--no-progress"])
        assert result.exit_code == 0, result.output
        outs.append((tmp_path / name).read_text())
    assert outs[0] == outs[1] and len(outs[0].splitlines()) == 6
