"""Shipped models are found in a checkout and, for a wheel install, under <prefix>/share."""

from __future__ import annotations

from pathlib import Path

import pytest

from driftcheck import shipped


def test_checkout_models_are_found_first() -> None:
    path = shipped.shipped_model("boilerplate/boilerplate.json")
    assert path == shipped.SOURCE_MODELS / "boilerplate" / "boilerplate.json"
    assert path.is_file()


def test_installed_data_files_are_found_without_a_checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    installed = tmp_path / "prefix" / "share" / "driftcheck" / "models" / "boilerplate"
    installed.mkdir(parents=True)
    (installed / "boilerplate.json").write_text("{}")
    monkeypatch.setattr(shipped, "SOURCE_MODELS", tmp_path / "no-checkout" / "models")
    monkeypatch.setattr(shipped.sysconfig, "get_path", lambda name: str(tmp_path / "prefix"))
    assert shipped.shipped_model("boilerplate/boilerplate.json") == installed / "boilerplate.json"


def test_missing_model_gives_a_path_that_does_not_exist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shipped, "SOURCE_MODELS", tmp_path / "models")
    monkeypatch.setattr(shipped.sysconfig, "get_path", lambda name: str(tmp_path / "none"))
    monkeypatch.setattr(shipped.sys, "prefix", str(tmp_path / "none"))
    assert not shipped.shipped_model("boilerplate/boilerplate.json").exists()


def test_pyproject_ships_every_model_file() -> None:
    """Every file under models/ that a loader reads is listed as a wheel data file."""
    import tomllib

    root = shipped.SOURCE_MODELS.parent
    data_files = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["data-files"]
    listed = {f for files in data_files.values() for f in files}
    on_disk = {str(p.relative_to(root)) for p in (root / "models").rglob("*") if p.is_file()}
    assert on_disk <= listed
