"""driftcheck: catch cloned, static and thin pain-management documentation before billing.

Library first, CLI thin: :class:`driftcheck.analyze.Analyzer` runs a patient's timeline
(``analyze_patient``) or one draft against its history (``check_note``); ``scan_store`` runs a
whole history store. Imports here are lazy so ``import driftcheck`` stays cheap.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["Analyzer", "Finding", "Severity", "load_config", "scan_store", "__version__"]


def __getattr__(name: str) -> Any:
    if name in {"Analyzer", "scan_store"}:
        from driftcheck import analyze

        return getattr(analyze, name)
    if name in {"Finding", "Severity"}:
        from driftcheck import model

        return getattr(model, name)
    if name == "load_config":
        from driftcheck.config import load_config

        return load_config
    raise AttributeError(f"module 'driftcheck' has no attribute {name!r}")
