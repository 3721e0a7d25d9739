"""Fast token-pattern matching: a per-word-form predicate memo, a keyword prefilter, a matcher.

Why not spaCy's ``Matcher``: with ``IN``/``REGEX`` token attributes it builds a Python Token
and calls Python predicates for every token, pattern and call, which made extraction of a
300-word note cost ~40 ms against ~1 ms to tokenise it. Here:

1. **Predicates, memoised per word form.** Every distinct token spec (``{"LOWER": {"IN": [...]}}``,
   ``walk*``, ``re:...``, ``LIKE_NUM`` ...) gets an id. Which ids a word form satisfies is
   computed once per form (ORTH hash) with dictionary and prefix-set lookups (regexes of the
   form ``^(a|b|c)$`` / ``^(a|b)`` are turned into word and prefix sets; the few other regexes
   run once per form) and reused for every later line. A line becomes a list of id sets via
   ``Doc.to_array(ORTH)``: no spaCy Token objects.
2. **Prefilter.** A pattern alternative can only match when every *required* token (no ``?``,
   ``*``, ``{0,n}``) is present on the line. Alternatives are indexed by one required id, so a
   line costs a few set lookups per component, and entries whose words are absent never run.
3. **Matching** of the candidate patterns by a small set-of-positions automaton with the
   Matcher's semantics (every ``(start, end)`` that matches; ``?``, ``*``, ``+``, ``{n,m}``,
   ``!``). ``tests/extract/test_prefilter.py`` checks it against spaCy's Matcher.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache
from typing import Any

from spacy.attrs import ORTH
from spacy.tokens import Doc
from spacy.vocab import Vocab

#: Key of ``doc.user_data`` holding the line's per-token predicate sets (computed once per Doc).
TOKENS_KEY = "dc_token_predicates"
ANY = -1  # the empty spec ``{}``: any token
_INF = 1 << 30
_FULL_ALTS = re.compile(r"^\^\(?(?:\?:)?([\w'|/-]+)\)?\$$")
_PREFIX_ALTS = re.compile(r"^\^\(?(?:\?:)?([\w'|/-]+)\)?$")
_COMPACT_STAR = re.compile(r"^\^\(\?:((?:[\w'/-]+(?:\$|\.\*)\|?)+)\)$")  # "a|b*" from compile_pattern
_OP_RANGE = re.compile(r"^\{(\d*)(,?)(\d*)\}$")

#: One token of a compiled pattern: (predicate id, min repeats, max repeats, negated).
Step = tuple[int, int, int, bool]


def parse_op(op: str | None) -> tuple[int, int, bool]:
    """``(min, max, negated)`` of a Matcher ``OP`` value."""
    if op is None or op == "1":
        return 1, 1, False
    if op == "?":
        return 0, 1, False
    if op == "*":
        return 0, _INF, False
    if op == "+":
        return 1, _INF, False
    if op == "!":
        return 1, 1, True
    m = _OP_RANGE.match(op)
    if not m:
        raise ValueError(f"unsupported OP {op!r}")
    lo = int(m.group(1) or 0)
    if not m.group(2):
        return lo, lo, False
    return lo, int(m.group(3)) if m.group(3) else _INF, False


@cache
def compiled(pattern: str) -> re.Pattern[str]:
    """``re.compile`` remembered for the process: the pattern files hold ~1,000 regexes, more
    than ``re``'s own cache keeps, and each is compiled when its file is validated and again
    when it becomes a predicate (and again for every new pipeline)."""
    return re.compile(pattern)


class Predicates:
    """Registry of token predicates of one vocab, with a per-word-form memo."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self._keys: dict[str, int] = {}
        self._exact: dict[str, set[int]] = {}
        self._orth: dict[str, set[int]] = {}
        self._prefix: dict[str, set[int]] = {}
        self._funcs: list[tuple[int, Callable[[str, str, int], bool]]] = []
        # one-regex predicates: (pid, on the lower-cased form?, the compiled regex), run by screens
        self._regexes: list[tuple[int, bool, re.Pattern[str]]] = []
        self._screens: list[tuple[bool, Callable[[str], Any] | None, list[tuple[int, Callable[[str], Any]]]]] | None = None
        self._max_prefix = 0
        self._memo: dict[int, frozenset[int]] = {}
        #: predicates that hold for most word forms (``NOT_IN`` lists, ``^(?!...)`` regexes):
        #: present on almost every line, so a poor key to index patterns by (:class:`EntryIndex`)
        self.broad: set[int] = set()

    def add(self, tok: dict[str, Any]) -> int:
        """The predicate id of a token spec (its ``OP`` ignored); ``ANY`` for ``{}``."""
        spec = {k: v for k, v in tok.items() if k != "OP"}
        if not spec:
            return ANY
        key = repr(sorted(spec.items(), key=lambda kv: kv[0]))
        pid = self._keys.get(key)
        if pid is None:
            pid = self._keys[key] = len(self._keys)
            self._register(pid, spec)
            self._memo.clear()
        return pid

    def _register(self, pid: int, spec: dict[str, Any]) -> None:
        if len(spec) == 1:
            (attr, value), = spec.items()
            if attr == "LOWER" and isinstance(value, str):
                self._exact.setdefault(value, set()).add(pid)
                return
            if attr == "LOWER" and isinstance(value, dict) and set(value) == {"IN"}:
                for word in value["IN"]:
                    self._exact.setdefault(str(word), set()).add(pid)
                return
            if attr == "LOWER" and isinstance(value, dict) and set(value) == {"REGEX"} and self._lexicon(pid, value):
                return
            if attr == "ORTH" and isinstance(value, str):
                self._orth.setdefault(value, set()).add(pid)
                return
            if attr == "ORTH" and isinstance(value, dict) and set(value) == {"IN"}:
                for word in value["IN"]:
                    self._orth.setdefault(str(word), set()).add(pid)
                return
            if attr in ("LOWER", "ORTH", "TEXT") and isinstance(value, dict) and set(value) == {"REGEX"}:
                if value["REGEX"].startswith("^(?!"):
                    self.broad.add(pid)  # "any word but ...": holds for most words
                self._regexes.append((pid, attr == "LOWER", compiled(value["REGEX"])))
                self._screens = None
                return
        if any(isinstance(v, dict) and "NOT_IN" in v for v in spec.values()):
            self.broad.add(pid)
        tests = [_test(attr, value) for attr, value in spec.items()]
        self._funcs.append((pid, lambda text, low, orth: all(t(text, low, orth, self.vocab) for t in tests)))

    def _lexicon(self, pid: int, value: dict[str, str]) -> bool:
        """Turn ``^(a|b)$`` / ``^(a|b)`` / ``^(?:a$|b.*)`` into word and prefix sets."""
        rx = value["REGEX"]
        m = _FULL_ALTS.match(rx)
        if m:
            for word in m.group(1).split("|"):
                self._exact.setdefault(word, set()).add(pid)
            return True
        m = _PREFIX_ALTS.match(rx) or _COMPACT_STAR.match(rx)
        if not m:
            return False
        for alt in m.group(1).split("|"):
            if alt.endswith("$"):
                self._exact.setdefault(alt[:-1], set()).add(pid)
                continue
            prefix = alt[:-2] if alt.endswith(".*") else alt
            if not prefix:
                return False
            self._prefix.setdefault(prefix, set()).add(pid)
            self._max_prefix = max(self._max_prefix, len(prefix))
        return True

    def of_form(self, orth: int) -> frozenset[int]:
        """Predicates one word form satisfies (memoised)."""
        found = self._memo.get(orth)
        if found is not None:
            return found
        text = self.vocab.strings[orth]
        low = text.lower()
        ids: set[int] = set()
        ids.update(self._exact.get(low, ()))
        ids.update(self._orth.get(text, ()))
        for k in range(1, min(len(low), self._max_prefix) + 1):
            ids.update(self._prefix.get(low[:k], ()))
        for lower, screen, members in self._screens if self._screens is not None else self._build_screens():
            form = low if lower else text
            if screen is None or screen(form) is not None:
                for pid, search in members:
                    if search(form) is not None:
                        ids.add(pid)
        for pid, func in self._funcs:
            if func(text, low, orth):
                ids.add(pid)
        found = self._memo[orth] = frozenset(ids)
        return found

    def _build_screens(self) -> list[tuple[bool, Callable[[str], Any] | None,
                                          list[tuple[int, Callable[[str], Any]]]]]:
        """The one-regex predicates in small groups, each behind one regex that is the
        alternation of the group's regexes: it finds a match exactly when one of them does, so
        a word form that fails it skips the whole group."""
        screens: list[tuple[bool, Callable[[str], Any] | None, list[tuple[int, Callable[[str], Any]]]]] = []
        for lower in (True, False):
            group = [(pid, rx) for pid, low, rx in self._regexes if low == lower]
            plain = [(pid, rx) for pid, rx in group if _combinable(rx)]
            for pid, rx in group:
                if not _combinable(rx):
                    screens.append((lower, None, [(pid, rx.search)]))
            for i in range(0, len(plain), _SCREEN_SIZE):
                chunk = plain[i : i + _SCREEN_SIZE]
                try:
                    screen: Callable[[str], Any] | None = re.compile(
                        "|".join(f"(?:{rx.pattern})" for _pid, rx in chunk)).search
                except re.error:
                    screen = None
                screens.append((lower, screen, [(pid, rx.search) for pid, rx in chunk]))
        self._screens = screens
        return screens

    def tokens(self, doc: Doc) -> list[frozenset[int]]:
        """Predicate ids of every token of ``doc`` (cached in ``doc.user_data``)."""
        return self._line(doc)[1]

    def present(self, doc: Doc) -> frozenset[int]:
        """Predicate ids satisfied by some token of ``doc``."""
        cached = doc.user_data.get(TOKENS_KEY)
        if cached is not None and cached[0] is self and len(cached[1]) == len(doc):
            return cached[2]
        return self._line(doc)[2]

    def positions(self, doc: Doc) -> Positions:
        """Token indices (ascending) where each present predicate holds."""
        return self._line(doc)[3]

    def sets(self, orths: Iterable[int]) -> list[frozenset[int]]:
        """Predicate ids of each word form in ``orths``."""
        memo, of_form = self._memo, self.of_form
        return [memo.get(o) or of_form(o) for o in orths]

    def _line(self, doc: Doc, sets: list[frozenset[int]] | None = None,
              ) -> tuple[Predicates, list[frozenset[int]], frozenset[int], Positions]:
        """The per-token predicate sets of ``doc`` (cached in its ``user_data``); ``sets``: the
        caller already has them (a sentence cut out of a block whose sets were computed)."""
        cached = doc.user_data.get(TOKENS_KEY)
        if cached is not None and cached[0] is self and len(cached[1]) == len(doc):
            return cached
        if sets is None:
            memo, of_form = self._memo, self.of_form
            sets = [memo.get(o) or of_form(o) for o in doc.to_array(ORTH).tolist()] if len(doc) else []
        present = frozenset().union(*sets)
        line = doc.user_data[TOKENS_KEY] = (self, sets, present, Positions(sets, present))
        return line


