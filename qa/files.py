"""Atomic file writes: a reader of the file sees the old content or the new, never half of either."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def atomic_write_text(path: Path, text: str) -> None:
    """Write a text file (UTF-8) atomically (temporary file in the same folder, fsync, rename)."""
    atomic_write_bytes(path, text.encode("utf-8"))


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _read_umask()  # read once at import: setting it later would race with other threads


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write a binary file atomically (temporary file in the same folder, fsync, rename).

    The file gets the permissions a plain ``open(path, "w")`` would give it (``0o666`` less the
    umask), not the owner-only mode of the temporary file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fchmod(f.fileno(), 0o666 & ~_UMASK)
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
