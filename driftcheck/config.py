"""Layered configuration: built-in defaults < config file < CLI flags.

The file is ``driftcheck.toml`` (top-level keys) or ``[tool.driftcheck]`` in ``pyproject.toml``,
found in the working directory or its parents, or named with ``--config``. Unknown keys and bad
types fail at load with the file and key named, because a silently ignored typo in a compliance
tool means a rule the user believes is configured is not.

Example::

    [tool.driftcheck]
    select = ["DC1", "DC2", "DC3"]
    ignore = ["DC106"]
    fail_on = "error"

    [tool.driftcheck.rules.cloned-note]      # by name or code
    severity = "warning"
    min_clinical_fraction = 0.85

    [tool.driftcheck.payers.bcbs-ma]         # payer parameter overrides (rule packs)
    esi_sessions_per_12_months = 6
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from driftcheck.errors import ConfigError
from driftcheck.model import Severity

_TOP_KEYS = {"select", "ignore", "fail_on", "db", "rules", "payers", "default_payer", "boilerplate_model",
             "suppressions"}


@dataclass(frozen=True)
class Config:
    """The effective configuration (immutable; CLI flags produce a new one via ``replace``)."""

    select: tuple[str, ...] = ("DC",)
    ignore: tuple[str, ...] = ()
    fail_on: Severity = Severity.ERROR
    db: Path | None = None
    rules: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # validated by rules.registry
    payers: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    default_payer: str | None = None
    boilerplate_model: Path | None = None
    suppressions: Path | None = None
    source: str = "<defaults>"

    def replace(self, **changes: Any) -> Config:
        """A copy with ``changes`` applied (CLI flags override the file)."""
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """The effective configuration as plain data (``driftcheck config show``)."""
        return {
            "source": self.source,
            "select": list(self.select),
            "ignore": list(self.ignore),
            "fail_on": self.fail_on.value,
            "db": str(self.db) if self.db else None,
            "default_payer": self.default_payer,
            "boilerplate_model": str(self.boilerplate_model) if self.boilerplate_model else None,
            "suppressions": str(self.suppressions) if self.suppressions else None,
            "rules": {key: dict(v) for key, v in sorted(self.rules.items())},
            "payers": {k: dict(v) for k, v in sorted(self.payers.items())},
        }


def find_config(start: Path | None = None) -> Path | None:
    """The nearest ``driftcheck.toml`` or ``pyproject.toml`` with ``[tool.driftcheck]``."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "driftcheck.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError):
                continue
            if "driftcheck" in data.get("tool", {}):
                return pyproject
    return None


def load_config(path: Path | None = None, *, discover: bool = True) -> Config:
    """Load and validate configuration.

    Args:
        path: an explicit config file (``--config``); must exist.
        discover: when no path is given, look for one from the working directory up.

    Raises:
        ConfigError: unreadable file, unknown key, bad type, unknown rule or option.
    """
    if path is None and discover:
        path = find_config()
    if path is None:
        return Config()
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("driftcheck", {})
    return config_from_dict(data, source=str(path))


def config_from_dict(data: Mapping[str, Any], source: str = "<dict>") -> Config:
    """Validate a plain mapping (the ``[tool.driftcheck]`` table) into a :class:`Config`."""
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise ConfigError(f"{source}: unknown key(s) {sorted(unknown)}; allowed: {sorted(_TOP_KEYS)}")
    select = _str_list(data, "select", source) or ("DC",)
    ignore = _str_list(data, "ignore", source)
    try:
        fail_on = Severity.parse(data.get("fail_on", "error"))
    except ValueError as exc:
        raise ConfigError(f"{source}: key 'fail_on': {exc}") from None
    rules = data.get("rules", {})
    if not isinstance(rules, dict) or not all(isinstance(v, dict) for v in rules.values()):
        raise ConfigError(f"{source}: key 'rules' must be a table of per-rule tables ([rules.<code>])")
    payers = data.get("payers", {})
    if not isinstance(payers, dict) or not all(isinstance(v, dict) for v in payers.values()):
        raise ConfigError(f"{source}: key 'payers' must be a table of tables ([payers.<name>])")
    for key in ("db", "default_payer", "boilerplate_model", "suppressions"):
        if key in data and not isinstance(data[key], str):
            raise ConfigError(f"{source}: key '{key}' must be a string")
    base = Path(source).parent if source not in ("<dict>", "<defaults>") else Path.cwd()
    return Config(
        select=select,
        ignore=ignore,
        fail_on=fail_on,
        db=_path(data.get("db"), base),
        rules=rules,
        payers={str(k).lower(): dict(v) for k, v in payers.items()},
        default_payer=data.get("default_payer"),
        boilerplate_model=_path(data.get("boilerplate_model"), base),
        suppressions=_path(data.get("suppressions"), base),
        source=source,
    )


def _path(value: str | None, base: Path) -> Path | None:
    """A path from the config file, relative to that file's folder (not the working directory)."""
    if not value:
        return None
    path = Path(value).expanduser()
    return path if path.is_absolute() else base / path


def _str_list(data: Mapping[str, Any], key: str, source: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{source}: key '{key}' must be a list of rule codes or prefixes")
    return tuple(value)