class Positions:
    """Token indices (ascending) where a predicate holds on one line, computed per predicate
    when first asked for.

    Why lazy: a token satisfies many predicates (word-list ``NOT_IN`` steps hold for almost
    every word), so indexing every (token, predicate) pair up front cost more than all the
    matching done with it; a line only ever asks for the few predicates that lead its
    candidate patterns. ``get`` behaves like ``dict.get`` on the eager index: None (or
    ``default``) for a predicate absent from the line, else a non-empty ascending list.
    """

    __slots__ = ("_sets", "_present", "_known")

    def __init__(self, sets: Sequence[frozenset[int]], present: frozenset[int]) -> None:
        self._sets = sets
        self._present = present
        self._known: dict[int, list[int]] = {}

    def get(self, pid: int, default: Any = None) -> Any:
        at = self._known.get(pid)
        if at is not None:
            return at
        if pid not in self._present:
            return default
        at = self._known[pid] = [i for i, ids in enumerate(self._sets) if pid in ids]
        return at

    def __getitem__(self, pid: int) -> list[int]:
        at = self.get(pid)
        if at is None:
            raise KeyError(pid)
        return at

    def __contains__(self, pid: object) -> bool:
        return pid in self._present

    def __iter__(self) -> Iterator[int]:
        return iter(self._present)

    def __len__(self) -> int:
        return len(self._present)


