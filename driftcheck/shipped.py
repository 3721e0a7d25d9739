"""Where the models shipped in the repository's top-level ``models/`` folder are found.

A source checkout (``pip install -e .``) reads them in place; a wheel installs them as data files
under ``<prefix>/share/driftcheck/models/`` (``[tool.setuptools.data-files]`` in pyproject.toml),
so a regular ``pip install .`` finds the same files without a download.
"""

from __future__ import annotations

import sys
import sysconfig
from pathlib import Path

#: The repository's models/ folder when running from a checkout.
SOURCE_MODELS = Path(__file__).resolve().parents[1] / "models"


def model_dirs() -> list[Path]:
    """Folders searched for shipped models, checkout first."""
    dirs = [SOURCE_MODELS]
    for prefix in dict.fromkeys((sysconfig.get_path("data"), sys.prefix)):
        dirs.append(Path(prefix) / "share" / "driftcheck" / "models")
    return dirs


def shipped_model(relative: str) -> Path:
    """The first existing ``<dir>/<relative>`` of :func:`model_dirs` (else the checkout path,
    which does not exist, so callers' ``exists()`` checks stay simple)."""
    for folder in model_dirs():
        path = folder / relative
        if path.is_file():
            return path
    return SOURCE_MODELS / relative
