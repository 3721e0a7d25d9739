"""Section detection from a declared file of header titles.

Sections matter twice: carry-forward of PMH, medications or allergies is normal while a
carried-forward HPI, exam or plan is what payers call cloning; and section kind is context for
extraction (a statement under "Past Medical History" is historical). Header titles live in
``data/section_headers.json`` so a clinic can see and extend them without touching code.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from driftcheck.errors import DataFileError

_ALLOWED_KEYS = {"kind", "clinical", "titles", "keep_title"}
#: Kind given to text before the first header, or to a note without headers.
UNSECTIONED = "unsectioned"

# A candidate header: at line start, a short title, then ':' (MTSamples/EHR style) ...
_COLON_HEADER = re.compile(r"(?m)^[ \t]*(?P<title>[A-Za-z][A-Za-z0-9 /&'()\-]{0,60}?)[ \t]*:")
# ... a bulleted sub-header inside a section (ACI-Bench "• Medical Reasoning: ...") ...
_BULLET_HEADER = re.compile(r"(?m)^[ \t]*[•*\-][ \t]*(?P<title>[A-Za-z][A-Za-z0-9 /&'()\-]{0,60}?)[ \t]*:")
# ... or a line that is only a title (ACI-Bench style), optionally upper case.
_LINE_HEADER = re.compile(r"(?m)^[ \t]*(?P<title>[A-Za-z][A-Za-z /&'\-]{0,60}?)[ \t]*$")


@dataclass(frozen=True, slots=True)
class Section:
    """A section of a note: its kind, header range and body range (original offsets)."""

    kind: str
    title_start: int
    title_end: int
    start: int
    end: int
    clinical: bool = True


_PLURAL_MARK = re.compile(r"\s*\((?:e?s)\)$")


@dataclass(frozen=True, slots=True)
class HeaderTable:
    """Compiled header titles: one regex per kind, and which kinds are clinical content."""

    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    clinical: dict[str, bool]
    #: Kinds whose "Title: value" on one line is an item that keeps its title ("Pain: 6/10").
    keep_title: frozenset[str] = frozenset()
    #: Unlisted titles left in the sentence (extraction cues read them).
    not_subheader: re.Pattern[str] | None = None
    #: title -> kind already looked up: a clinic's header titles repeat on every note, so each
    #: distinct title is matched against the regexes once (bounded; cleared when full).
    _seen: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)

    def kind_of(self, title: str) -> str | None:
        """The section kind whose titles match ``title`` entirely, or None."""
        seen = self._seen
        if title in seen:
            return seen[title]
        cleaned = " ".join(title.strip().lower().split())
        cleaned = _PLURAL_MARK.sub("", cleaned)  # "PREOPERATIVE DIAGNOSIS (ES)", "INDICATION(S)"
        kind = next((k for k, pattern in self.patterns if pattern.fullmatch(cleaned)), None)
        if len(seen) >= 100_000:
            seen.clear()
        seen[title] = kind
        return kind


def _validate(raw: object, source: str) -> HeaderTable:
    if not isinstance(raw, dict) or not isinstance(raw.get("sections"), list):
        raise DataFileError(f"{source}: top level must be an object with a 'sections' list")
    patterns: list[tuple[str, re.Pattern[str]]] = []
    clinical: dict[str, bool] = {UNSECTIONED: True}
    keep: set[str] = set()
    for i, entry in enumerate(raw["sections"]):
        where = f"{source} sections[{i}]"
        if not isinstance(entry, dict):
            raise DataFileError(f"{where}: must be an object")
        unknown = set(entry) - _ALLOWED_KEYS
        if unknown:
            raise DataFileError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(_ALLOWED_KEYS)}")
        kind, titles = entry.get("kind"), entry.get("titles")
        if not isinstance(kind, str) or not isinstance(titles, list) or not titles:
            raise DataFileError(f"{where}: needs a 'kind' string and a non-empty 'titles' list")
        try:
            pattern = re.compile("|".join(f"(?:{t})" for t in titles), re.IGNORECASE)
        except re.error as exc:
            raise DataFileError(f"{where}: bad title pattern ({exc})") from None
        patterns.append((kind, pattern))
        clinical[kind] = bool(entry.get("clinical", True))
        if entry.get("keep_title"):
            keep.add(kind)
    not_sub_raw = raw.get("not_subheaders", [])
    if not isinstance(not_sub_raw, list) or not all(isinstance(t, str) for t in not_sub_raw):
        raise DataFileError(f"{source} not_subheaders: must be a list of regex strings")
    try:
        not_sub = re.compile("|".join(f"(?:{t})" for t in not_sub_raw), re.IGNORECASE) if not_sub_raw else None
    except re.error as exc:
        raise DataFileError(f"{source} not_subheaders: bad pattern ({exc})") from None
    return HeaderTable(tuple(patterns), clinical, frozenset(keep), not_sub)


@lru_cache(maxsize=1)
def default_headers() -> HeaderTable:
    """The packaged header table, loaded and validated once per process."""
    path = resources.files("driftcheck.text") / "data" / "section_headers.json"
    return _validate(json.loads(path.read_text(encoding="utf-8")), "section_headers.json")


def load_headers(raw: object, source: str = "<config>") -> HeaderTable:
    """Validate a user-supplied header table (same shape as the packaged file)."""
    return _validate(raw, source)


def detect_sections(text: str, headers: HeaderTable | None = None) -> tuple[Section, ...]:
    """Split ``text`` into sections at recognised headers.

    Text before the first header (or a note with no headers) becomes one ``unsectioned``
    section, treated as clinical content since dictated narrative notes have no headers.

    Besides the titles of the header file, an unlisted *sub-header* — an upper-case or
    Title Case label at a line start (after a bullet too) followed by a sentence on the same
    line, "SURGICAL INDICATIONS: The patient is ...", "• Medical Reasoning: She is ..." — is
    cut out of the text (a span never includes it) and keeps the kind of the section it is in
    ("GAIT:" in an exam, "• Constitutional:" in a review of systems). The extract stage reads
    such a header's keywords for the kind of its own line (``inline_sections``).
    """
    table = headers or default_headers()
    # start -> (title end, body start, kind, scope) where scope is "section" or "inherit"
    # (sub-header: the enclosing kind)
    found: dict[int, tuple[int, int, str, str]] = {}
    for regex in (_COLON_HEADER, _LINE_HEADER, _BULLET_HEADER):
        for m in regex.finditer(text):
            title = m.group("title")
            if regex is _LINE_HEADER and not _looks_like_line_title(title):
                continue
            start = m.start("title")
            if start in found:
                continue
            kind = None if regex is _BULLET_HEADER else table.kind_of(title)
            if kind is not None:
                body = m.end()
                if kind in table.keep_title and 0 < len(_rest_of_line(text, m.end()).split()) <= 6:
                    body = start  # "Pain: 6/10" is an item, title included
                found[start] = (m.end("title"), body, kind, "section")
                continue
            if regex is _LINE_HEADER or not _looks_like_subheader(title, _rest_of_line(text, m.end())):
                continue
            if table.not_subheader is not None and table.not_subheader.fullmatch(" ".join(title.split())):
                continue
            found[start] = (m.end("title"), m.end(), "", "inherit")
    sections: list[Section] = []
    starts = sorted(found)
    if not starts or starts[0] > 0 and text[: starts[0]].strip():
        first_end = starts[0] if starts else len(text)
        sections.append(Section(UNSECTIONED, 0, 0, 0, first_end, True))
    enclosing = UNSECTIONED
    for idx, start in enumerate(starts):
        title_end, body_start, kind, scope = found[start]
        end = starts[idx + 1] if idx + 1 < len(starts) else len(text)
        if scope == "section":
            enclosing = kind
        elif scope == "inherit":
            kind = enclosing
        sections.append(Section(kind, start, title_end, body_start, end, table.clinical.get(kind, True)))
    return tuple(sections)


_SMALL_WORDS = frozenset({"and", "of", "or", "for", "the", "to", "with", "in", "on", "a", "an", "&", "/"})


def _rest_of_line(text: str, pos: int) -> str:
    nl = text.find("\n", pos)
    return text[pos : len(text) if nl == -1 else nl]


def _looks_like_subheader(title: str, rest: str) -> bool:
    """An unlisted label is a sub-header when it is upper case or Title Case (at most 7 words)
    and a sentence follows it on the line; "Special bras: Yes" is an item, not a header."""
    words = title.split()
    if not words or len(words) > 7 or sum(ch.isalpha() for ch in title) < 2:
        return False
    if len(rest.split()) < 3:
        return False
    if title.isupper():
        return True
    return len(words) >= 2 and all(w[0].isupper() or w.lower() in _SMALL_WORDS for w in words)


def _looks_like_line_title(title: str) -> bool:
    """A bare line counts as a header only if it is upper case or short title case."""
    words = title.split()
    if not words or len(words) > 6:
        return False
    return title.isupper() or all(w[0].isupper() for w in words if w[0].isalpha())


def section_at(sections: tuple[Section, ...], offset: int) -> Section | None:
    """The section containing ``offset`` (header or body), or None."""
    for section in sections:
        if section.title_start <= offset < section.end:
            return section
    return None
