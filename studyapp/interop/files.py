"""Writing a file all or nothing: a temporary name beside it, renamed over it when complete.

A failed or cancelled export leaves no half file and never replaces a good one. Each way
writing can fail gets its own message: the folder is missing or read-only, the disk is full.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


class InteropError(Exception):
    """An export or import that cannot be done; str() says what, where and why."""


def write_failure(path: Path, error: OSError) -> InteropError:
    """Why `path` could not be written, in words that point at the cause."""
    folder = path.parent
    code = error.errno
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        advice = f"the folder {folder} is read-only (or you may not write there)"
        then = "Choose another folder"
    elif code in (errno.ENOSPC, errno.EDQUOT):
        advice = f"the disk holding {folder} is full"
        then = "Free some disk space or choose another disk"
    elif code == errno.ENOENT:
        advice = f"the folder {folder} does not exist"
        then = "Choose an existing folder"
    elif code == errno.EISDIR:
        advice = f"{path} is a folder"
        then = "Choose a file name"
    else:
        advice = error.strerror or str(error)
        then = "Check the folder and try again"
    return InteropError(
        f"Could not write {path.name}: {advice}. Nothing was written (an existing file of "
        f"that name is unchanged). {then}."
    )


@contextmanager
def atomic_output(path: Path) -> Iterator[BinaryIO]:
    """A binary file to write `path`'s new content into; it becomes `path` only if the block
    finishes, synced to disk. Any exception removes it and leaves `path` as it was; an OSError
    becomes an InteropError with a message."""
    path = path.absolute()
    try:
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".part"
        )
    except OSError as error:
        raise write_failure(path, error) from error
    finished = False
    try:
        with os.fdopen(handle, "wb") as output:
            yield output
            output.flush()
            os.fsync(output.fileno())
        os.chmod(temporary, 0o644 & ~_umask())
        os.replace(temporary, path)
        finished = True
    except OSError as error:
        raise write_failure(path, error) from error
    finally:
        if not finished:
            Path(temporary).unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
