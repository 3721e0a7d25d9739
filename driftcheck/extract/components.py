"""spaCy components that find payer-relevant statements, driven by packaged pattern files.

Each label has one pattern file in ``driftcheck/extract/patterns/<label>.jsonl`` and one
component (``driftcheck_function``, ``driftcheck_conservative_care`` ...). A component matches
its patterns over the Doc (spaCy ``Matcher`` semantics, run by the predicate-memo
:class:`~driftcheck.extract.prefilter.TokenMatcher`; only entries whose required words occur on
the line are tried, and a line without any is skipped) and writes two span groups: ``doc.spans["dc_<label>"]`` (targets:
a match that makes a statement) and ``doc.spans["dc_<label>_cues"]`` (cues: matches that only
qualify a statement, e.g. "without relief" sets a care outcome; a cue with ``"veto": true`` removes
the targets, anchors and qualifiers it overlaps). Results go to span groups, not
``doc.ents``, so overlapping statements survive. Every span records the pattern that made it in
``span._.dc_pattern_id`` and its attributes in ``span._.dc_attrs``.

Why pattern files and not code: clinics and reviewers can read and extend them, each entry has a
stable id that shows up in ``--explain`` output, and every entry is validated on load with an
error naming the file and the line (medspaCy ``_ALLOWED_KEYS`` / Presidio YAML style).

Pattern syntax. ``"pattern"`` is either a spaCy token-pattern list, or a compact string of
space-separated token specs (case-insensitive):

- ``word``: the lower-cased token (a word containing punctuation, e.g. ``x-ray``, is split the
  way the tokenizer splits it);
- ``a|b|c``: one of several words;
- ``walk*``: a token starting with ``walk``;
- ``re:REGEX``: a token matching REGEX (lower-cased text);
- ``<num>``: a number-like token; ``<any>``: any token;
- a trailing ``?`` makes a spec optional; ``<any>{0,4}`` (or ``<any>*4``) skips up to 4 tokens.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

from driftcheck.errors import DataFileError
from driftcheck.extract import validators
from driftcheck.extract.prefilter import EntryIndex, TokenMatcher, compiled

#: Labels of the statements payers look for (DESIGN.md gold labels) ...
EVIDENCE_LABELS = ("FUNCTION", "CONSERVATIVE_CARE", "NECESSITY", "PAIN_SCORE", "PROCEDURE_RESPONSE",
                   "TIME_SPENT")
#: ... and the labels billing checks need (muscles, levels, guidance, intent, duration).
BILLING_LABELS = ("MUSCLE", "SPINAL_LEVEL", "GUIDANCE", "INTENT", "PAIN_DURATION")
ALL_LABELS = EVIDENCE_LABELS + BILLING_LABELS

_ALLOWED_KEYS = {"id", "pattern", "role", "attrs", "requires", "comment"}
_ROLES = {"target", "cue", "anchor", "qualifier"}
#: Key of the marker token that stands for "up to N arbitrary tokens" between two segments.
GAP = "_GAP"
_TOKEN_RE = re.compile(r"^(?P<body>.+?)(?P<op>\?|\{\d*,\d*\}|\*\d+)?$")


def group_name(label: str, role: str = "target") -> str:
    """Span group of ``label``: ``dc_function`` for targets, ``dc_function_cues`` for cues."""
    base = f"dc_{label.lower()}"
    return base if role == "target" else f"{base}_{role}s"


_EXTENSIONS = {"dc_pattern_id": "", "dc_attrs": None, "dc_role": "target", "is_negated": False,
               "is_historical": False, "is_hypothetical": False, "is_family": False, "is_continued": False,
               "dc_modifiers": ()}
#: Key of ``doc.user_data`` holding the :class:`Rec` of every span a component wrote.
META_KEY = "dc_meta"


class Rec:
    """What the components know about one matched span: a plain record, not a spaCy ``Span``.

    Extraction keeps these in a dict keyed by ``(label, start, end)`` (a *store*); the spaCy
    extension attributes of a ``Span`` (``span._.dc_pattern_id`` ...) read and write the record
    of the span's key, so two spans with the same label and tokens share one record, as spaCy's
    own extension storage would. The attribute names are the extension names.
    """

    __slots__ = ("label", "start", "end", "dc_pattern_id", "dc_attrs", "dc_role", "is_negated", "is_historical",
                 "is_hypothetical", "is_family", "is_continued", "dc_modifiers")

    def __init__(self, label: str, start: int, end: int) -> None:
        self.label = label
        self.start = start
        self.end = end
        self.dc_pattern_id = ""
        self.dc_attrs: Any = None
        self.dc_role = "target"
        self.is_negated = False
        self.is_historical = False
        self.is_hypothetical = False
        self.is_family = False
        self.is_continued = False
        self.dc_modifiers: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"Rec({self.label!r}, {self.start}, {self.end}, {self.dc_pattern_id!r})"


#: Records of one Doc, keyed by ``(label, start, end)``.
Store = dict[tuple[str, int, int], Rec]


def rec_of(store: Store, label: str, start: int, end: int) -> Rec:
    """The record of ``(label, start, end)`` in ``store`` (created on first use)."""
    rec = store.get((label, start, end))
    if rec is None:
        rec = store[(label, start, end)] = Rec(label, start, end)
    return rec


def doc_store(doc: Doc) -> Store:
    """The record store of ``doc`` (the one behind its spans' extension attributes)."""
    store = doc.user_data.get(META_KEY)
    if store is None:
        store = doc.user_data[META_KEY] = {}
    return store


def span_rec(span: Span) -> Rec:
    """The record behind ``span``'s extension attributes."""
    return rec_of(doc_store(span.doc), span.label_, span.start, span.end)


def _ensure_extensions() -> None:
    """Register the span attributes once (idempotent, cheap).

    NOTE: spaCy keys span extension values by character offsets only, so a NECESSITY target and
    a PROCEDURE_RESPONSE target on the same word would share them. Ours are stored per
    ``(span label, start, end)`` in a :class:`Rec` in ``doc.user_data["dc_meta"]``; roles other
    than target carry the label ``"<LABEL>:<role>"``.
    """
    for name in _EXTENSIONS:
        if not Span.has_extension(name):
            Span.set_extension(name, getter=_getter(name), setter=_setter(name))


def _getter(name: str) -> Callable[[Span], Any]:
    return lambda span: getattr(span_rec(span), name)


def _setter(name: str) -> Callable[[Span, Any], None]:
    def set_value(span: Span, value: Any) -> None:
        setattr(span_rec(span), name, value)

    return set_value


@dataclass(frozen=True)
class PatternEntry:
    """One validated entry of a pattern file."""

    id: str
    role: str
    tokens: tuple[tuple[dict[str, Any], ...], ...]  # one or more alternatives
    attrs: dict[str, Any] = field(default_factory=dict)
    requires: str | None = None  # "qualifier": keep a target only with a qualifier in its sentence


def compile_pattern(spec: str | list[Any], vocab: Vocab | None = None) -> list[dict[str, Any]]:
    """Turn the compact pattern string (module docstring) into a spaCy token pattern.

    Raises:
        ValueError: on an unparseable spec (the loader adds file and entry to the message).
    """
    if isinstance(spec, list):
        if not all(isinstance(t, dict) for t in spec):
            raise ValueError("a list pattern must hold token objects")
        return spec
    if not isinstance(spec, str) or not spec.strip():
        raise ValueError("pattern must be a non-empty string or a list of token objects")
    tokenizer = _tokenizer()
    out: list[dict[str, Any]] = []
    for raw in spec.split():
        m = _TOKEN_RE.match(raw)
        if not m:
            raise ValueError(f"bad token spec of {len(raw)} chars")
        body, op = m.group("body"), m.group("op")
        if op and op.startswith("*"):
            op = "{0," + op[1:] + "}"
        specs: list[dict[str, Any]]
        if body == "<any>" and op and op.startswith("{0,") and op != "{0,}":
            # NOTE: a bounded wildcard inside a Matcher pattern multiplies its states (seconds per
            # note); it becomes a gap joined in Python instead (see TargetMatcher._join).
            out.append({GAP: int(op[3:-1])})
            continue
        if body == "<any>":
            specs = [{}]
        elif body == "<num>":
            specs = [{"LIKE_NUM": True}]
        elif body.startswith("re:"):
            compiled(body[3:])  # validated here, so the error names the file and line
            specs = [{"LOWER": {"REGEX": body[3:]}}]
        elif "|" in body:
            words = [w for w in body.split("|") if w]
            if any(w.endswith("*") for w in words):
                rx = "^(?:" + "|".join(re.escape(w.rstrip("*")) + (".*" if w.endswith("*") else "$")
                                       for w in words) + ")"
                specs = [{"LOWER": {"REGEX": rx}}]
            else:
                specs = [{"LOWER": {"IN": [w.lower() for w in words]}}]
        elif body.endswith("*") and len(body) > 1:
            specs = [{"LOWER": {"REGEX": "^" + re.escape(body[:-1].lower())}}]
        else:
            pieces = [t.lower_ for t in tokenizer(body)]
            specs = [{"LOWER": p} for p in pieces]
            if op and len(specs) > 1:
                raise ValueError("an operator cannot follow a multi-token word")
        if op:
            specs[-1] = {**specs[-1], "OP": op}
        out.extend(specs)
    return out


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    from driftcheck.text.pipeline import sentence_nlp

    return sentence_nlp().tokenizer


def load_pattern_file(name: str, text: str | None = None) -> tuple[PatternEntry, ...]:
    """Load and validate one JSONL pattern file shipped in ``driftcheck.extract.patterns``.

    Args:
        name: file name, e.g. ``function.jsonl`` (used in error messages).
        text: file contents; read from the package when omitted (tests pass their own).

    Raises:
        DataFileError: naming the file and line of the first bad entry.
    """
    if text is None:
        text = (resources.files("driftcheck.extract") / "patterns" / name).read_text(encoding="utf-8")
    entries: list[PatternEntry] = []
    seen: set[str] = set()
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        where = f"{name} line {lineno}"
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataFileError(f"{where}: invalid JSON ({exc.msg} at column {exc.colno})") from None
        if not isinstance(raw, dict):
            raise DataFileError(f"{where}: entry must be an object")
        unknown = set(raw) - _ALLOWED_KEYS
        if unknown:
            raise DataFileError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(_ALLOWED_KEYS)}")
        pid = raw.get("id")
        if not isinstance(pid, str) or not pid:
            raise DataFileError(f"{where}: needs a non-empty string 'id'")
        if pid in seen:
            raise DataFileError(f"{where} ({pid}): duplicate id")
        seen.add(pid)
        role = raw.get("role", "target")
        if role not in _ROLES:
            raise DataFileError(f"{where} ({pid}): role must be one of {sorted(_ROLES)}")
        attrs = raw.get("attrs", {})
        if not isinstance(attrs, dict):
            raise DataFileError(f"{where} ({pid}): 'attrs' must be an object")
        pats = raw.get("pattern")
        if isinstance(pats, list) and pats and all(isinstance(p, (str, list)) for p in pats):
            alternatives = pats  # several alternatives: compact strings and/or token lists
        else:
            alternatives = [pats]
        try:
            tokens = tuple(tuple(compile_pattern(p)) for p in alternatives)
        except (ValueError, re.error) as exc:
            raise DataFileError(f"{where} ({pid}): bad pattern ({exc})") from None
        requires = raw.get("requires")
        if requires not in (None, "qualifier"):
            raise DataFileError(f"{where} ({pid}): 'requires' may only be \"qualifier\"")
        entries.append(PatternEntry(pid, role, tokens, dict(attrs), requires))
    if not entries:
        raise DataFileError(f"{name}: no entries")
    return tuple(entries)


