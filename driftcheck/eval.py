"""Accuracy against gold files (``driftcheck eval``): the public facade.

The implementation lives in :mod:`driftcheck.evaluation` (loaders, extraction, cloning,
billing, tables); this module keeps the import path DESIGN.md names stable.
"""

from __future__ import annotations

from driftcheck.evaluation import *  # noqa: F403 - the facade re-exports the package's API
from driftcheck.evaluation import __all__  # noqa: F401
