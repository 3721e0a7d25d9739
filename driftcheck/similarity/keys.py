"""Sentence keys, hashes, content words and measurements: the vocabulary of comparison.

Everything the similarity stage compares goes through here, so that "Pain 6/10", "pain six out
of ten" and "PAIN: 6 / 10." produce the same key (numbers masked) and the same numbers, and the
number comparison is done separately from the wording comparison (number-aware matching).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

from driftcheck.text.normalize import match_key

#: Bump when the key function changes: saved boilerplate models and cross-patient tables hold
#: hashes of keys, so a changed key function makes them silently useless unless versioned.
KEY_VERSION = "key-1"

_WORD_NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10,
}
_NUM = r"(?:\d{1,2}(?:\.\d)?|zero|one|two|three|four|five|six|seven|eight|nine|ten)"
# "6/10", "6 / 10", "6 out of 10", "six out of ten", "6 over 10", "6-7/10" (range: first value).
_PAIN_RE = re.compile(
    rf"\b(?P<v>{_NUM})(?:\s*-\s*(?P<v2>{_NUM}))?\s*(?:/|out\s+of|over)\s*(?:10|ten)\b(?!\s*/|\.\d)",
    re.IGNORECASE,
)
_SCALE_RE = re.compile(
    r"\b(?P<scale>ODI|Oswestry(?:\s+Disability)?(?:\s+Index)?|NDI|Neck\s+Disability\s+Index|PEG)"
    r"(?:\s+(?:score|index))?\s*(?:\((?:ODI|NDI)\))?\s*(?:of|is|was|=|:|at)?\s*"
    r"(?P<v>\d{1,3}(?:\.\d)?)\s*(?P<pct>%|percent)?",
    re.IGNORECASE,
)
_WORD_RE = re.compile(r"[a-z][a-z'\-]+")

#: Words that carry no clinical content; a sentence made only of these does not document change.
STOPWORDS = frozenset(
    ["a", "an", "and", "are", "as", "at", "be", "been", "by", "for", "from", "had", "has", "have", "he", "her", "his", "in", "is", "it", "its", "of", "on", "or", "she", "that", "the", "their", "there", "they", "this", "to", "was", "were", "which", "with", "will", "would", "patient", "pt", "he's", "she's", "mr", "mrs", "ms", "today", "also", "no", "not", "yes", "reports", "states", "notes", "denies", "continues", "continue"]
)


def canonical_text(text: str) -> str:
    """Rewrite pain-score phrasings to one form ("six out of ten" -> "6/10").

    Clones restate scores in words to look fresh; the canonical form makes them compare equal.
    """

    def repl(m: re.Match[str]) -> str:
        value = f"{_value(m.group('v')):g}"
        if m.group("v2"):
            value += f"-{_value(m.group('v2')):g}"
        return f"{value}/10"

    return _PAIN_RE.sub(repl, text)


@lru_cache(maxsize=200_000)
def sentence_key(text: str) -> str:
    """Matching key of one sentence: canonical scores, then :func:`match_key` (numbers masked).

    Cached because a patient's history repeats most sentences verbatim.
    """
    return match_key(canonical_text(text))


@lru_cache(maxsize=200_000)
def sentence_numbers(text: str) -> tuple[str, ...]:
    """The numbers of a sentence after canonicalisation, for number-aware comparison."""
    return tuple(m.group(0).replace(",", ".") for m in re.finditer(r"\d+(?:[.,]\d+)?", canonical_text(text)))


def key_hash(key: str) -> int:
    """A stable signed 64-bit hash of a key (blake2b), so stored artefacts never hold text."""
    digest = hashlib.blake2b(f"{KEY_VERSION}\x00{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@lru_cache(maxsize=200_000)
def content_words(text: str) -> tuple[str, ...]:
    """Lower-case words of ``text`` minus stopwords and numbers (what can document change)."""
    return tuple(w for w in _WORD_RE.findall(text.lower()) if w not in STOPWORDS and len(w) > 1)


@dataclass(frozen=True, slots=True)
class RawMeasurement:
    """A measurement found in one sentence: scale kind, value and original offsets."""

    kind: str  # "pain" | "odi" | "ndi" | "peg"
    value: float
    start: int
    end: int
    slot: tuple[str, str, int]  # (kind, sentence key, ordinal in sentence) for pairing


def find_measurements(text: str, base: int, key: str) -> list[RawMeasurement]:
    """Pain (0-10) and disability-scale (ODI/NDI/PEG) values in one sentence.

    Args:
        text: the sentence's original characters.
        base: the sentence's offset in the note (added to every offset).
        key: the sentence key, used to pair a value with the same slot in an earlier visit.
    """
    found: list[RawMeasurement] = []
    taken: list[tuple[int, int]] = []
    ordinals: dict[str, int] = {}
    for m in _SCALE_RE.finditer(text):
        scale = m.group("scale").lower()
        kind = "odi" if scale.startswith(("odi", "osw")) else "ndi" if scale.startswith(("ndi", "neck")) else "peg"
        value = float(m.group("v"))
        limit = 10 if kind == "peg" else 100
        if value > limit:
            continue
        n = ordinals.get(kind, 0)
        ordinals[kind] = n + 1
        found.append(RawMeasurement(kind, value, base + m.start(), base + m.end(), (kind, key, n)))
        taken.append((m.start(), m.end()))
    for m in _PAIN_RE.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        value = _value(m.group("v"))
        if value > 10:
            continue
        n = ordinals.get("pain", 0)
        ordinals["pain"] = n + 1
        found.append(RawMeasurement("pain", value, base + m.start(), base + m.end(), ("pain", key, n)))
    found.sort(key=lambda r: r.start)
    return found


def has_measurement(text: str) -> bool:
    """Whether a sentence holds a pain or disability-scale value."""
    return bool(_PAIN_RE.search(text) or _SCALE_RE.search(text))


def _value(raw: str) -> float:
    raw = raw.lower()
    return float(_WORD_NUMBERS[raw]) if raw in _WORD_NUMBERS else float(raw)
