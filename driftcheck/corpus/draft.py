"""Note drafts: sentences with provenance, rendered into text with exact character offsets.

Why a draft model: ground truth (copied spans, statement spans, fresh/carried, boilerplate) must
be exact character offsets into the final text. Building each note from units that already know
where they came from, and computing offsets in the one place that joins them, makes the labels
correct by construction instead of recovered afterwards by string search.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace
from typing import Any

from driftcheck.corpus.phrases import NUM_WORDS, SYNONYMS


@dataclass(slots=True)
class Unit:
    """One sentence or list item of a note.

    Attributes:
        text: The sentence, including its final period when it has one.
        label: Extraction label of the statement this sentence makes, if any.
        attrs: The label's attributes (ANNOTATION.md).
        origin: Note id where this text was first written; None while it is fresh in this note.
        boiler: Clinic/provider template text (not evidence of copying, not a copied span).
        edited: Copied from ``origin`` but lightly reworded (edited clone).
        span: Statement range inside ``text`` when it is not the whole sentence.
        negated: Label of a negated mention (recorded apart, never a span).
        cross: Note id of another patient's note this text was copied from (cross-patient reuse).
    """

    text: str
    label: str | None = None
    attrs: dict[str, Any] | None = None
    origin: str | None = None
    boiler: bool = False
    edited: bool = False
    span: tuple[int, int] | None = None
    negated: str | None = None
    cross: str | None = None

    def stmt_range(self) -> tuple[int, int]:
        """The statement's range in ``text``: the sentence without its final period by default."""
        if self.span is not None:
            return self.span
        end = len(self.text) - 1 if self.text.endswith(".") else len(self.text)
        return 0, end

    def carry(self, from_note: str) -> Unit:
        """A verbatim copy for a later note; provenance points at the note that first wrote it."""
        if self.boiler:
            return self
        # a reworded sentence first appeared in ``from_note``, not in its original
        origin = from_note if self.edited else (self.origin or from_note)
        return Unit(self.text, self.label, self.attrs, origin, False, False, self.span, self.negated, self.cross)


@dataclass(frozen=True, slots=True)
class Style:
    """How a provider lays out notes: header titles per section key and the layout."""

    name: str
    titles: dict[str, str]
    inline: bool  # "TITLE: body" on one line vs title on its own line
    gap: str  # text between sections
    bullets: frozenset[str] = frozenset()  # section keys rendered as "- item" lines


@dataclass(slots=True)
class Placed:
    """A unit with its final offsets in the rendered note."""

    start: int
    end: int
    unit: Unit
    section: str


class Draft:
    """Sections of units for one note, rendered once into text plus placed units."""

    def __init__(self, note_id: str) -> None:
        self.note_id = note_id
        self.header: list[Unit] = []
        self.sections: list[tuple[str, list[Unit]]] = []
        self.footer: list[Unit] = []

    def add(self, key: str, units: list[Unit]) -> None:
        """Append a section (skipped when empty, as an EHR would omit it)."""
        if units:
            self.sections.append((key, units))

    def section(self, key: str) -> list[Unit]:
        """Units of the first section with ``key`` (empty list if absent)."""
        for k, units in self.sections:
            if k == key:
                return units
        return []

    def render(self, style: Style) -> tuple[str, list[Placed]]:
        """Join everything into the note text; return it and every unit's offsets."""
        parts: list[str] = []
        placed: list[Placed] = []
        pos = 0

        def emit(s: str) -> None:
            nonlocal pos
            parts.append(s)
            pos += len(s)

        def put(unit: Unit, section: str) -> None:
            placed.append(Placed(pos, pos + len(unit.text), unit, section))
            emit(unit.text)

        for unit in self.header:
            put(unit, "header")
            emit("\n")
        if self.header:
            emit("\n")
        for idx, (key, units) in enumerate(self.sections):
            if idx:
                emit(style.gap)
            emit(style.titles[key] + ":")
            if key in style.bullets:
                for unit in units:
                    emit("\n- ")
                    put(unit, key)
                emit("\n")
                continue
            emit(" " if style.inline else "\n")
            for j, unit in enumerate(units):
                if j:
                    emit(" ")
                put(unit, key)
            emit("\n")
        if self.footer:
            emit("\n")
        for unit in self.footer:
            put(unit, "footer")
            emit("\n")
        return "".join(parts), placed


_WORD_NUM = {w: i for i, w in enumerate(NUM_WORDS)}
_SYN = [(re.compile(r"\b" + re.escape(old) + r"\b"), new) for old, new in SYNONYMS]
_PAIN_RE = re.compile(r"\b(\d{1,2})(/10| out of 10)\b|\b(" + "|".join(NUM_WORDS[:11]) + r") out of ten\b")


def edit_unit(rng: random.Random, unit: Unit) -> Unit:
    """Lightly reword a copied sentence: swap a synonym and/or nudge a pain score by one.

    Only sentences whose statement covers the whole sentence are edited, so the statement range
    stays exact after the edit; attrs follow the nudged number.
    """
    if unit.boiler or unit.span is not None:
        return unit
    text, attrs = unit.text, dict(unit.attrs) if unit.attrs else None
    changed = False
    if unit.label == "PAIN_SCORE" and attrs is not None:
        m = _PAIN_RE.search(text)
        if m:
            old = int(m.group(1)) if m.group(1) else _WORD_NUM[m.group(3)]
            new = old + (1 if old < 3 or (old < 10 and rng.random() < 0.5) else -1)
            rep = f"{new}{m.group(2)}" if m.group(1) else f"{NUM_WORDS[new]} out of ten"
            text = text[: m.start()] + rep + text[m.end():]
            attrs["value"] = new
            changed = True
    order = list(range(len(_SYN)))
    rng.shuffle(order)
    for i in order:
        pat, new_w = _SYN[i]
        if pat.search(text):
            text = pat.sub(new_w, text, count=1)
            changed = True
            break
    if not changed:
        return unit
    return replace(unit, text=text, attrs=attrs, edited=True)
