"""The end of an exam: what the exam's `show_at_end` lets the candidate see.

pass_fail_only: the verdict alone. scores: the verdict, why it failed, and each case's total,
pass or fail and criteria. full_debrief: the same, with a Debrief button per case that opens
that case's debrief (with only a way back: no retry, no next case). Close (or Esc) ends the
program; every attempt is already in the store.
"""

from __future__ import annotations

import math

import pygame
import pygame_gui
from pygame_gui.elements import UIButton

from simulator.core.scoring import shown_total
from simulator.render import palette as pal
from simulator.render.hud import draw_top_bar
from simulator.render.layout import GAP, TOP_BAR_H
from simulator.render.text import badge, blit_wrapped, panel
from simulator.ui.screens.base import Screen
from simulator.ui.screens.review_debrief import ReviewDebriefScreen

PANEL_W = 900
ROW_H = 58


def _points(row: dict, exact: bool) -> str:
    if exact:
        return f"{row['points']:g}/{row['max']:g}"
    top = round(row["max"])  # whole points: full marks read as full, anything less never rounds up to it
    earned = top if row["points"] >= row["max"] else min(math.floor(row["points"]), max(0, top - 1))
    return f"{earned}/{top}"


def criteria_line(rows: list[dict], exact: bool = True) -> str:
    """Each criterion as `id points/max`, in the result's order."""
    return "  \u00b7  ".join(f"{row['id']} {_points(row, exact)}" for row in rows)


def criteria_text(fonts, rows: list[dict], width_px: int) -> pygame.Surface:
    """The criteria line that fits `width_px`: exact points, else whole points, else a smaller font."""
    for size, exact in ((12, True), (12, False), (11, False)):
        text = fonts.text(criteria_line(rows, exact), size, pal.TEXT_DIM)
        if text.get_width() <= width_px:
            break
    return text


class ExamEndScreen(Screen):
    name = "exam_end"

    def __init__(self, app, flow):
        super().__init__(app)
        self.flow = flow
        self.verdict = flow.verdict()
        self.show = flow.exam.show_at_end
        self.build(app.size)

    def build(self, size) -> None:
        w, h = size
        self.panel_rect = pygame.Rect(0, 0, min(PANEL_W, w - 2 * GAP), h - TOP_BAR_H - 2 * GAP)
        self.panel_rect.midtop = (w // 2, TOP_BAR_H + GAP)
        r = self.panel_rect
        manager = self.app.manager
        self.close_button = self.add(UIButton(pygame.Rect(r.right - 220, r.bottom - 62, 200, 46), "Close   (Esc)",
                                              manager))
        self.debrief_buttons: dict = {}
        if self.show == "full_debrief":
            for index in range(len(self.flow.finished)):
                row = self.row_rect(index)
                button = self.add(UIButton(pygame.Rect(row.right - 110, row.y + 10, 100, 34), "Debrief", manager,
                                           object_id="@small"))
                self.debrief_buttons[button] = index

    @property
    def table_top(self) -> int:
        return self.panel_rect.y + 150 + 22 * min(3, len(self.verdict.reasons))

    def row_rect(self, index: int) -> pygame.Rect:
        r = self.panel_rect
        return pygame.Rect(r.x + 20, self.table_top + 24 + index * (ROW_H + 6), r.width - 40, ROW_H)

    def handle_event(self, event, consumed) -> None:
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            if event.ui_element is self.close_button:
                self.app.running = False
            elif event.ui_element in self.debrief_buttons:
                self.open_debrief(self.debrief_buttons[event.ui_element])
        elif event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.app.running = False

    def open_debrief(self, index: int) -> None:
        """The case's debrief, with one button back to these results (no retry, no next case)."""
        case, session = self.flow.finished[index]
        self.app.switch(ReviewDebriefScreen(self.app, case, session, "exam", [("Back to the results   (Esc)", "back")],
                                            lambda _command: self.app.reopen(self)))

    def draw(self, surface) -> None:
        fonts, flow, r, verdict = self.app.fonts, self.flow, self.panel_rect, self.verdict
        draw_top_bar(surface, pygame.Rect(0, 0, surface.get_width(), TOP_BAR_H), fonts, flow.exam.title,
                     flow.candidate, "exam", muted=self.app.sound.muted)
        panel(surface, r, fonts)
        surface.blit(fonts.text("The exam is over", 22, pal.TEXT, "bold"), (r.x + 20, r.y + 18))
        saved = f"{len(flow.saved)} of {len(flow.loaded.cases)} cases saved under {flow.candidate}"
        if flow.resumed:
            saved += f" ({len(flow.resumed)} before the exam was interrupted)"
        saved += ", with the exam's result." if flow.sitting is not None else "."
        surface.blit(fonts.text(saved, 14, pal.TEXT_DIM), (r.x + 20, r.y + 54))
        word, colour = ("PASS", pal.OK) if verdict.passed else ("FAIL", pal.DANGER)
        surface.blit(fonts.text("RESULT", 12, pal.TEXT_FAINT, "bold"), (r.x + 20, r.y + 84))
        badge(surface, fonts, word, (r.x + 20, r.y + 102), colour, size=24)
        if self.show == "pass_fail_only":
            return
        text = f"mean total {shown_total(verdict.mean_total)}"
        surface.blit(fonts.text(text, 16, pal.TEXT), (r.x + 140, r.y + 110))
        y = r.y + 150
        for reason in verdict.reasons[:3]:
            y = blit_wrapped(surface, fonts.regular(14), f"\u2022 {reason}", (r.x + 20, y), r.width - 40, pal.DANGER,
                             max_y=y + 22)
        surface.blit(fonts.text("CASES", 12, pal.TEXT_FAINT, "bold"), (r.x + 20, self.table_top))
        for index, (case_verdict, (_, session)) in enumerate(zip(verdict.cases, flow.finished)):
            self._draw_row(surface, self.row_rect(index), index, case_verdict, session.result())

    def _draw_row(self, surface, rect, index: int, case_verdict, result: dict) -> None:
        fonts = self.app.fonts
        pygame.draw.rect(surface, pal.BG, rect, border_radius=6)
        pygame.draw.rect(surface, pal.PANEL_BORDER, rect, 1, border_radius=6)
        title = f"{index + 1}.  {case_verdict.case_title}"
        surface.blit(fonts.text(title, 15, pal.TEXT, "bold"), (rect.x + 12, rect.y + 8))
        right = rect.right - (124 if self.show == "full_debrief" else 12)
        word, colour = ("PASS", pal.OK) if case_verdict.passed else ("FAIL", pal.DANGER)
        pill = badge(surface, fonts, word, (right - 60, rect.y + 9), colour)
        total = fonts.text(f"{shown_total(case_verdict.total)}", 18, pal.TEXT, "bold")
        surface.blit(total, (pill.x - 14 - total.get_width(), rect.y + 5))
        surface.blit(criteria_text(fonts, result.get("criteria", []), rect.width - 24), (rect.x + 12, rect.y + 34))
