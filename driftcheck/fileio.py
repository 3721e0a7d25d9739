"""Private file creation: every file driftcheck writes may hold PHI, so it is created 0600."""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO


def open_private(path: str | os.PathLike[str], mode: str = "w", encoding: str | None = "utf-8") -> IO:
    """Open ``path`` for writing, created (or truncated) with permissions 0600.

    The mode is applied at creation through ``os.open`` — not with a later ``chmod`` — so the
    file is never readable by others, not even for a moment. An existing file is re-moded.
    """
    if not any(flag in mode for flag in ("w", "a", "x")):
        raise ValueError("open_private is for writing")
    path = Path(path)
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True)  # new folders private too (umask may widen)
    flags = os.O_WRONLY | os.O_CREAT
    flags |= os.O_APPEND if "a" in mode else os.O_TRUNC
    if "x" in mode:
        flags |= os.O_EXCL
    fd = os.open(path, flags, 0o600)
    os.chmod(path, 0o600)
    if "b" in mode:
        return os.fdopen(fd, mode)
    return os.fdopen(fd, mode, encoding=encoding, newline="" if "csv" in path.suffix else None)
