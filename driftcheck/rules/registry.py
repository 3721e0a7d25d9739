"""The one explicit registry of rules, and selection by code, name or prefix.

Rules are collected from the family modules' ``RULES`` lists (DC1xx cloning, DC2xx evidence,
DC3xx billing). ``get("DC101")`` and ``get("cloned-note")`` both work; selection takes prefixes
(``select = ["DC1"]``, ``ignore = ["DC105"]``) as ruff and sqlfluff do.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from driftcheck.errors import ConfigError
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
