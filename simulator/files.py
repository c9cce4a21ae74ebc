"""Reading files that other people made: only regular files, size-capped, decoded as UTF-8.

Case files and replay files are shared between educators and programmes, so a path may
name a FIFO, a device or a folder, or a file far larger than any real case. Opening a
FIFO for reading blocks until a writer appears, so the file is opened non-blocking and
checked with `fstat` on the open descriptor (no window between the check and the read);
anything but a regular file is refused before a byte is read. The size limit is checked
before reading too, so a huge file costs nothing.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class FileProblem(Exception):
    """The file cannot be used; `line` is where the problem is (1 when it is the whole file)."""

    def __init__(self, message: str, line: int = 1, col: int = 1):
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "is a folder"
    if stat.S_ISFIFO(mode):
        return "is a pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "is a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device"
    return "is not a regular file"


def read_regular_bytes(path: Path | str, max_bytes: int, what: str) -> bytes:
    """The bytes of `path`, or FileProblem when it is missing, not a regular file, or over `max_bytes`.

    `what` names the kind of file in the size message, e.g. "case files".
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise FileProblem("no such file") from None
    except IsADirectoryError:
        raise FileProblem("is a folder, not a file") from None
    except OSError as exc:
        raise FileProblem(f"cannot read the file: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileProblem(f"{_kind(info.st_mode)}, not a file; only regular files are read")
        if info.st_size > max_bytes:
            raise FileProblem(f"file is {info.st_size / 1048576:.1f} MB; {what} are limited to {_limit_text(max_bytes)}")
        chunks = []
        total = 0
        while True:  # read to the end, but never more than the limit (the file may grow meanwhile)
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                raise FileProblem(f"file is larger than {_limit_text(max_bytes)}; {what} are limited to that")
        return b"".join(chunks)
    except OSError as exc:
        raise FileProblem(f"cannot read the file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def _limit_text(size: int) -> str:
    return f"{size // 1048576} MB" if size % 1048576 == 0 else f"{size / 1024:g} kB"


def decode_utf8(raw: bytes) -> str:
    """The text of `raw` (a leading BOM dropped), or FileProblem at the line and column of the first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise FileProblem(
            f"not a UTF-8 text file: byte 0x{raw[exc.start]:02x} cannot be read; save the file as UTF-8", line, col
        ) from None