_SCREEN_SIZE = 8
#: What may make a regex mean something else inside an alternation: back-references,
#: conditionals, inline flags (``(?i)``, ``(?i:...)``), a verbose-mode comment.
_NOT_COMBINABLE = re.compile(r"\\[1-9]|\(\?P=|\(\?\(|\(\?[aiLmsux-]|#")


def _combinable(rx: re.Pattern[str]) -> bool:
    """Whether ``rx`` can go into an alternation without changing what it matches."""
    return rx.flags == re.UNICODE and not _NOT_COMBINABLE.search(rx.pattern)


def _test(attr: str, value: Any) -> Callable[[str, str, int, Vocab], bool]:
    """A predicate for one attribute of a spec (the general, memoised-per-form path)."""
    if attr == "LIKE_NUM":
        return lambda text, low, orth, vocab: bool(vocab[orth].like_num) == bool(value)
    if attr == "IS_ALPHA":
        return lambda text, low, orth, vocab: text.isalpha() == bool(value)
    field = {"LOWER": 1, "ORTH": 0, "TEXT": 0}.get(attr)
    if field is None:
        raise ValueError(f"unsupported token attribute {attr}")

    def pick(text: str, low: str) -> str:
        return low if field else text

    if isinstance(value, str):
        return lambda text, low, orth, vocab: pick(text, low) == value
    if isinstance(value, dict) and len(value) == 1:
        (op, arg), = value.items()
        if op == "IN":
            words = frozenset(arg)
            return lambda text, low, orth, vocab: pick(text, low) in words
        if op == "NOT_IN":
            words = frozenset(arg)
            return lambda text, low, orth, vocab: pick(text, low) not in words
        if op == "REGEX":
            rx = compiled(arg)
            return lambda text, low, orth, vocab: rx.search(pick(text, low)) is not None
    raise ValueError(f"unsupported value for {attr}")


