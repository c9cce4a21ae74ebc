"""A case's drawing (`body_region.drawing.asset`): which file it may name, and checking that file.

Cases are shared, so the name is untrusted. It must be a plain relative path; it is looked up
in the case file's own folder, then in the shipped assets folder, and the file found (after
following links) must lie inside that folder: an absolute path, `../..`, or a link out to the
system's files is refused. The file must be a PNG image of sensible size, checked from its
header before the trainer ever decodes it, so a text file or a decompression bomb named
`body.png` is a validation error rather than a crash when the palpation view is drawn.

The loader resolves the asset once and keeps the checked path on the Case; the palpation view
draws only a path it finds there (`asset_file`).
"""

from __future__ import annotations

import re
import struct
from pathlib import Path, PurePosixPath

from simulator import paths
from simulator.files import FileProblem, read_regular_bytes

MAX_ASSET_BYTES = 16 * 1024 * 1024
MAX_ASSET_PX = 4096  # each side
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_.][A-Za-z0-9_.\-/ ]*$")


def check_asset_name(name: str) -> str:
    """Schema check of the name alone: a relative path with `/`, no `..`, ending in .png."""
    parts = PurePosixPath(name).parts
    if not _SAFE_NAME.match(name) or "\\" in name or name.startswith("/") or ".." in parts:
        raise ValueError(
            f"asset {name[:80]!r} must be a relative path inside the case's folder or the shipped assets "
            "folder, e.g. drawings/upper_back.png (letters, digits, _ - . / only; no '..')"
        )
    if not name.lower().endswith(".png"):
        raise ValueError(f"asset {name[:80]!r} must be a PNG image (.png)")
    return name


def _png_size(head: bytes) -> tuple[int, int] | None:
    """(width, height) from a PNG header, or None when the bytes are not a PNG."""
    if len(head) < 24 or not head.startswith(PNG_SIGNATURE) or head[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", head[16:24])


def resolve_asset(name: str, case_folder: Path | None) -> Path:
    """The checked image file for `name`, or ValueError with the reason a person can act on."""
    bases = [case_folder] if case_folder is not None else []
    bases.append(paths.ASSETS_DIR)
    for base in bases:
        root = Path(base).resolve()
        candidate = (root / name).resolve()
        if not candidate.is_relative_to(root):
            raise ValueError(f"asset {name!r} leads outside {root} (through a link); only files inside it are read")
        if not candidate.exists():
            continue
        try:
            head = read_regular_bytes(candidate, MAX_ASSET_BYTES, "drawings")
        except FileProblem as problem:
            raise ValueError(f"asset {name!r}: {problem.message}") from None
        size = _png_size(head[:24])
        if size is None:
            raise ValueError(f"asset {name!r} ({candidate}) is not a PNG image")
        width, height = size
        if not (0 < width <= MAX_ASSET_PX and 0 < height <= MAX_ASSET_PX):
            raise ValueError(f"asset {name!r} is {width}x{height} pixels; drawings are limited to "
                             f"{MAX_ASSET_PX}x{MAX_ASSET_PX}")
        return candidate
    where = " or ".join(str(Path(b).resolve()) for b in bases)
    raise ValueError(f"asset {name!r} not found in {where}")


def asset_file(case) -> Path | None:
    """The drawing the loader checked for this case, or None (no asset, or a case not read from a file)."""
    return getattr(case, "_asset_file", None)
