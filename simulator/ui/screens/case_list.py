"""The picker's case library: a scrolling list of case cards, one of them selected.

Why a class of its own: the list has its own state (the selection, how far it is scrolled)
and its own geometry and drawing (cards, scrollbar, fades and "n more" pills at the cut
edges), apart from the picker's mode, trainee, guided-case offer and start. The picker owns
one and tells it where the list panel is (`area`, the layout's cases rect).
"""

from __future__ import annotations

import pygame

from simulator.render import palette as pal
from simulator.render.text import badge, blit_wrapped, fit_text

CARD_H = 84
CARD_GAP = 8
SCROLLBAR_W = 12
WHEEL_STEP_PX = 48
FADE_H = 34


def muscles_of(case) -> str:
    """The muscles that hold the case's trigger points, as a reader would write them."""
    names = dict.fromkeys(tp.muscle for tp in case.trigger_points)
    return ", ".join(name.replace("_", " ") for name in names)


class CaseList:
    """Which case is selected, how far the cards are scrolled, where each card is, and drawing them.

    `cases` is the app's list itself (not a copy): cases the library adds later show up here."""

    def __init__(self, cases: list, selected: int = 0):
        self.cases = cases
        self.selected = min(selected, max(0, len(cases) - 1))
        self.scroll_px = 0
        self.area = pygame.Rect(0, 0, 0, 0)  # the list's panel; the picker sets it at each layout
        self._fade: pygame.Surface | None = None

    @property
    def selected_case(self):
        """The case selected, or None when the library is empty."""
        return self.cases[self.selected] if self.cases else None

    # ------------------------------------------------------------------ geometry
    @property
    def viewport(self) -> pygame.Rect:
        """Where the cards are shown (they scroll inside it); the scrollbar sits on its right."""
        c = self.area
        return pygame.Rect(c.x + 10, c.y + 32, c.width - 20 - SCROLLBAR_W, c.bottom - 10 - (c.y + 32))

    @property
    def max_scroll_px(self) -> int:
        content_h = len(self.cases) * (CARD_H + CARD_GAP) - CARD_GAP
        return max(0, content_h - self.viewport.height)

    @property
    def page_rows(self) -> int:
        """How many cards Page Up / Down moves: as many as the viewport shows whole (at least one)."""
        return max(1, self.viewport.height // (CARD_H + CARD_GAP))

    def scroll_to(self, px: int) -> None:
        self.scroll_px = min(max(0, round(px)), self.max_scroll_px)

    def wheel(self, notches: int) -> None:
        """A mouse wheel turned `notches` (up positive): the list scrolls, the selection stays."""
        self.scroll_to(self.scroll_px - notches * WHEEL_STEP_PX)

    def keep_in_view(self, index: int) -> None:
        """Scroll just enough that card `index` is wholly visible."""
        vp = self.viewport
        top = index * (CARD_H + CARD_GAP)
        if top < self.scroll_px:
            self.scroll_to(top)
        elif top + CARD_H > self.scroll_px + vp.height:
            self.scroll_to(top + CARD_H - vp.height)

    def select(self, index: int) -> None:
        if self.cases:
            self.selected = min(max(0, index), len(self.cases) - 1)
            self.keep_in_view(self.selected)

    def card_rect(self, index: int) -> pygame.Rect:
        vp = self.viewport
        return pygame.Rect(vp.x, vp.y + index * (CARD_H + CARD_GAP) - self.scroll_px, vp.width, CARD_H)

    def cards_at(self, pos) -> list[int]:
        """The cards under `pos`, only where the viewport shows them (a card scrolled out is not hit)."""
        if not self.viewport.collidepoint(pos):
            return []
        return [index for index in range(len(self.cases)) if self.card_rect(index).collidepoint(pos)]

    # ------------------------------------------------------------------ drawing
    def draw(self, surface, fonts) -> None:
        """The visible cards (clipped to the viewport), then the scroll hints when the list is taller."""
        vp = self.viewport
        clip = surface.get_clip()
        surface.set_clip(vp)
        for index, case in enumerate(self.cases):
            rect = self.card_rect(index)
            if rect.bottom < vp.y or rect.y > vp.bottom:
                continue
            self._draw_card(surface, fonts, rect, case, index == self.selected)
        surface.set_clip(clip)
        self._draw_scroll_hint(surface, fonts)

    def _draw_scroll_hint(self, surface, fonts) -> None:
        """A scrollbar, fades at the cut edges, and 'cards a-b of n' with the keys, when the list is taller."""
        if self.max_scroll_px <= 0:
            return
        vp = self.viewport
        track = pygame.Rect(vp.right + 4, vp.y, SCROLLBAR_W - 6, vp.height)
        pygame.draw.rect(surface, pal.BG, track, border_radius=3)
        content_h = vp.height + self.max_scroll_px
        thumb_h = max(30, round(vp.height * vp.height / content_h))
        thumb_y = vp.y + round((vp.height - thumb_h) * self.scroll_px / self.max_scroll_px)
        pygame.draw.rect(surface, pal.TEXT_FAINT, (track.x, thumb_y, track.width, thumb_h), border_radius=3)
        step = CARD_H + CARD_GAP
        first = self.scroll_px // step
        last = min(len(self.cases), (self.scroll_px + vp.height + CARD_GAP) // step)
        hint = fonts.text(f"cards {first + 1}\u2013{max(first + 1, last)} of {len(self.cases)}  \u00b7  "
                          "wheel or Up/Down keys", 12, pal.TEXT_DIM)
        surface.blit(hint, (track.right - hint.get_width(), self.area.y + 8))
        if self._fade is None or self._fade.get_width() != vp.width:
            self._fade = pygame.Surface((vp.width, FADE_H), pygame.SRCALPHA)
            for row in range(FADE_H):
                pygame.draw.line(self._fade, (*pal.PANEL, round(235 * row / (FADE_H - 1))), (0, row), (vp.width, row))
        if self.scroll_px < self.max_scroll_px:
            surface.blit(self._fade, (vp.x, vp.bottom - FADE_H))
            more_pill(surface, fonts, f"{len(self.cases) - last} more below", (vp.centerx, vp.bottom - 13), down=True)
        if self.scroll_px > 0:
            surface.blit(pygame.transform.flip(self._fade, False, True), (vp.x, vp.y))
            more_pill(surface, fonts, f"{first} more above", (vp.centerx, vp.y + 13), down=False)

    @staticmethod
    def _draw_card(surface, fonts, rect, case, selected: bool) -> None:
        pygame.draw.rect(surface, pal.PANEL_RAISED if selected else pal.BG, rect, border_radius=6)
        pygame.draw.rect(surface, pal.ACCENT if selected else pal.PANEL_BORDER, rect, 2 if selected else 1,
                         border_radius=6)
        if selected:
            pygame.draw.rect(surface, pal.ACCENT, (rect.x, rect.y + 8, 4, rect.height - 16), border_radius=2)
        x = rect.x + 16
        colour = pal.DIFFICULTY_COLOURS.get(case.difficulty, pal.INFO)
        label_w = fonts.bold(12).size(case.difficulty.upper())[0] + 14
        title = fonts.bold(16).render(fit_text(fonts.bold(16), case.title, rect.right - label_w - 24 - x), True,
                                      pal.TEXT)
        surface.blit(title, (x, rect.y + 9))
        badge(surface, fonts, case.difficulty.upper(), (rect.right - label_w - 12, rect.y + 11), colour)
        muscle = fonts.regular(13).render(muscles_of(case), True, pal.ACCENT)
        surface.blit(muscle, (x, rect.y + 34))
        blit_wrapped(surface, fonts.regular(13), case.summary, (x, rect.y + 54), rect.width - 32, pal.TEXT_DIM,
                     max_y=rect.bottom)


def more_pill(surface, fonts, text: str, centre, down: bool) -> None:
    """A small pill with a triangle pointing where the hidden cards are."""
    label = fonts.text(text, 12, pal.ACCENT, "bold")
    pill = pygame.Rect(0, 0, label.get_width() + 34, label.get_height() + 4)
    pill.center = centre
    pygame.draw.rect(surface, pal.PANEL_RAISED, pill, border_radius=pill.height // 2)
    pygame.draw.rect(surface, pal.ACCENT_DIM, pill, 1, border_radius=pill.height // 2)
    x, y = pill.x + 13, pill.centery
    tri = [(x - 5, y - 3), (x + 5, y - 3), (x, y + 3)] if down else [(x - 5, y + 3), (x + 5, y + 3), (x, y - 3)]
    pygame.draw.polygon(surface, pal.ACCENT, tri)
    surface.blit(label, (pill.x + 24, pill.y + 2))
