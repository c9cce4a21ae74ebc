"""The offer to resume an interrupted exam sitting, after the candidate's id.

When the store holds this candidate's attempts of this exam that no finished sitting holds
(the window was closed between cases, or the process killed), the exam does not start over:
this screen lists the cases already saved and offers to go on with the remaining ones (Enter).
A saved case is never taken again; a case that was open when the exam stopped starts again with
only the time its limit had left (records.case_clock), which the screen says. Esc goes back
to the candidate id, for a candidate who typed someone else's id.
"""

from __future__ import annotations

import pygame
import pygame_gui

from simulator.render import palette as pal
from simulator.render.hud import draw_top_bar, format_clock
from simulator.render.layout import TOP_BAR_H
from simulator.render.text import blit_wrapped, panel
from simulator.ui.screens.base import Screen
from simulator.ui.screens.exam_between import centred_panel_with_two_buttons

PANEL_W, PANEL_H = 760, 380


class ResumeScreen(Screen):
    name = "exam_resume"

    def __init__(self, app, flow, plan: dict, open_cases: dict | None = None):
        super().__init__(app)
        self.flow = flow
        self.plan = plan  # case index -> its stored attempt
        self.open_cases = dict(open_cases or {})  # case index -> the CaseClock of a case left open
        self.remaining = [i for i in range(len(flow.loaded.cases)) if i not in plan]
        self.build(app.size)

    def build(self, size) -> None:
        label = f"Resume at case {self.remaining[0] + 1}   (Enter)" if self.remaining else "See the results   (Enter)"
        self.panel_rect, self.back_button, self.resume_button = centred_panel_with_two_buttons(
            self, size, (PANEL_W, PANEL_H), ("Not me: back   (Esc)", 240), (label, 320))

    def handle_event(self, event, consumed) -> None:
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            if event.ui_element is self.resume_button:
                self.flow.resume(self.plan, self.open_cases)
            elif event.ui_element is self.back_button:
                self.back()
        elif event.type == pygame.KEYDOWN:
            if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                self.flow.resume(self.plan, self.open_cases)
            elif event.key == pygame.K_ESCAPE:
                self.back()

    def back(self) -> None:
        """To the candidate id, emptied: the id typed was not this candidate's."""
        self.flow.candidate = ""
        self.flow.start()

    def draw(self, surface) -> None:
        fonts, flow, r = self.app.fonts, self.flow, self.panel_rect
        draw_top_bar(surface, pygame.Rect(0, 0, surface.get_width(), TOP_BAR_H), fonts, flow.exam.title,
                     flow.candidate, "exam", muted=self.app.sound.muted)
        panel(surface, r, fonts)
        count = len(flow.loaded.cases)
        surface.blit(fonts.text("This exam was interrupted", 22, pal.TEXT, "bold"), (r.x + 20, r.y + 20))
        saved = (f"{len(self.plan)} of {count} cases are saved under {flow.candidate}; they are not taken again."
                 if self.plan else f"No case of this exam is saved yet under {flow.candidate}.")
        y = blit_wrapped(surface, fonts.regular(15), saved, (r.x + 20, r.y + 60), r.width - 40, pal.TEXT)
        for index, attempt in sorted(self.plan.items()):
            line = (f"Case {index + 1}: {flow.loaded.cases[index].title}  \u00b7  saved "
                    f"{attempt.ended_at.strftime('%Y-%m-%d %H:%M')} UTC")
            y = blit_wrapped(surface, fonts.regular(14), line, (r.x + 30, y + 6), r.width - 60, pal.OK,
                             max_y=y + 28)
        for index, clock in sorted(self.open_cases.items()):
            left_s = max(0.0, flow.exam.limit_s(index) - clock.used_s)
            line = (f"Case {index + 1}: {flow.loaded.cases[index].title}  \u00b7  open when the exam stopped: "
                    f"{format_clock(left_s + 0.999)} left" if left_s > 0 else
                    f"Case {index + 1}: {flow.loaded.cases[index].title}  \u00b7  its time ran out: "
                    "it is scored as it stands")
            y = blit_wrapped(surface, fonts.regular(14), line, (r.x + 30, y + 6), r.width - 60, pal.WARN,
                             max_y=y + 28)
        if self.remaining:
            rest = [i for i in self.remaining if i not in self.open_cases]
            text = ("A case that was open when the exam stopped starts again with only the time it had left"
                    if self.open_cases else
                    "A case that was open when the exam stopped was not saved and starts again")
            if rest:
                listed = ", ".join(str(i + 1) for i in rest)
                text += (f"; case{'s' if len(rest) > 1 else ''} {listed} follow{'' if len(rest) > 1 else 's'}"
                         f"{', each' if len(rest) > 1 else ''} with its full time limit.")
            else:
                text += "."
        else:
            text = "Every case is saved: the exam's result is kept now."
        blit_wrapped(surface, fonts.regular(14), text, (r.x + 20, y + 14), r.width - 40, pal.TEXT_DIM,
                     max_y=r.bottom - 80)
