"""A wheel-scrollable viewport onto a tall pre-rendered Surface (case card, score breakdown).

The content is rendered once (it changes only with the case or the result); each frame
blits the visible slice and, when the content is taller than the viewport, a thin scrollbar.
"""

from __future__ import annotations

import pygame

from simulator.render import palette as pal

WHEEL_STEP_PX = 40
BAR_W_PX = 5


class ScrollView:
    def __init__(self, content: pygame.Surface, viewport: pygame.Rect):
        self.content = content
        self.viewport = pygame.Rect(viewport)
        self.scroll_px = 0
        self._fade: pygame.Surface | None = None

    @property
    def max_scroll_px(self) -> int:
        return max(0, self.content.get_height() - self.viewport.height)

    @property
    def scrollable(self) -> bool:
        return self.max_scroll_px > 0

    def scroll_by(self, dy_px: int) -> None:
        self.scroll_px = min(max(0, self.scroll_px + dy_px), self.max_scroll_px)

    def handle_wheel(self, event, mouse_pos) -> bool:
        """Scroll on a wheel event over the viewport; True when it was used."""
        if event.type != pygame.MOUSEWHEEL or not self.viewport.collidepoint(mouse_pos):
            return False
        self.scroll_by(-event.y * WHEEL_STEP_PX)
        return True

    def draw(self, surface: pygame.Surface) -> None:
        vp = self.viewport
        width = min(vp.width, self.content.get_width())
        height = min(vp.height, self.content.get_height() - self.scroll_px)
        surface.blit(self.content, vp.topleft, pygame.Rect(0, self.scroll_px, width, height))
        if not self.scrollable:
            return
        track = pygame.Rect(vp.right - BAR_W_PX, vp.y, BAR_W_PX, vp.height)
        pygame.draw.rect(surface, pal.BG, track, border_radius=3)
        total = self.content.get_height()
        thumb_h = max(24, round(vp.height * vp.height / total))
        thumb_y = vp.y + round((vp.height - thumb_h) * self.scroll_px / self.max_scroll_px)
        pygame.draw.rect(surface, pal.TEXT_FAINT, (track.x, thumb_y, BAR_W_PX, thumb_h), border_radius=3)
        if self.scroll_px < self.max_scroll_px:  # a fade at the bottom says "there is more"
            if self._fade is None or self._fade.get_width() != vp.width - BAR_W_PX - 2:
                self._fade = pygame.Surface((vp.width - BAR_W_PX - 2, 18), pygame.SRCALPHA)
                for row in range(18):
                    pygame.draw.line(self._fade, (*pal.PANEL, round(220 * row / 17)), (0, row), (vp.width, row))
            surface.blit(self._fade, (vp.x, vp.bottom - 18))
