"""Normalisation for matching, with an offset map back to the original characters.

Copy-forward detection compares *normalised* text (case, unicode look-alikes, whitespace and
punctuation do not make a sentence new), but every finding must point at the *original*
characters. So each normalised character remembers the index of the original character it
came from; ``to_original`` turns a normalised range into an original one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Characters folded to a plain equivalent before matching. Typographic variants carry no
# clinical meaning and EHR copy/paste often swaps them.
_FOLD = {
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
    "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " ",
}
_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)?")


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """Normalised text plus, for every normalised character, its original index.

    ``offsets`` has ``len(text) + 1`` entries; the last is the original end position, so
    half-open ranges map cleanly.
    """

    text: str
    offsets: tuple[int, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the normalised half-open range [start, end) to an original half-open range."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"range {start}:{end} outside normalised text of length {len(self.text)}")
        if start == end:
            pos = self.offsets[start]
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1


def normalize(text: str, *, base: int = 0, lower: bool = True) -> NormalizedText:
    """Normalise ``text`` for matching: NFKC, folded punctuation, lower case, single spaces.

    Args:
        text: original text (or a slice of it).
        base: offset of ``text`` within the note, added to every offset so a sentence
            normalised on its own still maps into the whole note.
        lower: fold case (matching is case-insensitive by design: "Plan" == "PLAN").

    Returns:
        The normalised text with leading/trailing whitespace removed and internal
        whitespace runs collapsed to one space.
    """
    out: list[str] = []
    offsets: list[int] = []
    pending_space = False
    for i, ch in enumerate(text):
        folded = _FOLD.get(ch)
        if folded is None:
            folded = unicodedata.normalize("NFKC", ch) if ord(ch) > 127 else ch
        if lower:
            folded = folded.lower()
        for piece in folded:
            if piece.isspace():
                pending_space = bool(out)
                continue
            if pending_space:
                out.append(" ")
                offsets.append(base + i - 1 if i > 0 else base + i)
                pending_space = False
            out.append(piece)
            offsets.append(base + i)
    offsets.append((offsets[-1] + 1) if offsets else base)
    return NormalizedText("".join(out), tuple(offsets))


def match_key(text: str) -> str:
    """Key for exact sentence matching: normalised, numbers masked, punctuation dropped.

    Numbers are masked so that "pain 7/10" and "pain 4/10" are recognised as the *same
    sentence with a changed value* — the number comparison is done separately (see
    :func:`numbers_in`), which is what makes the comparison number-aware.
    """
    norm = _fast_normalize(text)
    norm = _NUMBER_RE.sub("#", norm)
    norm = re.sub(r"[^\w#/ ]+", " ", norm)
    return " ".join(norm.split())


_FOLD_TABLE = str.maketrans(_FOLD)


def _fast_normalize(text: str) -> str:
    """``normalize(text).text`` without building the offset map (keys need no offsets)."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text.translate(_FOLD_TABLE))
    return " ".join(text.lower().split())


def numbers_in(text: str) -> tuple[str, ...]:
    """The numbers in ``text`` in order, as written (for number-aware comparison)."""
    return tuple(m.group(0).replace(",", ".") for m in _NUMBER_RE.finditer(text))
