"""Rule packs: packaged packs load and validate; bad packs fail naming file and entry."""

from __future__ import annotations

from datetime import date

import pytest

from driftcheck.errors import ConfigError, DataFileError
from driftcheck.rules import billing
from driftcheck.rules.packs import (
    CONFIDENCES,
    GRADES,
    build_packset,
    example_overrides,
    load_pack_text,
    load_packs,
    pack_defaults,
    resolve_params,
)

FAMILIES = {"chronic_pain", "epidural", "facet", "trigger_point", "em", "imaging"}

GOOD = """
family = "demo"
title = "Demo"
[code_groups]
demo = ["99999"]
[params.demo_weeks]
default = 4
description = "Weeks."
[[requirements]]
id = "demo-req"
rule = "DC399"
codes = ["99999"]
summary = "Demo."
source = "LCD L00000"
source_ids = ["S7"]
grade = "S"
confidence = "High"
effective_from = 2024-01-01
params = ["demo_weeks"]
"""


def test_packaged_packs_load_one_per_family() -> None:
    packs = load_packs()
    assert set(packs.packs) == FAMILIES


def test_every_requirement_is_sourced_graded_and_dated() -> None:
    packs = load_packs()
    for pack in packs.packs.values():
        for req in pack.requirements:
            assert req.source and req.source_ids, req.id
            assert req.grade in GRADES and req.confidence in CONFIDENCES, req.id
            assert isinstance(req.effective_from, date), req.id


def test_every_billing_rule_but_orphans_has_a_requirement_and_vice_versa() -> None:
    packs = load_packs()
    rules = {r.code for r in billing.RULES} - {"DC301"}
    declared = {req.rule for pack in packs.packs.values() for req in pack.requirements}
    assert rules == declared
    for rule in billing.RULES:
        for req_id in getattr(rule, "requirements", ()):
            assert packs.requirement(req_id).rule == rule.code


def test_rule_options_default_to_pack_params() -> None:
    defaults = pack_defaults()
    for rule in billing.RULES:
        opts = rule.Options()
        for f in rule.option_fields():
            name = f.metadata.get("param")
            if name is None:  # a behaviour switch, not a payer parameter
                assert f.name == "count_carried_forward", (rule.code, f.name)
                continue
            assert name in defaults, (rule.code, f.name)
            value = getattr(opts, f.name)
            assert (list(value) if isinstance(value, tuple) else value) == defaults[name]


def test_documented_medicare_numbers() -> None:
    d = pack_defaults()
    assert d["esi_sessions_per_12_months"] == 4 and d["esi_conservative_care_weeks"] == 4
    assert d["facet_diagnostic_relief_pct"] == 80 and d["facet_rfa_sessions_per_12_months"] == 2
    assert d["tpi_sessions_per_12_months"] == 3 and d["cpm_min_minutes"] == 30
    assert d["em_time_minutes"]["99213"] == 20 and d["em_time_minutes"]["99215"] == 40


def test_addon_map_and_regions() -> None:
    packs = load_packs()
    assert packs.addon_primaries("64494") == ("64493",)
    assert packs.addon_primaries("64493") == ()
    assert packs.region("62321") == "cervicothoracic" and packs.region("64635") == "lumbosacral"


def test_good_pack_text_loads() -> None:
    pack = load_pack_text(GOOD, "demo.toml")
    assert pack.requirements[0].in_effect(date(2024, 1, 1))
    assert not pack.requirements[0].in_effect(date(2023, 12, 31))


