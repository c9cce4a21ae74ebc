"""mm <-> px transforms for the palpation view and the ultrasound image.

The palpation view shows the case's body region (width_mm x height_mm) fitted into a
screen rectangle with equal scale on both axes; the ultrasound image shows the image
plane (lateral_mm x depth_mm) the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame


@dataclass(frozen=True)
class MmView:
    """A region of `width_mm` x `height_mm` drawn at `px_per_mm` with its origin at (left, top)."""

    left: float
    top: float
    px_per_mm: float
    width_mm: float
    height_mm: float

    @classmethod
    def fit(cls, box: pygame.Rect, width_mm: float, height_mm: float, margin_px: int = 0) -> "MmView":
        """The largest view of the region that fits in `box`, centred."""
        avail_w = max(1, box.width - 2 * margin_px)
        avail_h = max(1, box.height - 2 * margin_px)
        scale = min(avail_w / width_mm, avail_h / height_mm)
        left = box.x + (box.width - width_mm * scale) / 2
        top = box.y + (box.height - height_mm * scale) / 2
        return cls(left, top, scale, width_mm, height_mm)

    @property
    def rect(self) -> pygame.Rect:
        return pygame.Rect(round(self.left), round(self.top),
                           round(self.width_mm * self.px_per_mm), round(self.height_mm * self.px_per_mm))

    def to_px(self, x_mm: float, y_mm: float) -> tuple[int, int]:
        return round(self.left + x_mm * self.px_per_mm), round(self.top + y_mm * self.px_per_mm)

    def to_mm(self, x_px: float, y_px: float) -> tuple[float, float]:
        return (x_px - self.left) / self.px_per_mm, (y_px - self.top) / self.px_per_mm

    def contains_px(self, x_px: float, y_px: float) -> bool:
        x_mm, y_mm = self.to_mm(x_px, y_px)
        return 0 <= x_mm <= self.width_mm and 0 <= y_mm <= self.height_mm

    def clamp_mm(self, x_mm: float, y_mm: float) -> tuple[float, float]:
        return min(max(x_mm, 0.0), self.width_mm), min(max(y_mm, 0.0), self.height_mm)


@dataclass(frozen=True)
class ImageView:
    """Where an ultrasound image of `width_mm` x `depth_mm` sits on screen (lateral centred on 0)."""

    view: MmView

    @classmethod
    def fit(cls, box: pygame.Rect, width_mm: float, depth_mm: float) -> "ImageView":
        return cls(MmView.fit(box, width_mm, depth_mm))

    @property
    def rect(self) -> pygame.Rect:
        return self.view.rect

    def to_px(self, lateral_mm: float, depth_mm: float) -> tuple[int, int]:
        return self.view.to_px(lateral_mm + self.view.width_mm / 2, depth_mm)
