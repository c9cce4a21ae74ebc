"""One exam case: the procedure screen without hints, with a countdown, and no way out but a finish.

What differs from an assessment: the top bar's clock counts down the case's time limit (red in
the last minute) and at zero the case finishes itself and is scored as it stands; the key help
opens only when the exam allows it; when the case ends the exam moves on (ExamFlow) instead
of opening the debrief. As in an assessment, the probe starts off the skin, no planned entry
is drawn, and End asks for a confirmed finish; Esc never leaves a case.
"""

from __future__ import annotations

import pygame

from simulator.core import actions as A
from simulator.render import palette as pal
from simulator.render.hud import draw_notice, format_clock
from simulator.ui.screens.procedure import FINISH_DELAY_S, ProcedureScreen

LAST_MINUTE_S = 60.0
NOTICE_S = 2.5  # how long "help is not available" stays up


class ExamCaseScreen(ProcedureScreen):
    name = "exam_case"

    def __init__(self, app, flow, case, seed: int, limit_s: int):
        self.flow = flow
        self.limit_s = float(limit_s)
        self.timed_out = False
        self.handed_over = False
        self.notice: tuple[float, str] | None = None  # (until wall s, text)
        super().__init__(app, case, "exam", flow.candidate, seed)

    @property
    def remaining_s(self) -> float:
        return max(0.0, self.limit_s - self.state.time_s)

    def clock(self) -> tuple[str, tuple]:
        colour = pal.DANGER if self.remaining_s <= LAST_MINUTE_S else pal.TEXT
        return f"{format_clock(self.remaining_s + 0.999)} left", colour  # 0:00 only when time is up

    def handle_event(self, event, consumed) -> None:
        asks_help = event.type == pygame.KEYDOWN and (event.key == pygame.K_F1 or getattr(event, "unicode", "") == "?")
        if asks_help and not self.flow.exam.help_allowed and self.finished_at is None and not self.dialogs.is_open:
            self.notice = (self.wall_s + NOTICE_S, "Help is not available in this exam")
            return
        super().handle_event(event, consumed)

    def on_quit(self) -> bool:
        """Closing the window during a case asks to finish it, as End does: the attempt is not lost
        and the case is not left unconfirmed. True: the window stays open."""
        if self.finished_at is None and self.dialogs.kind != "finish":
            self.dialogs.open("finish")
        return self.finished_at is None

    def update(self, dt_s: float) -> None:
        if self.finished_at is not None:  # the case is over: hand it to the exam after a moment
            self.wall_s += dt_s
            if not self.handed_over and self.wall_s - self.finished_at >= FINISH_DELAY_S:
                self.handed_over = True
                self.flow.case_finished(self.session)
            return
        super().update(dt_s)
        if self.finished_at is None and not self.timed_out and self.remaining_s <= 0.0:
            self.timed_out = True
            self.dialogs.close()
            self.submit([A.Finish()])  # time is up: the case ends and is scored as it stands

    def on_finished(self) -> None:
        self.finished_at = self.wall_s
        self.dialogs.close()
        if self.timed_out:
            self.notice = (self.wall_s + NOTICE_S, "Time is up: the case is scored as it stands")

    def draw_overlay(self, surface) -> None:
        super().draw_overlay(surface)
        if self.notice is not None and self.notice[0] > self.wall_s:
            draw_notice(surface, self.app.fonts, self.notice[1], self.layout.ultrasound, pal.WARN)
