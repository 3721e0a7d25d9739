"""When a block's statements are the union of its sentences' statements: the sentence cache's proof.

Carried-forward notes recombine sentences: a paragraph edited at one sentence is a new block,
but its other sentences were seen before. Extraction may then be cached per sentence instead
of per block — but only when running the pipeline over the whole block gives exactly what
running it over each sentence alone gives, shifted. Every step after matching works per
sentence (targets, cues, anchors and qualifiers are joined inside one sentence; ConText scopes
stop at the sentence; gaps are chained inside one sentence; overlap resolution only compares
overlapping spans), so what can differ is:

1. a match (a pattern segment or a ConText trigger) that runs over a sentence boundary, which
   the sentence alone would not contain — or one ending on the punctuation that closes a
   sentence, after which a reader looks at the next token (``read_pain_score`` peeks at the
   token after a span);
2. tokens: a sentence alone must be the very tokens it had in the block, which holds when it is
   rebuilt from them (:func:`sentence_doc`); the cache stores the tokens each result was computed
   on and a hit must have the same ones.

(1) is ruled out here, exactly: the punctuation run that closes each sentence (the tokens the
sentencizer requires before a boundary) is touched by no match when no pattern step's predicate
holds for any of its tokens, and the few patterns with a step that holds for any token
(``<any>``), a negated step, or a step whose predicate holds for a sentence-final character
(``NOT_IN`` word lists) are run over the block to check that none of their matches reaches it.
A block that fails is extracted whole, as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH, ORTH, SPACY
from spacy.pipeline.sentencizer import Sentencizer
from spacy.tokens import Doc

from driftcheck.extract.components import mark_one_sentence, sentence_bounds
from driftcheck.extract.prefilter import _INF, ANY, Predicates, Step, TokenMatcher, match_steps, required

_PUNCT = frozenset(Sentencizer.default_punct_chars)


class SentenceSplit:
    """Decides, per block Doc, whether it may be extracted sentence by sentence.

    Args:
        matchers: every :class:`TokenMatcher` of the pipeline (label components and ConText);
            they must share one predicate registry (they do: one per vocab).
        punct_chars: the pipeline sentencizer's ``punct_chars``.
    """

    def __init__(self, matchers: Iterable[TokenMatcher], punct_chars: Iterable[str] | None = None) -> None:
        matchers = list(matchers)
        #: the sentencizer's sentence-final characters (spaCy's defaults unless told)
        self.punct = frozenset(punct_chars) if punct_chars is not None else _PUNCT
        self.enabled = bool(matchers)
        self.preds: Predicates | None = matchers[0].preds if matchers else None
        self.step_pids: set[int] = set()
        #: patterns with an any-token or negated step, their required predicates and the most
        #: tokens a match can take (None: unbounded): checked by matching them on the block
        self.wild: list[tuple[tuple[Step, ...], frozenset[int], int | None]] = []
        # predicates that hold for a sentence-final character ("any word but 'with'"): a step
        # with one can take the closing punctuation, so its pattern is checked by matching too
        closing: frozenset[int] = frozenset()
        if self.preds is not None:
            strings = self.preds.vocab.strings
            closing = frozenset().union(*self.preds.sets([strings.add(ch) for ch in sorted(self.punct)]))
        for matcher in matchers:
            if matcher.preds is not self.preds:
                self.enabled = False
            for alternatives in matcher.patterns.values():
                for steps in alternatives:
                    if any(pid == ANY or neg or pid in closing for pid, _lo, _hi, neg in steps):
                        longest = sum(hi for _pid, _lo, hi, _neg in steps)
                        self.wild.append((tuple(steps), required(steps), longest if longest < _INF else None))
                    else:
                        self.step_pids.update(pid for pid, _lo, _hi, _neg in steps if pid != ANY)

    def sentences(self, doc: Doc, text: str) -> Split | None:
        """The sentences of the block Doc ``doc`` (made of ``text``) when the block may be
        extracted per sentence, else None.

        None also for a one-sentence block (nothing to split) and for a block with whitespace
        tokens or sentences not separated by one plain space (rebuilt text would differ).
        """
        if not self.enabled or self.preds is None:
            return None
        bounds = sentence_bounds(doc)
        if len(bounds) < 2:
            return None
        arr = doc.to_array([IDX, LENGTH, SPACY, IS_SPACE, IS_PUNCT, ORTH])
        if arr[:, 3].any():
            return None
        idx, length, space = arr[:, 0].tolist(), arr[:, 1].tolist(), arr[:, 2].tolist()
        if idx[-1] + length[-1] != len(text):
            return None
        is_punct = arr[:, 4]
        tail: list[int] = []  # tokens of the punctuation runs that close a sentence
        punct = self.punct
        out: list[tuple[int, int, int, int]] = []
        for k, (a, b) in enumerate(bounds):
            start, end = idx[a], idx[b - 1] + length[b - 1]
            if k + 1 < len(bounds):
                if not space[b - 1] or text[end : end + 1] != " " or text[end + 1 : end + 2].isspace():
                    return None
                i = b - 1
                while i >= a and (is_punct[i] or text[idx[i] : idx[i] + length[i]] in punct):
                    tail.append(i)
                    i -= 1
            out.append((a, b, start, end))
        orths = arr[:, 5].tolist()
        sets = self.preds.sets(orths)
        if tail and not self._untouched(doc, sets, tail):
            return None
        return Split(out, idx, length, space, orths, sets)

    def _untouched(self, doc: Doc, sets: list[frozenset[int]], tail: Sequence[int]) -> bool:
        """Whether no pattern of the pipeline can match a span containing a ``tail`` token."""
        preds = self.preds
        assert preds is not None
        pids = self.step_pids
        for i in tail:
            if not pids.isdisjoint(sets[i]):
                return False
        if not self.wild:
            return True
        # the block's line (cached on the Doc): its present predicates are needed here, and the
        # block is matched whole through the same line when it turns out mostly new
        _preds, sets, present, positions = preds._line(doc, sets)
        wild = [(steps, longest) for steps, req, longest in self.wild if req <= present]
        if not wild:
            return True
        at = set(tail)
        for steps, longest in wild:
            # a match holding tail token t starts at most ``longest - 1`` tokens before it
            starts = None if longest is None else sorted({i for t in tail for i in range(max(0, t - longest + 1), t + 1)})
            for s, e in match_steps(steps, sets, positions, starts):
                if any(i in at for i in range(s, e)):
                    return False
        return True


class Split(NamedTuple):
    """A separable block: its sentences ``(first token, end token, start char, end char)`` and,
    per token, what they are rebuilt from."""

    sentences: list[tuple[int, int, int, int]]
    idx: list[int]  # start char
    length: list[int]
    space: list[int]  # whitespace after it
    orths: list[int]
    sets: list[frozenset[int]]  # predicate ids (reused by the sentence Docs)


def sentence_doc(doc: Doc, text: str, split: Split, a: int, b: int, preds: Predicates | None = None) -> Doc:
    """Tokens ``a:b`` of the block ``doc`` (made of ``text``) as a Doc of their own: one
    sentence, the same tokens, the same text."""
    words = [text[i : i + n] for i, n in zip(split.idx[a:b], split.length[a:b], strict=True)]
    spaces = [bool(sp) for sp in split.space[a:b]]
    spaces[-1] = False
    out = Doc(doc.vocab, words=words, spaces=spaces, sent_starts=[True] + [False] * (b - a - 1))
    mark_one_sentence(out)
    if preds is not None:
        preds._line(out, split.sets[a:b])  # the same tokens: their predicate sets are known
    return out
