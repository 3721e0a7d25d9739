"""What a patient's chart has already said, so fresh text never repeats it by accident.

Why: the ground truth calls a sentence fresh only if a reviewer would too. A fresh statement that
happens to equal an earlier sentence of the same patient (or differs only in its numbers) would
be indistinguishable from a carried one, so builders retry until the wording differs.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from driftcheck.corpus.draft import Unit
from driftcheck.corpus.phrases import NUM_WORDS, Attrs

_NUM = re.compile(r"\d+(?:\.\d+)?")
_NUMWORD = re.compile(r"\b(?:" + "|".join(NUM_WORDS) + r")\b")
_TOKEN = re.compile(r"[a-z#]+")
#: Fresh statements must share fewer than this fraction of word types with earlier ones.
MAX_JACCARD = 0.6


def skeleton(text: str) -> str:
    """Lower-case text with every number (digits or words) replaced by '#'."""
    return _NUMWORD.sub("#", _NUM.sub("#", text.lower()))


class Memory:
    """Seen sentences, their number-blind skeletons and per-label word sets for one patient."""

    __slots__ = ("seen", "skels", "words", "current")

    def __init__(self) -> None:
        self.seen: dict[str, str] = {}  # text -> note id that first contained it
        self.skels: set[str] = set()
        self.words: dict[str, list[frozenset[str]]] = {}
        self.current = ""  # note being written

    def remember(self, unit: Unit) -> None:
        """Record a unit that is now part of the chart."""
        if unit.boiler or unit.text in self.seen:
            return
        self.seen[unit.text] = unit.origin or self.current
        skel = skeleton(unit.text)
        self.skels.add(skel)
        if unit.label:
            bucket = self.words.setdefault(unit.label, [])
            bucket.append(frozenset(_TOKEN.findall(skel)))
            if len(bucket) > 24:
                del bucket[0]

    def fresh(self, label: str | None, make: Callable[[], tuple[str, Attrs]], tries: int = 14) -> Unit:
        """Build a new unit with ``make`` until it differs in wording from everything seen.

        Statements must also differ in word choice (Jaccard below MAX_JACCARD) from earlier
        statements of the same label; after ``tries`` the least similar candidate is used.
        Plain sentences get fewer tries; if they still repeat an earlier note (a short exam line
        such as "Gait is normal."), the ground truth honestly marks them carried from that note.
        """
        best: Unit | None = None
        best_sim = 2.0
        last = ""
        for _ in range(tries if label else 5):
            text, attrs = make()
            if not text.endswith((".", "?", "!")):
                text += "."
            last = text
            if text in self.seen:
                continue
            skel = skeleton(text)
            if skel in self.skels:
                continue
            unit = Unit(text, label, attrs if label else None)
            if not label:
                best = unit
                break
            toks = frozenset(_TOKEN.findall(skel))
            sim = max((len(toks & t) / len(toks | t) for t in self.words.get(label, ())), default=0.0)
            if sim < MAX_JACCARD:
                best = unit
                break
            if sim < best_sim:
                best, best_sim = unit, sim
        if best is None and not label and last:
            src = self.seen.get(last, "")
            return Unit(last, origin=src if src and src != self.current else None)
        if best is None:
            text, attrs = make()
            best = Unit(text if text.endswith(".") else text + ".", label, attrs if label else None)
        self.remember(best)
        return best
