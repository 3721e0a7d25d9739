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
    _, titles = abbreviations()
    n = len(doc)
    for i in range(2, n):
        tok = doc[i]
        if not tok.is_sent_start or tok.is_space:
            continue
        # the run of punctuation between the previous word and this token: ". ," / "."
        k = i - 1
        while k > 0 and (doc[k].is_punct or doc[k].is_space):
            k -= 1
        run = doc[k + 1 : i]
        texts = [t.text for t in run]
        if "." not in texts or any(t in _ENDERS for t in texts) or "\n" in run.text_with_ws:
            continue
        if texts[0] != "." or doc[k].whitespace_:
            continue  # the period must be glued to the word: "p.r.n." not "pain ."
        word = doc[k].text
        if not is_abbreviation(word):
            continue
        first = tok.text[0]
        if (any(t in _CONTINUING for t in texts) or first.islower() or first.isdigit()
                or word.lower() in titles):
            tok.is_sent_start = False
    return doc
