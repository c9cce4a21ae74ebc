"""Presenting frames: send the window only the tiles whose pixels changed since the last frame.

Uploading a whole 1280x800 frame to an X server costs more than drawing it; most of the
screen (controls, case card, feed) is the same frame after frame, while the ultrasound
image changes every frame. Comparing with the previous frame in numpy (about a millisecond)
and updating only the changed tiles keeps the real window at the display rate.
"""

from __future__ import annotations

import numpy as np
import pygame

TILE_PX = 32


class Presenter:
    def __init__(self, tile_px: int = TILE_PX):
        self.tile_px = tile_px
        self._previous: np.ndarray | None = None

    def changed_rects(self, window: pygame.Surface) -> list[pygame.Rect] | None:
        """The changed tiles as row runs, or None when the whole window must be sent (first frame, new size)."""
        try:
            current = pygame.surfarray.pixels2d(window)
        except (ValueError, pygame.error):  # a format surfarray cannot view: always send everything
            return None
        previous = self._previous
        if previous is None or previous.shape != current.shape:
            self._previous = np.array(current, copy=True)
            del current
            return None
        changed = current != previous
        np.copyto(previous, current)
        del current
        return self._tiles(changed)

    def _tiles(self, changed: np.ndarray) -> list[pygame.Rect]:
        t = self.tile_px
        w, h = changed.shape
        cols, rows = w // t, h // t
        tiles = changed[:cols * t, :rows * t].reshape(cols, t, rows, t).any(axis=(1, 3))
        rects: list[pygame.Rect] = []
        for row in range(rows):
            flags = tiles[:, row]
            col = 0
            while col < cols:
                if flags[col]:
                    start = col
                    while col < cols and flags[col]:
                        col += 1
                    rects.append(pygame.Rect(start * t, row * t, (col - start) * t, t))
                col += 1
        if cols * t < w and changed[cols * t:, :].any():
            rects.append(pygame.Rect(cols * t, 0, w - cols * t, h))
        if rows * t < h and changed[:, rows * t:].any():
            rects.append(pygame.Rect(0, rows * t, w, h - rows * t))
        return rects

    def present(self, window: pygame.Surface) -> int:
        """Show the frame; returns how many pixels were sent."""
        rects = self.changed_rects(window)
        if rects is None:
            pygame.display.flip()
            return window.get_width() * window.get_height()
        if rects:
            pygame.display.update(rects)
        return sum(r.width * r.height for r in rects)
