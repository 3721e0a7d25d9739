"""Billing rule packs: per-code-family requirements, declared in TOML and validated on load.

Payer requirements change by payer, MAC and date, and every number has a source of a different
strength (payer-rules.md grades them P/S/K). Keeping them as data next to their source id,
grade, confidence and effective dates lets a reviewer audit a rule without reading Python, and
lets a practice override a payer's numbers in config instead of patching code. The DC3xx rules
(``billing*.py``) hold only small generic checkers that read these packs.

Packs live inside the package (``driftcheck/rules/packs/*.toml``) and are read with
:mod:`importlib.resources` and :mod:`tomllib`. Unknown keys, wrong types, unknown parameter
references and duplicate names fail loudly with the file and entry named.

Parameters (conservative-care weeks, sessions per 12 months, relief thresholds, windows) have
pack defaults; :func:`resolve_params` overlays a user's ``[tool.driftcheck.payers.<name>]``
tables for the claim's payer.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

from driftcheck.errors import ConfigError, DataFileError

#: Evidence grades as payer-rules.md §0 defines them (combinations as the reference writes them).
GRADES = frozenset({"P", "S", "K", "P/S", "S/K"})
#: Confidence labels as payer-rules.md writes them.
CONFIDENCES = frozenset({"High", "Med-High", "Med", "Low-Med", "Med-Low", "Low", "Unconfirmed"})
#: Key under ``[tool.driftcheck.payers]`` whose values apply to every payer.
DEFAULT_PAYER = "default"

_TOP_KEYS = frozenset({"family", "title", "description", "code_groups", "patterns", "regions", "addons",
                       "params", "requirements", "payer_examples"})
_PARAM_KEYS = frozenset({"default", "description"})
_REQUIREMENT_KEYS = frozenset({"id", "rule", "codes", "summary", "source", "source_ids", "grade",
                               "confidence", "effective_from", "effective_to", "params"})
_EXAMPLE_KEYS = frozenset({"payer", "source", "confidence", "note", "params"})
_RULE_RE = re.compile(r"^DC3\d\d$")
_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_SOURCE_ID_RE = re.compile(r"^S\d+$")


@dataclass(frozen=True, slots=True)
class Param:
    """A payer parameter a user may override (a threshold, a count, a window, a list)."""

    name: str
    default: Any
    description: str
    family: str


@dataclass(frozen=True, slots=True)
class Requirement:
    """One payer requirement: what it demands, where that comes from, and when it applies.

    Attributes:
        id: stable kebab-case id (``esi-frequency``).
        rule: the DC3xx code that checks it.
        codes: billed codes it applies to.
        summary: one sentence, plain English.
        source: the governing document(s): LCD / billing article / NCCI / PFS rule.
        source_ids: payer-rules.md §1 source ids (``S7``) for the audit trail.
        grade: evidence grade (P/S/K) as payer-rules.md gives it.
        confidence: High/Med/Low as payer-rules.md gives it.
        effective_from: first date of service the requirement applies to.
        effective_to: last date of service it applies to, or None while in force.
        params: names of the parameters the check reads.
    """

    id: str
    rule: str
    codes: tuple[str, ...]
    summary: str
    source: str
    source_ids: tuple[str, ...]
    grade: str
    confidence: str
    effective_from: date
    effective_to: date | None = None
    params: tuple[str, ...] = ()
    family: str = ""

    def in_effect(self, day: date) -> bool:
        """Whether a service on ``day`` falls inside the requirement's effective range."""
        if day < self.effective_from:
            return False
        return self.effective_to is None or day <= self.effective_to


@dataclass(frozen=True, slots=True)
class PayerExample:
    """A documented commercial payer variant (payer-rules.md §8): data for users to copy."""

    payer: str
    params: Mapping[str, Any]
    source: str
    confidence: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Pack:
    """One code family's pack (``epidural.toml`` ...)."""

    family: str
    title: str
    description: str
    code_groups: Mapping[str, tuple[str, ...]]
    patterns: Mapping[str, tuple[str, ...]]
    regions: Mapping[str, str]
    addons: Mapping[str, tuple[str, ...]]
    params: Mapping[str, Param]
    requirements: tuple[Requirement, ...]
    payer_examples: tuple[PayerExample, ...] = ()