_REGEX_STANDIN = "^$"


def _unregexed(segment: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``segment`` with every ``REGEX`` value replaced by a fixed valid one, for spaCy's
    validating Matcher: it checks the pattern's structure, and compiling each of the ~1,000
    regexes there (again for every new pipeline: more than ``re``'s cache holds) was most of
    the cost of building the extraction pipeline. The regexes themselves are compiled, and a bad
    one rejected, when the same segment is added to the :class:`TokenMatcher` right after."""
    return [{attr: {**value, "REGEX": _REGEX_STANDIN}
             if isinstance(value, dict) and isinstance(value.get("REGEX"), str) else value
             for attr, value in tok.items()} for tok in segment]


@cache
def packaged_patterns(label: str) -> tuple[PatternEntry, ...]:
    """The packaged patterns of ``label``, loaded and validated once per process."""
    return load_pattern_file(f"{label.lower()}.jsonl")


#: Per-label functions that read attributes (numbers, normalised names) off a matched span.
AttrReader = Callable[[Span], dict[str, Any]]


class TargetMatcher:
    """Find one label's targets and cues with a spaCy Matcher and write them to span groups.

    Validators (``validators.py``) run on each match; a match whose values are impossible
    (pain 12/10, 130 % relief) is dropped, as Presidio's ``invalidate_result`` does.

    Args:
        nlp: the pipeline (its vocab is shared with the text stage).
        name: component name.
        label: the statement label this component finds.
        patterns: the validated entries; defaults to the packaged file of ``label``.
        reader: reads span attributes (numbers, names) after static pattern attrs.
    """

    def __init__(self, nlp: Language, name: str, label: str,
                 patterns: Iterable[PatternEntry] | None = None) -> None:
        _ensure_extensions()
        self.name = name
        self.label = label
        self.entries = {e.id: e for e in (patterns if patterns is not None else packaged_patterns(label))}
        # spaCy's Matcher validates the patterns; matching itself runs on the predicate memo
        # (prefilter.py), which gives the same matches at a fraction of the cost
        checker = Matcher(nlp.vocab, validate=True)
        self.matcher = TokenMatcher(nlp.vocab)
        # entry id -> alternatives, each a list of (segment key, max gap before the segment)
        self.chains: dict[str, list[list[tuple[str, int]]]] = {}
        for entry in self.entries.values():
            chains = []
            for alt_i, tokens in enumerate(entry.tokens):
                chain: list[tuple[str, int]] = []
                gap = 0
                segment: list[dict[str, Any]] = []
                parts: list[tuple[list[dict[str, Any]], int]] = []
                for tok in tokens:
                    if GAP in tok:
                        if segment:
                            parts.append((segment, gap))
                        segment, gap = [], tok[GAP]
                    else:
                        segment.append(tok)
                if segment:
                    parts.append((segment, gap if parts else 0))
                for seg_i, (seg, seg_gap) in enumerate(parts):
                    key = f"{entry.id}#{alt_i}#{seg_i}"
                    try:
                        checker.add(key, [_unregexed(seg)])
                        self.matcher.add(key, [seg])
                    except Exception as exc:  # spaCy raises ValueError/MatchPatternError
                        raise DataFileError(f"{label.lower()}.jsonl ({entry.id}): pattern rejected by "
                                            f"spaCy ({type(exc).__name__})") from None
                    chain.append((key, seg_gap))
                chains.append(chain)
            self.chains[entry.id] = chains
        self._labels = {role: label if role == "target" else f"{label}:{role}" for role in _ROLES}
        self.reader = validators.READERS.get(label)
        self.validate = validators.VALIDATORS.get(label)
        self.index = EntryIndex(self.matcher, group=lambda key: key.rsplit("#", 1)[0])
        # candidate group ("entry#alternative") -> the role of its entry
        self._role_of = {g: self.entries[g.split("#", 1)[0]].role for g in self.index._keys_of}

    def candidates(self, doc: Doc) -> set[str]:
        """Entries worth running on ``doc``: none when no statement of the label can come out.

        Targets come from target entries, from an anchor and a qualifier together, from a
        qualifier alone in some sections, and (NECESSITY in a procedure note) from condition
        cues; cues by themselves only qualify statements.
        """
        cands = self.index.candidates(doc)
        if not cands:
            return cands
        role_of = self._role_of
        roles = {role_of[c] for c in cands}
        if "target" in roles or ("anchor" in roles and "qualifier" in roles):
            return cands
        if "qualifier" in roles and doc.user_data.get("dc_section") in QUALIFIER_ALONE.get(self.label, ()):
            return cands
        if self.label == "NECESSITY" and "cue" in roles and (doc.user_data.get("dc_note_kind") == "procedure"
                                                            or doc.user_data.get("dc_section") == "indication"):
            return cands
        return set()

    def __call__(self, doc: Doc) -> Doc:
        by_role = self.find(doc, doc_store(doc))
        if by_role is None:
            return doc  # no statement of this label can come out: its span groups stay unset
        for role, recs in by_role.items():
            doc.spans[group_name(self.label, role)] = [Span(doc, r.start, r.end, label=r.label) for r in recs]
        return doc

    def find(self, doc: Doc, store: Store) -> dict[str, list[Rec]] | None:
        """This label's records by role, each list sorted by position (what ``__call__`` writes
        to the span groups): ``"target"`` always, other roles only when found; None when no
        entry is a candidate on ``doc``.

        Records are taken from (and left in) ``store``, keyed by ``(label, start, end)``.
        """
        cands = self.candidates(doc)
        if not cands:
            return None
        matches = self._join(doc, cands)
        if not matches:
            return {"target": []}  # what the steps below make of no match
        by_role: dict[str, list[Rec]] = {}
        entries, labels = self.entries, self._labels
        for pid, start, end in matches:
            entry = entries[pid]
            rec = rec_of(store, labels[entry.role], start, end)
            rec.dc_pattern_id = pid
            rec.dc_attrs = dict(entry.attrs)
            rec.dc_role = entry.role
            by_role.setdefault(entry.role, []).append(rec)
        vetoes = [c for c in by_role.get("cue", ()) if c.dc_attrs.get("veto")]
        if vetoes:
            # a veto cue ("within normal limits", "liver function", "subsides when") removes the
            # targets, anchors and qualifiers it overlaps, not the rest of the sentence
            for role in ("target", "anchor", "qualifier"):
                if role in by_role:
                    by_role[role] = [s for s in by_role[role]
                                     if not any(v.start < s.end and s.start < v.end for v in vetoes)]
        targets = by_role.get("target", [])
        anchors, qualifiers = by_role.get("anchor", []), by_role.get("qualifier", [])
        sent_starts = _sentence_starts(doc)
        # A target that requires a qualifier keeps it only when its sentence has one — also
        # when the block has no qualifier at all (then no such target survives).
        q_sents = {sent_starts[q.start] for q in qualifiers}
        targets = [t for t in targets
                   if entries[t.dc_pattern_id].requires is None or sent_starts[t.start] in q_sents]
        if qualifiers:
            # anchor + qualifier in one sentence make a target (a service and its reason;
            # a procedure and the response to it); in some sections the qualifier alone does
            alone = doc.user_data.get("dc_section") in QUALIFIER_ALONE.get(self.label, ())
            a_sents = {sent_starts[a.start]: a for a in reversed(anchors)}
            joined: dict[tuple[int, int], Rec] = {}
            for q in qualifiers:
                anchor = a_sents.get(sent_starts[q.start])
                if anchor is None and not alone:
                    continue
                base = anchor if anchor is not None else q
                rec = joined.get((base.start, base.end))
                if rec is None:
                    pid, attrs = base.dc_pattern_id, dict(base.dc_attrs)
                    rec = rec_of(store, self.label, base.start, base.end)
                    rec.dc_pattern_id = pid
                    rec.dc_attrs = attrs
                    rec.dc_role = "target"
                    joined[(base.start, base.end)] = rec
                    targets.append(rec)
                if anchor is not None:
                    rec.dc_pattern_id = f"{rec.dc_pattern_id}+{q.dc_pattern_id}"
                attrs = rec.dc_attrs
                for key, value in q.dc_attrs.items():
                    if attrs.get(key) is None:
                        attrs[key] = value
        kept: list[Rec] = []
        reader, validate = self.reader, self.validate
        for rec in targets:
            attrs = rec.dc_attrs
            if reader is not None:
                attrs.update(reader(Span(doc, rec.start, rec.end, label=rec.label), attrs))
            if validate is not None and not validate(attrs):
                continue
            kept.append(rec)
        by_role["target"] = filter_spans(kept)  # longest match wins where targets overlap
        out: dict[str, list[Rec]] = {}
        for role in sorted(_ROLES):
            recs = by_role.get(role, [])
            if recs or role == "target":  # empty cue/anchor/qualifier groups stay unset
                out[role] = sorted(recs, key=_position)
        return out

    def _join(self, doc: Doc, entry_ids: Iterable[str] | None = None) -> list[tuple[str, int, int]]:
        """Matches of whole entries: segments chained with their gaps, within one sentence.

        ``entry_ids``: the candidate ``entry#alternative`` groups (all when None).
        """
        segs: dict[str, list[tuple[int, int]]] = {}
        keys = None if entry_ids is None else self.index.keys(entry_ids)
        for key, start, end in self.matcher(doc, keys):
            segs.setdefault(key, []).append((start, end))
        if not segs:
            return []
        sent_of = _sentence_index(doc)
        out: set[tuple[str, int, int]] = set()
        done: set[str] = set()
        for key in segs:
            pid = key.split("#", 1)[0]
            if pid in done:
                continue
            done.add(pid)
            for chain in self.chains[pid]:
                first = segs.get(chain[0][0])
                if not first:
                    continue
                if len(chain) == 1:
                    out.update((pid, a, b) for a, b in first)
                    continue
                for a, b in first:
                    end = b
                    for seg_key, gap in chain[1:]:
                        nxt = [(s2, e2) for s2, e2 in segs.get(seg_key, ())
                               if end <= s2 <= end + gap and sent_of[s2] == sent_of[a]]
                        if not nxt:
                            end = -1
                            break
                        end = min(nxt)[1]
                    if end > 0:
                        out.add((pid, a, end))
        return sorted(out, key=lambda m: (m[1], m[2], m[0]))


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Token bounds of the sentences of ``doc`` (one sentence when it has no boundaries).

    Read from the ``SENT_START`` array in one call (``doc.sents`` and ``has_annotation``
    build a Token object per token) and kept in ``doc.user_data`` with the per-token index.
    """
    cached = doc.user_data.get("dc_sent_bounds")
    if cached is not None and cached[0] == len(doc):
        return cached[1]
    n = len(doc)
    flags = doc.to_array(SENT_START).tolist() if n else []
    cuts = [i for i in range(1, n) if flags[i] == 1]
    edges = [0, *cuts, n]
    bounds = [(edges[k], edges[k + 1]) for k in range(len(edges) - 1)] if n else []
    index = [0] * n
    starts = [0] * n
    for k, (a, b) in enumerate(bounds):
        index[a:b] = [k] * (b - a)
        starts[a:b] = [a] * (b - a)
    doc.user_data["dc_sent_bounds"] = (n, bounds)
    doc.user_data["dc_sent_index"] = index
    doc.user_data["dc_sent_starts"] = starts
    return bounds


def mark_one_sentence(doc: Doc) -> None:
    """Record in ``doc.user_data`` what :func:`sentence_bounds` would read off a Doc that is one
    sentence (its first token starts it, no other does), without reading the array."""
    n = len(doc)
    doc.user_data["dc_sent_bounds"] = (n, [(0, n)] if n else [])
    doc.user_data["dc_sent_index"] = [0] * n
    doc.user_data["dc_sent_starts"] = [0] * n


def _sentence_index(doc: Doc) -> list[int]:
    """Sentence number of every token (all 0 when the Doc has no sentence boundaries)."""
    sentence_bounds(doc)
    return doc.user_data["dc_sent_index"]


#: Sections where a qualifier alone makes a statement of the label (the anchor is implied:
#: "pain was relieved" in a procedure note is the response to that procedure).
QUALIFIER_ALONE: dict[str, tuple[str, ...]] = {
    "PROCEDURE_RESPONSE": ("procedure",),
    "NECESSITY": ("indication",),
}


def _sentence_starts(doc: Doc) -> list[int]:
    """First token of the sentence of every token."""
    sentence_bounds(doc)
    return doc.user_data["dc_sent_starts"]


def _position(rec: Rec) -> tuple[int, int]:
    return rec.start, rec.end


def _register(label: str) -> None:
    factory = f"driftcheck_{label.lower()}"

    def make(nlp: Language, name: str) -> TargetMatcher:
        return TargetMatcher(nlp, name, label)

    make.__doc__ = f"Factory of the {label} component (patterns/{label.lower()}.jsonl)."
    Language.factory(factory, assigns=["doc.spans"], default_config={})(make)


for _label in ALL_LABELS:
    if not Language.has_factory(f"driftcheck_{_label.lower()}"):
        _register(_label)
