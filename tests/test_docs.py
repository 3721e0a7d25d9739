"""Rule documentation comes from the code; these meta-tests keep it complete and true."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from driftcheck.rules.base import DOC_SECTIONS
from driftcheck.rules.registry import all_rules

REPO = Path(__file__).resolve().parents[1]
RULES = list(all_rules().values())


def test_there_are_rules_in_every_family() -> None:
    families = {r.code[:3] for r in RULES}
    assert families == {"DC1", "DC2", "DC3"}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_identity_and_docs(rule) -> None:
    assert re.fullmatch(r"DC[123]\d\d", rule.code)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name), rule.name
    assert rule.source.strip(), f"{rule.code} has no source"
    doc = rule.doc()
    assert rule.summary() and len(rule.summary()) < 120
    for section in DOC_SECTIONS:
        assert section in doc, f"{rule.code} docstring lacks section '{section}'"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_is_in_the_catalogue(rule) -> None:
    catalogue = (REPO / "docs" / "finding-codes.md").read_text(encoding="utf-8")
    assert f"| {rule.code} | {rule.name} |" in catalogue


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_has_pass_and_fail_cases(rule) -> None:
    path = REPO / "tests" / "rules" / "cases" / f"{rule.code}.toml"
    if not path.exists():
        pytest.fail(f"{rule.code}: no case file tests/rules/cases/{rule.code}.toml")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    expects = {case.get("expect") for case in data.get("case", data.get("cases", []))}
    assert expects == {"pass", "fail"}, f"{path.name} needs both pass and fail cases (has {sorted(map(str, expects))})"


def test_readme_lists_every_rule() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [r.code for r in RULES if r.code not in readme]
    assert not missing, f"README rule table lacks {missing}"