@pytest.mark.parametrize(
    ("edit", "needle"),
    [
        (lambda t: t.replace('title = "Demo"', 'title = "Demo"\ncolour = "red"'), "demo.toml: unknown key(s) ['colour']"),
        (lambda t: t.replace('params = ["demo_weeks"]', 'params = ["demo_weeks"]\nseverity = "error"'),
         "requirements[0] (demo-req): unknown key(s) ['severity']"),
        (lambda t: t.replace('grade = "S"', 'grade = "Z"'), "grade 'Z'"),
        (lambda t: t.replace('confidence = "High"', 'confidence = "Sure"'), "confidence 'Sure'"),
        (lambda t: t.replace('rule = "DC399"', 'rule = "DC101"'), "DC3xx"),
        (lambda t: t.replace("effective_from = 2024-01-01", 'effective_from = "2024"'), "effective_from"),
        (lambda t: t.replace("effective_from = 2024-01-01", "effective_from = 2024-01-01\neffective_to = 2023-01-01"),
         "effective_to"),
        (lambda t: t.replace('source_ids = ["S7"]', 'source_ids = ["L39240"]'), "source_ids"),
        (lambda t: t.replace('description = "Weeks."', 'description = "Weeks."\nmax = 3'), "params.demo_weeks"),
        (lambda t: t.replace("default = 4", "default = [1, 2]"), "'default' must be"),
        (lambda t: t + "\n[[requirements]]\nid=1\n", "'id' must be"),
        (lambda t: t.replace("[[requirements]]", "requirements = 3\n[x]"), "demo.toml"),
    ],
)
def test_bad_pack_names_file_and_entry(edit, needle: str) -> None:
    with pytest.raises(DataFileError) as err:
        load_pack_text(edit(GOOD), "demo.toml")
    assert needle in str(err.value)


def test_requirement_with_unknown_param_rejected() -> None:
    pack = load_pack_text(GOOD.replace('params = ["demo_weeks"]', 'params = ["nope"]'), "demo.toml")
    with pytest.raises(DataFileError, match="unknown parameter 'nope'"):
        build_packset([pack])


def test_duplicate_param_across_packs_rejected() -> None:
    a = load_pack_text(GOOD, "a.toml")
    b = load_pack_text(GOOD.replace('family = "demo"', 'family = "other"').replace("demo-req", "other-req")
                       .replace("[code_groups]\ndemo", "[code_groups]\nother"), "b.toml")
    with pytest.raises(DataFileError, match="parameter 'demo_weeks' also declared"):
        build_packset([a, b])


# ------------------------------------------------------------------------- resolve_params


def test_resolve_params_layers_default_then_payer() -> None:
    defaults = pack_defaults()
    overrides = {"default": {"esi_sessions_per_12_months": 5}, "BCBS-MA": {"esi-sessions-per-12-months": 6}}
    assert resolve_params(defaults, overrides, None)["esi_sessions_per_12_months"] == 5
    assert resolve_params(defaults, overrides, "bcbs-ma")["esi_sessions_per_12_months"] == 6
    assert resolve_params(defaults, overrides, "aetna")["esi_sessions_per_12_months"] == 5
    assert resolve_params(defaults, {}, "bcbs-ma") == defaults


def test_resolve_params_does_not_mutate_defaults() -> None:
    defaults = pack_defaults()
    out = resolve_params(defaults, {"p": {"em_time_minutes": {"99214": 25}}}, "p")
    assert out["em_time_minutes"]["99214"] == 25 and defaults["em_time_minutes"]["99214"] == 30


@pytest.mark.parametrize(
    ("overrides", "needle"),
    [
        ({"p": {"esi_max": 6}}, "[tool.driftcheck.payers.p]: unknown parameter 'esi_max'"),
        ({"p": {"esi_sessions_per_12_months": "six"}}, "expects a value like 4"),
        ({"p": {"esi_sessions_per_12_months": True}}, "esi_sessions_per_12_months"),
        ({"p": {"esi_required_modalities": "physical_therapy"}}, "esi_required_modalities"),
        ({"p": 3}, "must be a table"),
    ],
)
def test_resolve_params_rejects_bad_overrides(overrides: dict, needle: str) -> None:
    with pytest.raises(ConfigError) as err:
        resolve_params(pack_defaults(), overrides, "p")
    assert needle in str(err.value)


def test_example_overrides_are_documented_payers() -> None:
    examples = example_overrides()
    assert examples["bcbs-ma"]["esi_sessions_per_12_months"] == 6
    assert examples["evicore"]["esi_sessions_per_12_months"] == 4
    assert "centene" in examples
    for payer in examples:
        resolve_params(pack_defaults(), examples, payer)  # every example is a valid override
