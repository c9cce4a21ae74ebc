"""A tiny PNG writer (zlib + struct) so the core and commands can save frames without pygame."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def encode_png(pixels: np.ndarray) -> bytes:
    """(H, W) uint8 greyscale or (H, W, 3) uint8 RGB -> PNG bytes."""
    array = np.ascontiguousarray(pixels)
    if array.dtype != np.uint8 or array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] != 3):
        raise ValueError(f"expected (H, W) or (H, W, 3) uint8, got {array.dtype} {array.shape}")
    height, width = array.shape[:2]
    colour_type = 0 if array.ndim == 2 else 2
    rows = array.reshape(height, -1)
    raw = np.zeros((height, rows.shape[1] + 1), dtype=np.uint8)  # filter byte 0 (none) per row
    raw[:, 1:] = rows
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return b"".join([
        b"\x89PNG\r\n\x1a\n",
        _chunk(b"IHDR", header),
        _chunk(b"IDAT", zlib.compress(raw.tobytes(), 6)),
        _chunk(b"IEND", b""),
    ])


def write_png(path, pixels: np.ndarray) -> None:
    Path(path).write_bytes(encode_png(pixels))
