"""ConText (Harkema et al. 2009) on spaCy's Matcher: negated, historical, hypothetical, family.

The algorithm, as published: trigger terms carry a category and a direction (forward,
backward, bidirectional). A trigger's scope runs from the trigger to the end (forward) or the
start (backward) of the sentence, and stops early at a termination term ("but", "however") or
at a trigger of another category. Pseudo-triggers ("no increase", "not only", "no relief") are
phrases that contain a trigger word but are not triggers; a trigger inside a pseudo-trigger is
ignored. Every target whose start lies in a scope gets the trigger's category.

Two additions, both declared in ``patterns/context_rules.json`` rather than code:

- ``allowed_types``/``excluded_types`` per rule (as medspaCy's ``ConTextRule``): "if he fails
  to improve we will order an MRI" is a conditional *order*, which ANNOTATION.md counts as
  NECESSITY, while "will start PT" is a plan that is not CONSERVATIVE_CARE.
- ``CONTINUED``: "continue", "has been taking", "refilled" mark ongoing treatment; they cancel a
  hypothetical reading of CONSERVATIVE_CARE (ANNOTATION.md: "continue X" counts).

Section kind is context too (medspaCy ``DEFAULT_ATTRS``): Family History -> family,
Past Medical/Surgical History -> historical, a plan section -> hypothetical for care.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, NamedTuple

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from driftcheck.errors import DataFileError
from driftcheck.extract.components import (
    ALL_LABELS,
    Rec,
    _ensure_extensions,
    compile_pattern,
    group_name,
    sentence_bounds,
    span_rec,
)
from driftcheck.extract.prefilter import EntryIndex, TokenMatcher

CATEGORIES = ("NEGATED_EXISTENCE", "HISTORICAL", "HYPOTHETICAL", "FAMILY", "CONTINUED")
DIRECTIONS = ("forward", "backward", "bidirectional", "pseudo", "terminate")
_RULE_KEYS = {"id", "literal", "pattern", "category", "direction", "max_scope", "allowed_types",
              "excluded_types", "comment"}
_SECTION_KEYS = {"section", "category", "allowed_types", "comment"}
_ATTR = {"NEGATED_EXISTENCE": "is_negated", "HISTORICAL": "is_historical",
         "HYPOTHETICAL": "is_hypothetical", "FAMILY": "is_family", "CONTINUED": "is_continued"}
#: Key of ``doc.user_data`` holding the section kind of a block Doc (set by the Extractor).
SECTION_KEY = "dc_section"


@dataclass(frozen=True)
class ConTextRule:
    """One trigger, pseudo-trigger or termination term."""

    id: str
    category: str
    direction: str
    pattern: tuple[dict[str, Any], ...]
    max_scope: int | None = None
    allowed_types: frozenset[str] | None = None
    excluded_types: frozenset[str] = frozenset()
    #: further token patterns of the same rule (``"pattern": ["prior to", "years ago"]``)
    alternatives: tuple[tuple[dict[str, Any], ...], ...] = ()

    @property
    def patterns(self) -> list[list[dict[str, Any]]]:
        """Every token pattern of the rule (the first one and its alternatives)."""
        return [list(self.pattern), *(list(p) for p in self.alternatives)]

    def applies_to(self, label: str) -> bool:
        """Whether this rule may modify a target of ``label``."""
        if label in self.excluded_types:
            return False
        return self.allowed_types is None or label in self.allowed_types


@dataclass(frozen=True)
class SectionRule:
    """A section kind that gives every target in it a category (for some labels)."""

    section: str
    category: str
    allowed_types: frozenset[str] | None = None


@dataclass(frozen=True)
class ConTextRules:
    """The validated rules file."""

    rules: tuple[ConTextRule, ...]
    sections: tuple[SectionRule, ...]


def _types(value: Any, where: str, key: str) -> frozenset[str] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(v in ALL_LABELS for v in value):
        raise DataFileError(f"{where}: '{key}' must be a list of labels from {list(ALL_LABELS)}")
    return frozenset(value)


def load_rules(raw: Any = None, source: str = "context_rules.json") -> ConTextRules:
    """Validate a ConText rules object (the packaged file when ``raw`` is None).

    Raises:
        DataFileError: naming the file and the entry index of the first problem.
    """
    if raw is None:
        path = resources.files("driftcheck.extract") / "patterns" / source
        raw = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict) or not isinstance(raw.get("rules"), list):
        raise DataFileError(f"{source}: top level must be an object with a 'rules' list")
    rules: list[ConTextRule] = []
    seen: set[str] = set()
    for i, entry in enumerate(raw["rules"]):
        where = f"{source} rules[{i}]"
        if not isinstance(entry, dict):
            raise DataFileError(f"{where}: must be an object")
        unknown = set(entry) - _RULE_KEYS
        if unknown:
            raise DataFileError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(_RULE_KEYS)}")
        category, direction = entry.get("category"), entry.get("direction")
        if category not in CATEGORIES:
            raise DataFileError(f"{where}: category must be one of {list(CATEGORIES)}")
        if direction not in DIRECTIONS:
            raise DataFileError(f"{where}: direction must be one of {list(DIRECTIONS)}")
        spec = entry.get("pattern", entry.get("literal"))
        # a list of compact strings (or of token lists) is a list of alternatives: the compact
        # syntax has no multi-word alternation ("prior to|years ago" is four token specs)
        specs = spec if isinstance(spec, list) and spec and all(isinstance(p, (str, list)) for p in spec) else [spec]
        try:
            compiled = [tuple(compile_pattern(p)) for p in specs]
        except (ValueError, TypeError) as exc:
            raise DataFileError(f"{where}: bad pattern ({exc})") from None
        pattern, alternatives = compiled[0], tuple(compiled[1:])
        rid = entry.get("id") or f"{category.lower()}:{entry.get('literal', i)}"
        if rid in seen:
            raise DataFileError(f"{where}: duplicate id {rid!r}")
        seen.add(rid)
        max_scope = entry.get("max_scope")
        if max_scope is not None and (not isinstance(max_scope, int) or max_scope < 1):
            raise DataFileError(f"{where}: max_scope must be a positive integer")
        rules.append(ConTextRule(rid, category, direction, pattern, max_scope,
                                 _types(entry.get("allowed_types"), where, "allowed_types"),
                                 _types(entry.get("excluded_types"), where, "excluded_types") or frozenset(),
                                 alternatives))
    sections: list[SectionRule] = []
    for i, entry in enumerate(raw.get("sections", [])):
        where = f"{source} sections[{i}]"
        if not isinstance(entry, dict) or set(entry) - _SECTION_KEYS:
            raise DataFileError(f"{where}: must be an object with keys from {sorted(_SECTION_KEYS)}")
        if entry.get("category") not in CATEGORIES or not isinstance(entry.get("section"), str):
            raise DataFileError(f"{where}: needs 'section' and a 'category' from {list(CATEGORIES)}")
        sections.append(SectionRule(entry["section"], entry["category"],
                                    _types(entry.get("allowed_types"), where, "allowed_types")))
    return ConTextRules(tuple(rules), tuple(sections))


@lru_cache(maxsize=1)
def packaged_rules() -> ConTextRules:
    """The packaged rules, loaded and validated once per process."""
    return load_rules()


class ConText:
    """The ConText component: modifies every target span in the ``dc_<label>`` groups.

    Sets ``span._.is_negated`` / ``is_historical`` / ``is_hypothetical`` / ``is_family`` /
    ``is_continued`` and ``span._.dc_modifiers`` (ids of the rules that applied, for
    ``--explain``).
    """

    def __init__(self, nlp: Language, name: str = "driftcheck_context", rules: ConTextRules | None = None) -> None:
        _ensure_extensions()
        self.rules = rules or packaged_rules()
        self.by_id = {r.id: r for r in self.rules.rules}
        checker = Matcher(nlp.vocab)  # validates the patterns; matching runs on the predicate memo
        self.matcher = TokenMatcher(nlp.vocab)
        for rule in self.rules.rules:
            checker.add(rule.id, rule.patterns)
            self.matcher.add(rule.id, rule.patterns)
        self.index = EntryIndex(self.matcher)

    def modifiers(self, doc: Doc) -> list[tuple[ConTextRule, Span]]:
        """Trigger and termination matches after pseudo-trigger removal and overlap resolution."""
        return [(rule, Span(doc, s, e, label=rule.id)) for rule, s, e in self._modifiers(doc)]

    def _modifiers(self, doc: Doc) -> list[tuple[ConTextRule, int, int]]:
        """:meth:`modifiers` as ``(rule, start, end)``."""
        cands = self.index.candidates(doc)
        if not cands:
            return []
        by_id = self.by_id
        found = [(by_id[rid], s, e) for rid, s, e in self.matcher(doc, self.index.keys(cands))]
        pseudo = [(s, e) for rule, s, e in found if rule.direction == "pseudo"]
        kept = [_Trigger(rule, s, e) for rule, s, e in found
                if rule.direction != "pseudo" and not any(ps <= s and e <= pe for ps, pe in pseudo)]
        # overlap resolution keeps the longest trigger; rules matching exactly the same words
        # ("encouraged": a plan for care, advice for function) all stay, each for its own labels
        chosen = {(t.start, t.end) for t in filter_spans(kept)}
        return [(t.rule, t.start, t.end) for t in kept if (t.start, t.end) in chosen]

    def __call__(self, doc: Doc) -> Doc:
        targets = [span_rec(span) for label in ALL_LABELS for span in doc.spans.get(group_name(label), [])]
        # NECESSITY condition cues stand for a statement in a history section (see statements.py)
        cues = [span_rec(span) for span in doc.spans.get(group_name("NECESSITY", "cue"), [])]
        self.apply(doc, targets + [c for c in cues if c.dc_attrs and c.dc_attrs.get("condition")])
        return doc

    def apply(self, doc: Doc, targets: list[Rec]) -> None:
        """Set the ConText flags and ``dc_modifiers`` of the target records found on ``doc``."""
        if not targets:
            return
        mods = self._modifiers(doc)
        section = doc.user_data.get(SECTION_KEY)
        sections = [s for s in self.rules.sections if s.section == section]
        if mods:
            bounds = sentence_bounds(doc)
            sent_index = doc.user_data["dc_sent_index"]
        for target in targets:
            applied: list[str] = []
            label = target.label
            for rule, t_start, t_end in mods:
                if rule.direction == "terminate" or not rule.applies_to(label):
                    continue
                if t_start <= target.start < t_end:
                    continue  # a target is not modified by a trigger inside it
                if _in_scope(rule, t_start, t_end, target, mods, bounds[sent_index[t_start]]):
                    setattr(target, _ATTR[rule.category], True)
                    applied.append(rule.id)
            for srule in sections:
                if srule.allowed_types is None or label in srule.allowed_types:
                    setattr(target, _ATTR[srule.category], True)
                    applied.append(f"section:{section}")
            if target.is_continued and target.is_hypothetical and label == "CONSERVATIVE_CARE":
                target.is_hypothetical = False
            target.dc_modifiers = tuple(applied)


class _Trigger(NamedTuple):
    rule: ConTextRule
    start: int
    end: int


def _in_scope(rule: ConTextRule, t_start: int, t_end: int, target: Rec,
              mods: list[tuple[ConTextRule, int, int]], sent: tuple[int, int]) -> bool:
    """Whether ``target`` starts inside the scope of the trigger ``t_start:t_end`` of ``rule``
    (same sentence ``sent`` only)."""
    s_start, s_end = sent
    if not s_start <= target.start < s_end:
        return False
    continued = rule.category == "CONTINUED"

    def stops(other_rule: ConTextRule) -> bool:
        # "continue to take NSAIDs": a plan verb inside a continuation does not end its scope
        if continued or other_rule.category == "CONTINUED":
            return other_rule.direction == "terminate"
        # a trigger that does not apply to the target's label does not end a scope for it:
        # "I do not recommend an MRI" (hyp.recommend is for care only) is still negated
        return other_rule.direction == "terminate" or (other_rule.category != rule.category
                                                       and other_rule.applies_to(target.label))

    if rule.direction in ("forward", "bidirectional") and target.start >= t_end:
        end = s_end
        for other_rule, o_start, _o_end in mods:
            if o_start >= t_end and o_start < end and stops(other_rule):
                end = o_start
        if rule.max_scope:
            end = min(end, t_end + rule.max_scope)
        if target.start < end:
            return True
    if rule.direction in ("backward", "bidirectional") and target.start < t_start:
        start = s_start
        for other_rule, _o_start, o_end in mods:
            if o_end <= t_start and o_end > start and stops(other_rule):
                start = o_end
        if rule.max_scope:
            start = max(start, t_start - rule.max_scope)
        if target.end > start and target.start >= start:
            return True
    return False


@Language.factory("driftcheck_context", assigns=["span._.is_negated", "span._.is_historical",
                                                 "span._.is_hypothetical", "span._.is_family"],
                  default_config={})
def make_context(nlp: Language, name: str) -> ConText:
    """Factory of the ConText component (rules: ``patterns/context_rules.json``)."""
    return ConText(nlp, name)
