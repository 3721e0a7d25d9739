"""The extract stage: payer-relevant statements with ConText flags and freshness.

Public API (imported lazily so ``import driftcheck.extract`` stays cheap):

- :class:`~driftcheck.extract.statements.Extractor` -- ``Extractor(cache_size=...)``,
  ``.extract(doc, freshness=None) -> tuple[Statement, ...]``, ``.hits`` / ``.misses``;
- :func:`extract_statements` -- the same with one process-wide Extractor;
- :func:`~driftcheck.extract.statements.build_nlp` -- the spaCy pipeline (components
  ``driftcheck_<label>`` and ``driftcheck_context``) on the text stage's vocab.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from driftcheck.extract.statements import Extractor, Freshness
    from driftcheck.model import Statement
    from driftcheck.text.pipeline import TextDoc

__all__ = ["Extractor", "build_nlp", "default_extractor", "extract_statements"]

_DEFAULT: Extractor | None = None


def default_extractor() -> Extractor:
    """The process-wide Extractor (its line cache is shared by every caller)."""
    global _DEFAULT
    if _DEFAULT is None:
        from driftcheck.extract.statements import Extractor

        _DEFAULT = Extractor()
    return _DEFAULT


def extract_statements(doc: TextDoc, freshness: Freshness | None = None) -> tuple[Statement, ...]:
    """Extract the statements of one note with the process-wide :class:`Extractor`."""
    return default_extractor().extract(doc, freshness)


def __getattr__(name: str) -> Any:
    if name in ("Extractor", "build_nlp"):
        from driftcheck.extract import statements

        return getattr(statements, name)
    raise AttributeError(name)
