"""The exam's first screen: the exam's title and rules, the instructions, and the candidate's id.

The id is required and checked as every attempt's trainee id is (records.attempt): an empty
or malformed id is refused with the reason in red under the field, and the exam does not
start. The instructions scroll when they are long; Enter (also in the field) starts (or, for a
candidate whose sitting was interrupted, offers to resume it).
"""

from __future__ import annotations

import pygame
import pygame_gui
from pygame_gui.elements import UIButton

from simulator.records.attempt import check_trainee_id
from simulator.render import palette as pal
from simulator.render.hud import draw_top_bar, format_clock
from simulator.render.layout import GAP, TOP_BAR_H
from simulator.render.scroll import ScrollView
from simulator.render.text import blit_wrapped, panel, wrap
from simulator.ui.screens.base import Screen
from simulator.ui.text_field import TextField

PANEL_W = 820
FIELD_H = 38


def rules_line(exam) -> str:
    """The exam's rules in one line: how many cases, the time limit, help."""
    limits = {exam.limit_s(i) for i in range(len(exam.cases))}
    limit = (f"{format_clock(limits.pop())} each" if len(limits) == 1
             else f"{format_clock(min(limits))} to {format_clock(max(limits))}")
    help_text = "help (F1) allowed" if exam.help_allowed else "no help"
    return f"{len(exam.cases)} cases  \u00b7  time limit {limit}  \u00b7  {help_text}  \u00b7  no hints"


def render_paragraphs(fonts, text: str, width_px: int, size: int = 15) -> pygame.Surface:
    """Plain text (blank lines between paragraphs) wrapped to `width_px` on a transparent surface."""
    font = fonts.regular(size)
    lines = wrap(font, text.strip(), width_px)
    line_h = font.get_linesize() + 3
    surface = pygame.Surface((width_px, max(1, len(lines) * line_h)), pygame.SRCALPHA)
    for i, line in enumerate(lines):
        surface.blit(fonts.text(line, size, pal.TEXT), (0, i * line_h))
    return surface


class CandidateScreen(Screen):
    name = "exam_candidate"

    def __init__(self, app, flow):
        super().__init__(app)
        self.flow = flow
        self.error = ""
        self.build(app.size)

    def build(self, size) -> None:
        w, h = size
        width = min(PANEL_W, w - 2 * GAP)
        self.panel_rect = pygame.Rect((w - width) // 2, TOP_BAR_H + 2 * GAP, width, h - TOP_BAR_H - 4 * GAP)
        r = self.panel_rect
        manager = self.app.manager
        self.start_button = self.add(UIButton(pygame.Rect(r.x + 20, r.bottom - 70, r.width - 40, 50),
                                              "Start the exam   (Enter)", manager, object_id="@primary"))
        self.id_entry = self.add(TextField(pygame.Rect(r.x + 20, r.bottom - 150, r.width - 40, FIELD_H), manager,
                                           placeholder_text="Candidate id (your programme id or email)"))
        if self.flow.candidate:
            self.id_entry.set_text(self.flow.candidate)
        self.id_entry.focus()
        top = r.y + 96
        viewport = pygame.Rect(r.x + 20, top, r.width - 40, r.bottom - 190 - top)
        self.instructions = ScrollView(render_paragraphs(self.app.fonts, self.flow.exam.instructions,
                                                         viewport.width - 10), viewport)

    def start(self) -> None:
        try:
            candidate = check_trainee_id(self.id_entry.get_text())
        except ValueError as exc:
            self.error = str(exc)[:1].upper() + str(exc)[1:]
            return
        self.error = self.flow.begin(candidate)

    def handle_event(self, event, consumed) -> None:
        if event.type == pygame_gui.UI_BUTTON_PRESSED and event.ui_element is self.start_button:
            self.start()
        elif event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.start()
        elif event.type == pygame.MOUSEWHEEL:
            self.instructions.handle_wheel(event, getattr(event, "pos", None) or pygame.mouse.get_pos())
        elif event.type == pygame_gui.UI_TEXT_ENTRY_CHANGED and event.ui_element is self.id_entry:
            self.error = ""

    def draw(self, surface) -> None:
        fonts, exam, r = self.app.fonts, self.flow.exam, self.panel_rect
        draw_top_bar(surface, pygame.Rect(0, 0, surface.get_width(), TOP_BAR_H), fonts, exam.title, "exam",
                     "exam", muted=self.app.sound.muted)
        panel(surface, r, fonts)
        surface.blit(fonts.text(exam.title, 22, pal.TEXT, "bold"), (r.x + 20, r.y + 18))
        surface.blit(fonts.text(rules_line(exam), 14, pal.ACCENT), (r.x + 20, r.y + 54))
        surface.blit(fonts.text("INSTRUCTIONS", 12, pal.TEXT_FAINT, "bold"), (r.x + 20, r.y + 78))
        self.instructions.draw(surface)
        field = self.id_entry.rect
        surface.blit(fonts.text("CANDIDATE ID (required)", 12, pal.TEXT_FAINT, "bold"), (field.x, field.y - 18))
        if self.error:  # a store's reason can be long: wrapped above the start button
            blit_wrapped(surface, fonts.bold(12), self.error, (field.x, field.bottom + 3), field.width, pal.DANGER,
                         max_y=self.start_button.rect.y - 1, line_gap=1)
        else:
            note = "Every case is saved under this id with the exam's id."
            surface.blit(fonts.text(note, 12, pal.TEXT_DIM), (field.x, field.bottom + 6))