@dataclass(frozen=True, slots=True)
class PackSet:
    """Every pack, with lookups across families (codes, regions, params, requirements)."""

    packs: Mapping[str, Pack]
    _groups: Mapping[str, frozenset[str]] = field(default_factory=dict)
    _group_lists: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    _patterns: Mapping[str, re.Pattern[str]] = field(default_factory=dict)
    _regions: Mapping[str, str] = field(default_factory=dict)
    _addons: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    _params: Mapping[str, Param] = field(default_factory=dict)
    _requirements: Mapping[str, Requirement] = field(default_factory=dict)

    def group(self, name: str) -> frozenset[str]:
        """A declared code group (or word list) by name, as a set."""
        try:
            return self._groups[name]
        except KeyError:
            raise DataFileError(f"rule packs: no code group {name!r}") from None

    def group_list(self, name: str) -> tuple[str, ...]:
        """A declared group in its declared order (for ordered pattern lists)."""
        self.group(name)
        return self._group_lists[name]

    def pattern(self, name: str) -> re.Pattern[str]:
        """A declared list of regular expressions, compiled into one case-insensitive pattern."""
        try:
            return self._patterns[name]
        except KeyError:
            raise DataFileError(f"rule packs: no pattern list {name!r}") from None

    def region(self, code: str) -> str | None:
        """The spinal region a code treats (``cervicothoracic``/``lumbosacral``), if declared."""
        return self._regions.get(code)

    def addon_primaries(self, code: str) -> tuple[str, ...]:
        """Primary codes an add-on code needs on the same day (empty if not an add-on)."""
        return self._addons.get(code, ())

    @property
    def addons(self) -> Mapping[str, tuple[str, ...]]:
        """Every add-on code and its primaries."""
        return self._addons

    def param(self, name: str) -> Param:
        """A declared parameter by name."""
        try:
            return self._params[name]
        except KeyError:
            raise DataFileError(f"rule packs: no parameter {name!r}") from None

    @property
    def params(self) -> Mapping[str, Param]:
        """Every declared parameter by name."""
        return self._params

    def requirement(self, req_id: str) -> Requirement:
        """A requirement by id."""
        try:
            return self._requirements[req_id]
        except KeyError:
            raise DataFileError(f"rule packs: no requirement {req_id!r}") from None

    def requirements_for(self, rule: str) -> list[Requirement]:
        """Every requirement a rule code checks, in pack order."""
        return [r for r in self._requirements.values() if r.rule == rule]

    def defaults(self) -> dict[str, Any]:
        """Parameter defaults by name (fresh copies, safe to mutate)."""
        return {name: _copy(p.default) for name, p in self._params.items()}

    def examples(self) -> dict[str, dict[str, Any]]:
        """The documented payer examples, merged per payer, in the shape of config overrides."""
        out: dict[str, dict[str, Any]] = {}
        for pack in self.packs.values():
            for ex in pack.payer_examples:
                out.setdefault(ex.payer, {}).update({k: _copy(v) for k, v in ex.params.items()})
        return out


# --------------------------------------------------------------------------------------- loading


def load_pack_text(text: str, source: str) -> Pack:
    """Parse and validate one pack from TOML text.

    Args:
        text: the TOML document.
        source: file name used in error messages.

    Raises:
        DataFileError: naming ``source`` and the offending entry.
    """
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(f"{source}: not valid TOML ({exc})") from None
    return _validate_pack(raw, source)


@lru_cache(maxsize=1)
def load_packs() -> PackSet:
    """Load and validate every packaged pack once per process."""
    folder = resources.files("driftcheck.rules") / "packs"
    packs: list[Pack] = []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".toml"):
            packs.append(load_pack_text(entry.read_text(encoding="utf-8"), f"packs/{entry.name}"))
    return build_packset(packs)


