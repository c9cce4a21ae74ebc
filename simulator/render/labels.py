"""Greedy label placement: try positions around each anchor, keep the first free one.

A label never overlaps another label or an obstacle (the landmark dots), and stays inside
the bounds; when no position is free the text is shortened word by word, then dropped.
"""

from __future__ import annotations

from collections.abc import Callable

import pygame

PAD_PX = 2  # labels keep this much air between them
BACKING_PX = 3  # a label's backing pill reaches this far past its text on either side


def _free(rect: pygame.Rect, bounds: pygame.Rect, taken: list[pygame.Rect]) -> bool:
    if not bounds.contains(rect):
        return False
    grown = rect.inflate(4 * BACKING_PX, 2 * PAD_PX)  # side by side, two names' backings never overlap
    return grown.collidelist(taken) < 0


def shortened(text: str) -> list[str]:
    """The text, then shorter versions dropping trailing words (\u2026 marks the cut)."""
    words = text.split()
    return [text] + [" ".join(words[:n]) + "\u2026" for n in range(len(words) - 1, 0, -1)]


def around_point(x: int, y: int, w: int, h: int, clearance_px: int = 7) -> list[pygame.Rect]:
    """Candidate rectangles for a label beside a point: right, left, below, above, then diagonals, further out."""
    out = []
    for k in (1, 2, 3):
        c = clearance_px * k
        out += [
            pygame.Rect(x + c, y - h // 2, w, h), pygame.Rect(x - c - w, y - h // 2, w, h),
            pygame.Rect(x - w // 2, y + c, w, h), pygame.Rect(x - w // 2, y - c - h, w, h),
            pygame.Rect(x + c - 2, y + c - 4, w, h), pygame.Rect(x - c - w + 2, y + c - 4, w, h),
            pygame.Rect(x + c - 2, y - c - h + 4, w, h), pygame.Rect(x - c - w + 2, y - c - h + 4, w, h),
        ]
    return out


def around_centre(x: int, y: int, w: int, h: int, reach_px: int = 80) -> list[pygame.Rect]:
    """Candidate rectangles centred on and spiralling out from a point (labels inside an area)."""
    out = [pygame.Rect(x - w // 2, y - h // 2, w, h)]
    step = max(6, h // 2)
    for r in range(step, reach_px, step):
        for dx, dy in ((0, -r), (0, r), (-r, 0), (r, 0), (-r, -r), (r, -r), (-r, r), (r, r)):
            out.append(pygame.Rect(x + dx - w // 2, y + dy - h // 2, w, h))
    return out


def place(text: str, size_of: Callable[[str], tuple[int, int]],
          candidates: Callable[[int, int], list[pygame.Rect]], bounds: pygame.Rect,
          taken: list[pygame.Rect], accept: Callable[[pygame.Rect], bool] = lambda r: True):
    """The (text, rect) of the first free candidate for the text or a shortened form; None if none.

    The placed rectangle is appended to `taken`.
    """
    for version in shortened(text):
        w, h = size_of(version)
        for rect in candidates(w, h):
            if _free(rect, bounds, taken) and accept(rect):
                taken.append(rect)
                return version, rect
    return None


def point_in_polygon(x: float, y: float, polygon) -> bool:
    inside = False
    n = len(polygon)
    for i in range(n):
        x1, y1 = polygon[i]
        x2, y2 = polygon[(i + 1) % n]
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside
