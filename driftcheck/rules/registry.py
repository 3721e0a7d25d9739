"""The one explicit registry of rules, and selection by code, name or prefix.

Rules are collected from the family modules' ``RULES`` lists (DC1xx cloning, DC2xx evidence,
DC3xx billing). ``get("DC101")`` and ``get("cloned-note")`` both work; selection takes prefixes
(``select = ["DC1"]``, ``ignore = ["DC105"]``) as ruff and sqlfluff do.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from driftcheck.config import Config
from driftcheck.errors import ConfigError
from driftcheck.model import Severity
from driftcheck.rules.base import Rule

_CODE_RE = re.compile(r"^DC[123]\d\d$")


@lru_cache(maxsize=1)
def all_rules() -> dict[str, type[Rule]]:
    """Every registered rule class by code, in code order. Validates identity once."""
    from driftcheck.rules import billing, cloning, evidence

    rules: dict[str, type[Rule]] = {}
    names: set[str] = set()
    for module in (cloning, evidence, billing):
        for rule in module.RULES:
            if not _CODE_RE.match(rule.code):
                raise ConfigError(f"rule {rule.__name__}: code {rule.code!r} does not match DC[123]xx")
            if rule.code in rules or rule.name in names:
                raise ConfigError(f"rule {rule.__name__}: duplicate code or name {rule.code}/{rule.name}")
            rules[rule.code] = rule
            names.add(rule.name)
    return dict(sorted(rules.items()))


def get(key: str) -> type[Rule]:
    """A rule class by code (``DC101``) or name (``cloned-note``)."""
    rules = all_rules()
    if key.upper() in rules:
        return rules[key.upper()]
    for rule in rules.values():
        if rule.name == key:
            return rule
    raise ConfigError(f"unknown rule {key!r}; valid codes: {', '.join(rules)}")


def select(select: Iterable[str] = ("DC",), ignore: Iterable[str] = ()) -> list[type[Rule]]:
    """Rules whose code or name matches a ``select`` prefix and no ``ignore`` prefix."""
    rules = all_rules()
    select, ignore = list(select), list(ignore)
    for key in [*select, *ignore]:
        if not any(c.startswith(key.upper()) or r.name == key for c, r in rules.items()):
            raise ConfigError(f"select/ignore entry {key!r} matches no rule; valid codes: {', '.join(rules)}")

    def matches(code: str, rule: type[Rule], keys: list[str]) -> bool:
        return any(code.startswith(k.upper()) or rule.name == k for k in keys)

    return [r for c, r in rules.items() if matches(c, r, select) and not matches(c, r, ignore)]


def configured_rules(config: Config) -> list[Rule]:
    """Instantiate the selected, enabled rules with their configured options and severity.

    Raises:
        ConfigError: unknown rule, unknown option or an option of the wrong type, naming the
            config file and key.
    """
    settings = _rule_settings(config.rules, config.source)
    instances = []
    for rule in select(config.select, config.ignore):
        severity, enabled, options = settings.get(rule.code, (None, True, {}))
        if not enabled:
            continue
        instances.append(rule(options=dataclasses.replace(rule.Options(), **options), severity=severity))
    return instances


def _rule_settings(table: Mapping[str, Any], source: str) -> dict[str, tuple[Severity | None, bool, dict[str, Any]]]:
    """Validate ``[rules.<code-or-name>]`` tables against each rule's typed options."""
    out: dict[str, tuple[Severity | None, bool, dict[str, Any]]] = {}
    for key, values in table.items():
        where = f"{source}: rules.{key}"
        try:
            rule = get(key)
        except ConfigError as exc:
            raise ConfigError(f"{where}: {exc}") from None
        if not isinstance(values, dict):
            raise ConfigError(f"{where}: must be a table")
        fields = {f.name: f for f in rule.option_fields()}
        options: dict[str, Any] = {}
        severity: Severity | None = None
        enabled = True
        for name, value in values.items():
            if name == "severity":
                try:
                    severity = Severity.parse(value)
                except ValueError as exc:
                    raise ConfigError(f"{where}.severity: {exc}") from None
            elif name == "enabled":
                if not isinstance(value, bool):
                    raise ConfigError(f"{where}.enabled: must be true or false")
                enabled = value
            elif name in fields:
                options[name] = _coerce(value, fields[name], f"{where}.{name}")
            else:
                allowed = sorted(["severity", "enabled", *fields])
                raise ConfigError(f"{where}: unknown option '{name}'; allowed: {allowed}")
        out[rule.code] = (severity, enabled, options)
    return out


def _coerce(value: Any, fld: dataclasses.Field[Any], where: str) -> Any:
    """Check ``value`` against the option field's declared type (int accepted for float)."""
    hint = fld.type if not isinstance(fld.type, str) else _resolve(fld.type)
    origin = typing.get_origin(hint)
    allowed: tuple[type, ...]
    if origin in (typing.Union, types.UnionType):
        allowed = tuple(a for a in typing.get_args(hint) if isinstance(a, type))
    elif origin in (tuple, list):
        if not isinstance(value, list):
            raise ConfigError(f"{where}: must be a list")
        return tuple(value)
    elif isinstance(hint, type):
        allowed = (hint,)
    else:
        return value
    if float in allowed and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, allowed) or (isinstance(value, bool) and bool not in allowed):
        names = "/".join(a.__name__ for a in allowed)
        raise ConfigError(f"{where}: must be {names} (got {type(value).__name__})")
    return value


def _resolve(annotation: str) -> Any:
    namespace = {"int": int, "float": float, "str": str, "bool": bool, "tuple": tuple, "list": list,
                 "None": type(None)}
    try:
        return eval(annotation, namespace)  # noqa: S307 - annotations of our own dataclasses only
    except Exception:
        return object


