"""Layered configuration: file discovery, validation with the key named, CLI overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from driftcheck.config import Config, config_from_dict, find_config, load_config
from driftcheck.errors import ConfigError
from driftcheck.model import Severity


def test_defaults_when_no_file(tmp_path: Path) -> None:
    assert load_config(None, discover=False) == Config()


def test_pyproject_table_is_found_from_a_subdirectory(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.driftcheck]\nfail_on = "warning"\n', encoding="utf-8")
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    assert find_config(sub) == tmp_path / "pyproject.toml"
    assert load_config(tmp_path / "pyproject.toml").fail_on is Severity.WARNING


def test_driftcheck_toml_wins_over_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.driftcheck]\nfail_on = "warning"\n', encoding="utf-8")
    (tmp_path / "driftcheck.toml").write_text('fail_on = "info"\n', encoding="utf-8")
    assert find_config(tmp_path) == tmp_path / "driftcheck.toml"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"fial_on": "error"}, r"unknown key\(s\) \['fial_on'\]"),
        ({"fail_on": "fatal"}, "fail_on"),
        ({"select": 3}, "select"),
        ({"payers": {"bcbs": 1}}, "payers"),
        ({"workers": 2}, "unknown key"),
    ],
)
def test_invalid_config_names_the_key(data: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        config_from_dict(data, source="driftcheck.toml")


def test_broken_toml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "driftcheck.toml"
    path.write_text("select = [", encoding="utf-8")
    with pytest.raises(ConfigError, match="driftcheck.toml: not valid TOML"):
        load_config(path)


def test_replace_applies_cli_overrides() -> None:
    config = config_from_dict({"ignore": ["DC106"]}).replace(fail_on=Severity.INFO)
    assert config.fail_on is Severity.INFO and config.ignore == ("DC106",)
    assert config.to_dict()["fail_on"] == "info"


def test_paths_are_relative_to_the_config_file_and_typed(tmp_path: Path) -> None:
    cfg = tmp_path / "proj" / "driftcheck.toml"
    cfg.parent.mkdir()
    cfg.write_text('db = "store/h.sqlite"\nsuppressions = "reviewed.toml"\n', encoding="utf-8")
    config = load_config(cfg)
    assert config.db == cfg.parent / "store" / "h.sqlite"
    assert config.suppressions == cfg.parent / "reviewed.toml"
    with pytest.raises(ConfigError, match="'db' must be a string"):
        config_from_dict({"db": 5}, source=str(cfg))
