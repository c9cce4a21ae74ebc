"""The window sizes the screens are laid out for, and the message for a size outside them.

Why a module of its own without pygame: the command line checks `--size` before anything
graphical is imported, and the layouts and the app use the same numbers.
"""

from __future__ import annotations

MIN_SIZE = (1024, 640)  # every screen is tested uncut down to this size
MAX_SIZE = (7680, 4320)


def size_problem(width_px: int, height_px: int) -> str | None:
    """Why a window of this size cannot be used, or None when it can."""
    if width_px < MIN_SIZE[0] or height_px < MIN_SIZE[1]:
        return (f"window size {width_px}x{height_px} is smaller than the supported minimum "
                f"{MIN_SIZE[0]}x{MIN_SIZE[1]}; the screens would be cut off")
    if width_px > MAX_SIZE[0] or height_px > MAX_SIZE[1]:
        return f"window size {width_px}x{height_px} is larger than {MAX_SIZE[0]}x{MAX_SIZE[1]}"
    return None
