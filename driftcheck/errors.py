"""Coded, PHI-safe errors.

Every message names *where* (file, row, field, note id, offset) and *what*, never the note text:
errors end up in terminals, CI logs and tickets, none of which may hold PHI.
"""

from __future__ import annotations


class DriftcheckError(Exception):
    """Base class for errors a user can act on (the CLI turns them into exit code 2)."""

    code = "D-E000"

    def __init__(self, message: str) -> None:
        super().__init__(f"[{self.code}] {message}")


class InputError(DriftcheckError):
    """An input file cannot be read at all (missing, unknown format, unreadable encoding)."""

    code = "D-E001"


class ConfigError(DriftcheckError):
    """A configuration file or option is invalid (unknown key, bad type, unknown rule)."""

    code = "D-E002"


class DataFileError(DriftcheckError):
    """A packaged data file (patterns, section headers, rule packs) failed validation."""

    code = "D-E003"


class StoreError(DriftcheckError):
    """The history store cannot be opened or has an incompatible schema."""

    code = "D-E004"


class ModelError(DriftcheckError):
    """A shipped model artefact is missing or incompatible."""

    code = "D-E005"


class GoldFileError(DriftcheckError):
    """A gold/label file for ``driftcheck eval`` is malformed."""

    code = "D-E006"