_REGISTRIES: dict[int, Predicates] = {}


def registry(vocab: Vocab) -> Predicates:
    """The shared predicate registry of ``vocab`` (one per vocab, so a line is scanned once)."""
    reg = _REGISTRIES.get(id(vocab))
    if reg is None or reg.vocab is not vocab:
        reg = _REGISTRIES[id(vocab)] = Predicates(vocab)
    return reg


class TokenMatcher:
    """A Matcher over predicate sets: ``add(key, pattern)``, ``__call__(doc, keys)``.

    Returns ``(key, start, end)`` for every span that matches a pattern, like spaCy's Matcher
    (all lengths, zero-length matches excluded), but only for keys that the prefilter admits
    (or ``keys``, already filtered by the caller).
    """

    def __init__(self, vocab: Vocab) -> None:
        self.preds = registry(vocab)
        self.patterns: dict[str, list[tuple[Step, ...]]] = {}
        self._order: dict[str, int] = {}
        # key -> (steps, the predicate ids when every step is one plain required token, else None,
        # the lead: (first required predicate, most tokens the optional steps before it take))
        self._compiled: dict[str, list[tuple[tuple[Step, ...], tuple[int, ...] | None,
                                             tuple[int, int] | None]]] = {}

    def add(self, key: str, patterns: Sequence[Sequence[dict[str, Any]]]) -> None:
        for pattern in patterns:
            steps = []
            for tok in pattern:
                lo, hi, neg = parse_op(tok.get("OP"))
                steps.append((self.preds.add(tok), lo, hi, neg))
            if not steps:
                raise ValueError("empty pattern")
            simple = (tuple(pid for pid, _lo, _hi, _neg in steps)
                      if all(lo == hi == 1 and not neg and pid != ANY for pid, lo, hi, neg in steps) else None)
            self.patterns.setdefault(key, []).append(tuple(steps))
            self._compiled.setdefault(key, []).append((tuple(steps), simple, _lead(steps)))
            self._order.setdefault(key, len(self._order))

    def __call__(self, doc: Doc, keys: Iterable[str] | None = None) -> list[tuple[str, int, int]]:
        _preds, sets, _present, positions = self.preds._line(doc)
        out: list[tuple[int, int, int, str]] = []
        order, compiled = self._order, self._compiled
        for key in (self.patterns if keys is None else keys):
            rank = order[key]
            for steps, simple, lead in compiled[key]:
                if simple is None:
                    found = match_steps(steps, sets, positions, _starts(lead, positions, len(sets)))
                elif len(simple) == 1:
                    at = positions.get(simple[0])
                    if at:
                        out += [(i + 1, i, rank, key) for i in at]
                    continue
                else:
                    found = match_simple(simple, sets, positions)
                if found:
                    out += [(end, start, rank, key) for start, end in found]
        # spaCy's order (by end, start, pattern order; deterministic): ties in filter_spans depend on it
        out.sort()
        return [(key, start, end) for end, start, _rank, key in dict.fromkeys(out)]


def required(steps: Sequence[Step]) -> frozenset[int]:
    """Predicate ids that must be present on a line for ``steps`` to match."""
    return frozenset(pid for pid, lo, _hi, neg in steps if lo > 0 and not neg and pid != ANY)


def _lead(steps: Sequence[Step]) -> tuple[int, int] | None:
    """``(pid, span)``: the first required step's predicate and the most tokens the optional
    steps before it can take (``_INF`` when unbounded); None when a step before it is not optional."""
    span = 0
    for pid, lo, hi, neg in steps:
        if lo > 0 and not neg and pid != ANY:
            return pid, span
        if lo > 0:
            return None
        span = min(_INF, span + hi)
    return None