def build_packset(packs: Sequence[Pack]) -> PackSet:
    """Combine packs, rejecting names declared twice (families, groups, params, requirements).

    Raises:
        DataFileError: on duplicates or on a requirement naming an undeclared parameter.
    """
    by_family: dict[str, Pack] = {}
    groups: dict[str, frozenset[str]] = {}
    group_lists: dict[str, tuple[str, ...]] = {}
    patterns: dict[str, re.Pattern[str]] = {}
    regions: dict[str, str] = {}
    addons: dict[str, tuple[str, ...]] = {}
    params: dict[str, Param] = {}
    requirements: dict[str, Requirement] = {}
    for pack in packs:
        where = f"pack {pack.family!r}"
        if pack.family in by_family:
            raise DataFileError(f"{where}: family declared twice")
        by_family[pack.family] = pack
        for name, codes in pack.code_groups.items():
            if name in groups:
                raise DataFileError(f"{where}: code group {name!r} also declared in another pack")
            groups[name], group_lists[name] = frozenset(codes), codes
        for name, regexes in pack.patterns.items():
            if name in patterns:
                raise DataFileError(f"{where}: pattern list {name!r} also declared in another pack")
            patterns[name] = re.compile("|".join(f"(?:{r})" for r in regexes), re.IGNORECASE)
        for code, region in pack.regions.items():
            if regions.get(code, region) != region:
                raise DataFileError(f"{where}: region of {code} conflicts with another pack")
            regions[code] = region
        for code, primaries in pack.addons.items():
            if code in addons:
                raise DataFileError(f"{where}: add-on {code} also declared in another pack")
            addons[code] = primaries
        for name, param in pack.params.items():
            if name in params:
                raise DataFileError(f"{where}: parameter {name!r} also declared in pack {params[name].family!r}")
            params[name] = param
        for req in pack.requirements:
            if req.id in requirements:
                raise DataFileError(f"{where}: requirement {req.id!r} declared twice")
            requirements[req.id] = req
    for req in requirements.values():
        for name in req.params:
            if name not in params:
                raise DataFileError(f"pack {req.family!r} requirement {req.id!r}: unknown parameter {name!r}")
    for pack in packs:
        for ex in pack.payer_examples:
            for name, value in ex.params.items():
                _check_override(params, name, value, f"pack {pack.family!r} payer_examples {ex.payer!r}",
                                DataFileError)
    return PackSet(
        packs=MappingProxyType(by_family),
        _groups=MappingProxyType(groups),
        _group_lists=MappingProxyType(group_lists),
        _patterns=MappingProxyType(patterns),
        _regions=MappingProxyType(regions),
        _addons=MappingProxyType(addons),
        _params=MappingProxyType(params),
        _requirements=MappingProxyType(requirements),
    )


def _validate_pack(raw: dict[str, Any], source: str) -> Pack:
    _keys(raw, _TOP_KEYS, source)
    family = _str(raw, "family", source)
    if not _NAME_RE.match(family):
        raise DataFileError(f"{source}: 'family' must be snake_case (got {family!r})")

    groups: dict[str, tuple[str, ...]] = {}
    for name, codes in _table(raw, "code_groups", source).items():
        groups[name] = _str_list(codes, f"{source} code_groups.{name}")
    patterns: dict[str, tuple[str, ...]] = {}
    for name, regexes in _table(raw, "patterns", source).items():
        patterns[name] = _str_list(regexes, f"{source} patterns.{name}")
        for i, regex in enumerate(patterns[name]):
            try:
                re.compile(regex)
            except re.error as exc:
                raise DataFileError(f"{source} patterns.{name}[{i}]: bad regular expression ({exc})") from None
    regions = {code: _as_str(v, f"{source} regions.{code}")
               for code, v in _table(raw, "regions", source).items()}
    addons = {code: _str_list(v, f"{source} addons.{code}")
              for code, v in _table(raw, "addons", source).items()}

    params: dict[str, Param] = {}
    for name, entry in _table(raw, "params", source).items():
        where = f"{source} params.{name}"
        if not _NAME_RE.match(name):
            raise DataFileError(f"{where}: parameter names are snake_case")
        if not isinstance(entry, dict):
            raise DataFileError(f"{where}: must be a table with 'default' and 'description'")
        _keys(entry, _PARAM_KEYS, where)
        if "default" not in entry:
            raise DataFileError(f"{where}: missing 'default'")
        _check_value_type(entry["default"], where)
        params[name] = Param(name, _freeze(entry["default"]), _str(entry, "description", where), family)

    requirements = tuple(_requirement(entry, f"{source} requirements[{i}]", family, params)
                         for i, entry in enumerate(_array(raw, "requirements", source)))
    examples: list[PayerExample] = []
    for i, entry in enumerate(_array(raw, "payer_examples", source)):
        where = f"{source} payer_examples[{i}]"
        _keys(entry, _EXAMPLE_KEYS, where)
        conf = _str(entry, "confidence", where)
        if conf not in CONFIDENCES:
            raise DataFileError(f"{where}: confidence {conf!r} not one of {sorted(CONFIDENCES)}")
        ex_params = entry.get("params", {})
        if not isinstance(ex_params, dict):
            raise DataFileError(f"{where}: 'params' must be a table")
        examples.append(PayerExample(_str(entry, "payer", where), MappingProxyType(dict(ex_params)),
                                     _str(entry, "source", where), conf, str(entry.get("note", ""))))
    return Pack(
        family=family,
        title=_str(raw, "title", source),
        description=str(raw.get("description", "")),
        code_groups=MappingProxyType(groups),
        patterns=MappingProxyType(patterns),
        regions=MappingProxyType(regions),
        addons=MappingProxyType(addons),
        params=MappingProxyType(params),
        requirements=requirements,
        payer_examples=tuple(examples),
    )


