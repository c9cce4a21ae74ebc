"""Between two exam cases: the case just finished is saved (or the save is offered again), then the next.

No score is shown here (the end screen shows what the exam allows). When the store refused
the save, the reason is shown in red with a Retry button, and the exam cannot move on until
the attempt (after the last case, with the exam's sitting) is kept: a programme never loses a
case or an exam's result without anyone seeing it.
"""

from __future__ import annotations

import pygame
import pygame_gui
from pygame_gui.elements import UIButton

from simulator.render import palette as pal
from simulator.render.hud import draw_top_bar
from simulator.render.layout import GAP, TOP_BAR_H
from simulator.render.text import blit_wrapped, panel
from simulator.ui.screens.base import Screen

PANEL_W, PANEL_H = 720, 300


def centred_panel_with_two_buttons(screen, size, panel_wh: tuple[int, int], left: tuple[str, int],
                                   right: tuple[str, int]):
    """A panel centred below the top bar with a plain button (label, width) at its bottom left
    and a primary one at its bottom right, as the exam's in-between screens have; returns
    (panel rect, left button, right button)."""
    w, h = size
    rect = pygame.Rect(0, 0, min(panel_wh[0], w - 2 * GAP), min(panel_wh[1], h - TOP_BAR_H - 2 * GAP))
    rect.center = (w // 2, (h + TOP_BAR_H) // 2)
    manager = screen.app.manager
    left_button = screen.add(UIButton(pygame.Rect(rect.x + 20, rect.bottom - 70, left[1], 50), left[0], manager))
    right_button = screen.add(UIButton(pygame.Rect(rect.right - 20 - right[1], rect.bottom - 70, right[1], 50),
                                       right[0], manager, object_id="@primary"))
    return rect, left_button, right_button


class BetweenScreen(Screen):
    name = "exam_between"

    def __init__(self, app, flow):
        super().__init__(app)
        self.flow = flow
        self.build(app.size)

    def build(self, size) -> None:
        label = "See the results   (Enter)" if self.flow.is_last else f"Start case {self.flow.next_index + 1}   (Enter)"
        self.panel_rect, self.retry_button, self.next_button = centred_panel_with_two_buttons(
            self, size, (PANEL_W, PANEL_H), ("Retry saving   (R)", 200), (label, 300))
        self._sync()

    def _sync(self) -> None:
        if not self.flow.unsaved:
            self.retry_button.hide()
            self.next_button.enable()
        else:
            self.retry_button.show()
            self.next_button.disable()

    def handle_event(self, event, consumed) -> None:
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            if event.ui_element is self.retry_button:
                self.flow.save()
                self._sync()
            elif event.ui_element is self.next_button:
                self.flow.next()
        elif event.type == pygame.KEYDOWN:
            if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                self.flow.next()
            elif event.key == pygame.K_r and self.flow.unsaved:
                self.flow.save()
                self._sync()

    def draw(self, surface) -> None:
        fonts, flow, r = self.app.fonts, self.flow, self.panel_rect
        draw_top_bar(surface, pygame.Rect(0, 0, surface.get_width(), TOP_BAR_H), fonts, flow.exam.title,
                     flow.candidate, "exam", muted=self.app.sound.muted)
        panel(surface, r, fonts)
        number, count = flow.index + 1, len(flow.loaded.cases)
        surface.blit(fonts.text(f"Case {number} of {count} finished", 22, pal.TEXT, "bold"), (r.x + 20, r.y + 20))
        case = flow.loaded.cases[flow.index]
        surface.blit(fonts.text(case.title, 15, pal.TEXT_DIM), (r.x + 20, r.y + 58))
        if not flow.unsaved:
            text = f"Saved under {flow.candidate} for exam {flow.exam.id}"
            text, colour = text + (", with the exam's result." if flow.is_last else "."), pal.OK
        else:
            text, colour = flow.save_error, pal.DANGER
        y = blit_wrapped(surface, fonts.bold(14), text, (r.x + 20, r.y + 96), r.width - 40, colour)
        if not flow.unsaved and not flow.is_last:
            following = flow.loaded.cases[flow.next_index]
            blit_wrapped(surface, fonts.regular(14), f"Next: {following.title}. Its clock starts when it opens.",
                         (r.x + 20, y + 10), r.width - 40, pal.TEXT)
        elif not flow.unsaved:
            blit_wrapped(surface, fonts.regular(14), "That was the last case.", (r.x + 20, y + 10), r.width - 40,
                         pal.TEXT)