def _starts(lead: tuple[int, int] | None, positions: Positions, n: int) -> Sequence[int]:
    """Token indices where a match can start: at most ``span`` tokens before a token of the
    lead predicate (every index when there is no lead)."""
    if lead is None:
        return range(n)
    pid, span = lead
    at = positions.get(pid)
    if not at:
        return ()
    if span == 0:
        return at
    if span >= n:
        return range(at[-1] + 1)
    starts: set[int] = set()
    for p in at:
        starts.update(range(max(0, p - span), p + 1))
    return sorted(starts)


def match_simple(pids: Sequence[int], sets: Sequence[frozenset[int]],
                 positions: Positions) -> list[tuple[int, int]]:
    """:func:`match_steps` for a pattern of plain tokens (each exactly once, none negated)."""
    n, k = len(sets), len(pids)
    first = positions.get(pids[0])
    if not first:
        return []
    if k == 1:
        return [(i, i + 1) for i in first]
    rest = pids[1:]
    out = []
    for start in first:
        if start + k > n:
            break
        j = start + 1
        for pid in rest:
            if pid not in sets[j]:
                break
            j += 1
        else:
            out.append((start, j))
    return out


def match_steps(steps: Sequence[Step], sets: Sequence[frozenset[int]],
                positions: Positions | None = None,
                starts: Iterable[int] | None = None) -> list[tuple[int, int]]:
    """Every ``(start, end)`` where ``steps`` match the token predicate sets.

    ``positions``: token indices of each predicate (:meth:`Predicates.positions`), when known;
    ``starts``: the only (ascending) token indices where a match may start, when known.
    """
    n = len(sets)
    pid0, lo0, _hi0, neg0 = steps[0]
    if starts is None:
        if lo0 > 0 and not neg0 and pid0 != ANY:
            starts = positions.get(pid0, ()) if positions is not None else [i for i in range(n) if pid0 in sets[i]]
        else:
            starts = range(n)
    out: list[tuple[int, int]] = []
    for start in starts:
        heads = {start}
        for pid, lo, hi, neg in steps:
            nxt: set[int] = set()
            for p in heads:
                if lo == 0:
                    nxt.add(p)
                j, count = p, 0
                while j < n and count < hi and ((pid == ANY or pid in sets[j]) != neg):
                    j += 1
                    count += 1
                    if count >= lo:
                        nxt.add(j)
            heads = nxt
            if not heads:
                break
        out.extend((start, end) for end in sorted(heads) if end > start)
    return out


class EntryIndex:
    """Candidate keys of a :class:`TokenMatcher`: patterns indexed by one required predicate."""

    def __init__(self, matcher: TokenMatcher, group: Callable[[str], str] = lambda key: key) -> None:
        self.matcher = matcher
        self.group = group
        self.always: set[str] = set()
        self.by_pred: dict[int, list[tuple[str, frozenset[int]]]] = {}
        self._keys_of: dict[str, list[str]] = {}
        req_of: dict[str, list[frozenset[int]]] = {}
        for key, alternatives in matcher.patterns.items():
            self._keys_of.setdefault(group(key), []).append(key)
            for steps in alternatives:
                req_of.setdefault(key, []).append(required(steps))
        # a group (an entry made of several segments) needs all its segments' words
        by_group: dict[str, frozenset[int]] = {}
        for key, reqs in req_of.items():
            common = frozenset.intersection(*reqs)  # words every alternative of the key needs
            g = group(key)
            by_group[g] = by_group.get(g, frozenset()) | common
        broad = matcher.preds.broad
        for g, req in by_group.items():
            if not req:
                self.always.add(g)
            else:
                # keyed by a narrow predicate when there is one: a broad one is present on almost
                # every line, so its entries would be checked on every line (same candidates)
                self.by_pred.setdefault(max(req - broad or req), []).append((g, req))
        self._index_keys = frozenset(self.by_pred)

    def never(self, present: frozenset[int]) -> bool:
        """Whether no group can be a candidate on a line whose present predicates are
        ``present`` (:meth:`candidates` would return an empty set)."""
        return not self.always and self._index_keys.isdisjoint(present)

    def candidates(self, doc: Doc) -> set[str]:
        """Groups (entries) that may match somewhere in ``doc``."""
        preds = self.matcher.preds
        line = doc.user_data.get(TOKENS_KEY)
        if line is not None and line[0] is preds and len(line[1]) == len(doc):
            present = line[2]
        else:
            present = preds.present(doc)
        hits = self._index_keys.intersection(present)
        out = set(self.always)
        if not hits:
            return out
        by_pred = self.by_pred
        for pid in hits:
            for g, req in by_pred[pid]:
                if req <= present:
                    out.add(g)
        return out

    def keys(self, groups: Iterable[str]) -> list[str]:
        """Matcher keys of ``groups``."""
        return [k for g in groups for k in self._keys_of.get(g, ())]