def _requirement(entry: Any, where: str, family: str, params: Mapping[str, Param]) -> Requirement:
    if not isinstance(entry, dict):
        raise DataFileError(f"{where}: must be a table")
    if isinstance(entry.get("id"), str):
        where = f"{where} ({entry['id']})"
    _keys(entry, _REQUIREMENT_KEYS, where)
    req_id = _str(entry, "id", where)
    rule = _str(entry, "rule", where)
    if not _RULE_RE.match(rule):
        raise DataFileError(f"{where}: 'rule' must be a DC3xx code (got {rule!r})")
    grade, conf = _str(entry, "grade", where), _str(entry, "confidence", where)
    if grade not in GRADES:
        raise DataFileError(f"{where}: grade {grade!r} not one of {sorted(GRADES)}")
    if conf not in CONFIDENCES:
        raise DataFileError(f"{where}: confidence {conf!r} not one of {sorted(CONFIDENCES)}")
    source_ids = _str_list(entry.get("source_ids", []), f"{where} source_ids")
    bad = [s for s in source_ids if not _SOURCE_ID_RE.match(s)]
    if bad:
        raise DataFileError(f"{where}: source_ids must look like 'S7' (got {bad})")
    start, end = entry.get("effective_from"), entry.get("effective_to")
    if not isinstance(start, date):
        raise DataFileError(f"{where}: 'effective_from' must be a TOML date (YYYY-MM-DD)")
    if end is not None and (not isinstance(end, date) or end < start):
        raise DataFileError(f"{where}: 'effective_to' must be a TOML date on or after effective_from")
    req_params = _str_list(entry.get("params", []), f"{where} params")
    return Requirement(
        id=req_id, rule=rule, codes=_str_list(entry.get("codes"), f"{where} codes"),
        summary=_str(entry, "summary", where), source=_str(entry, "source", where),
        source_ids=source_ids, grade=grade, confidence=conf, effective_from=start,
        effective_to=end, params=req_params, family=family,
    )


# -------------------------------------------------------------------------------------- params


def pack_defaults() -> dict[str, Any]:
    """Every packaged parameter's default, by name."""
    return load_packs().defaults()


def example_overrides() -> dict[str, dict[str, Any]]:
    """The documented payer variants (payer-rules.md §8) in ``[tool.driftcheck.payers]`` shape.

    They are examples, not defaults: nothing applies them unless a user copies them into config.
    """
    return load_packs().examples()


def resolve_params(
    pack_defaults: Mapping[str, Any],
    overrides: Mapping[str, Any] | None,
    payer: str | None,
) -> dict[str, Any]:
    """The parameters rules should read for one claim's payer.

    Order (later wins): pack defaults, ``overrides["default"]`` (applies to every payer), then
    ``overrides[<payer>]``. Payer names match case-insensitively, and parameter keys may be
    written kebab-case as TOML users expect (``esi-sessions-per-12-months``). Table-valued
    parameters (``em_time_minutes``) merge key by key so a payer can change one level.

    Args:
        pack_defaults: :func:`pack_defaults` (or a test's own table).
        overrides: the plain ``[tool.driftcheck.payers]`` table: payer name -> parameter table.
        payer: the claim's (or note's) payer, or None.

    Returns:
        A new dict of every parameter.

    Raises:
        ConfigError: an override names an unknown parameter or has the wrong type; the message
            names the payer table and key.
    """
    out = {k: _copy(v) for k, v in pack_defaults.items()}
    if not overrides:
        return out
    if not isinstance(overrides, Mapping):
        raise ConfigError("[tool.driftcheck.payers] must be a table of payer tables")
    by_lower = {str(k).lower(): k for k in overrides}
    keys = [DEFAULT_PAYER]
    if payer and payer.lower() != DEFAULT_PAYER:
        keys.append(payer.lower())
    for key in keys:
        if key not in by_lower:
            continue
        table = overrides[by_lower[key]]
        where = f"[tool.driftcheck.payers.{by_lower[key]}]"
        if not isinstance(table, Mapping):
            raise ConfigError(f"{where} must be a table of parameter = value")
        for raw_name, value in table.items():
            name = str(raw_name).replace("-", "_")
            _check_override(pack_defaults, name, value, where, ConfigError)
            if isinstance(out[name], Mapping):
                merged = dict(out[name])
                merged.update(value)
                out[name] = merged
            else:
                out[name] = _copy(value)
    return out


