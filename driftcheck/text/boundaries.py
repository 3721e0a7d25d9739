"""Sentence-boundary repair after abbreviations (dosing Latin, titles, units).

spaCy's sentencizer starts a sentence after every "." token, and ``spacy.blank("en")`` splits
the final period off "p.r.n.", "q.d.", "b.i.d.", "Approx." or "No." — so a medication list
("Tylenol p.r.n., Ultram p.r.n., Mucinex b.i.d.") or "continue the Vicodin p.r.n. pain" is cut
into fragments, and since a span is the sentence, the fragments are wrong spans. This component
removes a sentence start the sentencizer put right after such an abbreviation when the text
plainly goes on: a comma/semicolon follows the period, the next word is lower case or a number,
or the abbreviation is a title ("Dr. Smith"). A capitalised word after a dosing abbreviation
("Gabapentin 300 mg t.i.d. He feels better") still starts a sentence. It only ever *removes*
sentence starts, so the text stage's fast path for lines without inner punctuation stays exact.
Runs after the sentencizer and before the line-break rule (a line break always starts one).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from spacy.attrs import IS_PUNCT, IS_SPACE, ORTH, SENT_START, SPACY
from spacy.language import Language
from spacy.tokens import Doc

#: Dotted abbreviations whose final period the tokenizer splits off: "p.r.n", "q.h.s", "b.i.d".
_DOTTED = re.compile(r"^[A-Za-z]{1,3}(?:\.[A-Za-z0-9]{1,3})+$")
#: Interval abbreviations: "q6h", "4-6h", "q.4h", "12hrs".
_INTERVAL = re.compile(r"^(?:q\.?)?\d+(?:-\d+)?h(?:rs?)?$", re.IGNORECASE)
_CONTINUING = frozenset({",", ";", ":", ")", "/"})
_ENDERS = frozenset({"!", "?"})


@lru_cache(maxsize=1)
def abbreviations() -> tuple[frozenset[str], frozenset[str]]:
    """``(abbreviations, titles)`` from ``data/abbreviations.json``, lower case, no period."""
    path = resources.files("driftcheck.text") / "data" / "abbreviations.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    return (frozenset(a.lower() for a in raw["abbreviations"]),
            frozenset(t.lower() for t in raw["titles"]))


def is_abbreviation(word: str) -> bool:
    """True for a word that a following period does not end a sentence after, by itself."""
    abbrevs, titles = abbreviations()
    w = word.lower()
    return w in abbrevs or w in titles or bool(_DOTTED.match(word) or _INTERVAL.match(word))


@Language.component("driftcheck_abbreviations")
def join_after_abbreviations(doc: Doc) -> Doc:
    """Undo sentence starts the sentencizer put after an abbreviation's period (module doc)."""
    # Only a sentence start from the third token on can be undone. Read them, and what the
    # test needs of the tokens before them, off token columns in one call instead of visiting
    # every token (``doc[i]`` builds a Token object each time). ``sentenced`` skips the rule on
    # a text without a period, which it never changes.
    n = len(doc)
    if n < 3:
        return doc
    cols = doc.to_array([SENT_START, IS_PUNCT, IS_SPACE, SPACY, ORTH])
    starts = (cols[2:, 0] == 1).nonzero()[0]
    if not len(starts):
        return doc
    _, titles = abbreviations()
    is_punct, is_space, space, orths = (cols[:, c].tolist() for c in range(1, 5))
    strings = doc.vocab.strings
    for i in (starts + 2).tolist():
        if is_space[i]:
            continue
        # the run of punctuation between the previous word and this token: ". ," / "."
        k = i - 1
        while k > 0 and (is_punct[k] or is_space[k]):
            k -= 1
        texts = [strings[o] for o in orths[k + 1 : i]]
        # (a run token's trailing whitespace is one space or none: a line break would be a token)
        if "." not in texts or any(t in _ENDERS for t in texts) or any("\n" in t for t in texts):
            continue
        if texts[0] != "." or space[k]:
            continue  # the period must be glued to the word: "p.r.n." not "pain ."
        word = strings[orths[k]]
        if not is_abbreviation(word):
            continue
        first = strings[orths[i]][0]
        if (any(t in _CONTINUING for t in texts) or first.islower() or first.isdigit()
                or word.lower() in titles):
            doc[i].is_sent_start = False
    return doc