def overridden_params(overrides: Mapping[str, Any] | None, payer: str | None) -> frozenset[str]:
    """Names of the parameters a user's ``[payers]`` tables set for ``payer``.

    Rules need to know which values were *set* (not merely equal to the pack default) so that an
    explicit payer setting wins over a rule option even when it repeats the default. Call after
    :func:`resolve_params` has validated the same tables.
    """
    if not overrides or not isinstance(overrides, Mapping):
        return frozenset()
    wanted = {DEFAULT_PAYER} | ({payer.lower()} if payer else set())
    names: set[str] = set()
    for key, table in overrides.items():
        if str(key).lower() in wanted and isinstance(table, Mapping):
            names.update(str(name).replace("-", "_") for name in table)
    return frozenset(names)


def _check_override(defaults: Mapping[str, Any], name: str, value: Any, where: str,
                    error: type[ConfigError] | type[DataFileError]) -> None:
    if name not in defaults:
        raise error(f"{where}: unknown parameter {name!r}; known: {', '.join(sorted(defaults))}")
    default = defaults[name]
    default = default.default if isinstance(default, Param) else default
    if isinstance(default, bool) or isinstance(value, bool):
        ok = isinstance(default, bool) and isinstance(value, bool)
    elif isinstance(default, int | float):
        ok = isinstance(value, int | float) and value >= 0
    elif isinstance(default, str):
        ok = isinstance(value, str)
    elif isinstance(default, tuple | list):
        ok = isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)
    elif isinstance(default, Mapping):
        ok = isinstance(value, Mapping) and all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in value.values())
    else:
        ok = False
    if not ok:
        raise error(f"{where}: parameter {name!r} expects a value like {_plain(default)!r} "
                    f"(got {type(value).__name__})")


# ------------------------------------------------------------------------------------- helpers


def _keys(entry: Mapping[str, Any], allowed: frozenset[str], where: str) -> None:
    unknown = set(entry) - allowed
    if unknown:
        raise DataFileError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(allowed)}")


def _str(entry: Mapping[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise DataFileError(f"{where}: '{key}' must be a non-empty string")
    return value


def _as_str(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise DataFileError(f"{where}: must be a string")
    return value


def _str_list(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataFileError(f"{where}: must be a list of strings")
    return tuple(value)


def _table(raw: Mapping[str, Any], key: str, where: str) -> dict[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise DataFileError(f"{where}: '{key}' must be a table")
    return value


def _array(raw: Mapping[str, Any], key: str, where: str) -> list[dict[str, Any]]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise DataFileError(f"{where}: '{key}' must be an array of tables ([[{key}]])")
    return value


def _check_value_type(value: Any, where: str) -> None:
    if isinstance(value, bool | int | float | str):
        return
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return
    if isinstance(value, dict) and all(isinstance(v, int | float) for v in value.values()):
        return
    raise DataFileError(f"{where}: 'default' must be a number, bool, string, list of strings "
                        "or a table of numbers")


def _freeze(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, dict):
        return MappingProxyType(dict(value))
    return value


def _copy(value: Any) -> Any:
    """Mutable copies for callers (params dicts are handed to users and config code)."""
    if isinstance(value, list | tuple):
        return list(value)
    if isinstance(value, Mapping):
        return dict(value)
    return value


def _plain(value: Any) -> Any:
    return _copy(value)
