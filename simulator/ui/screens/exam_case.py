"""One exam case: the procedure screen without hints, with a countdown, and no way out but a finish.

What differs from an assessment: the top bar's clock counts down the case's time limit (red in
the last minute) and at zero the case finishes itself and is scored as it stands; the key help
opens only when the exam allows it; when the case ends the exam moves on (ExamFlow) instead
of opening the debrief. As in an assessment, the probe starts off the skin, no planned entry
is drawn, and End asks for a confirmed finish; Esc never leaves a case.

The case's clock is kept in the attempt store (ExamFlow.keep_clock) when the case opens, at
least every CLOCK_EVERY_S seconds, after each action (at most every STEP_KEEP_S, so a probe
dragged frame by frame does not write each frame) and when it finishes. A case resumed after
an interruption starts with `used_before_s` already used: the countdown shows only what is
left, and a case with nothing left finishes on its first frame.
"""

from __future__ import annotations

import pygame

from simulator.core import actions as A
from simulator.records.case_clock import CLOCK_EVERY_S
from simulator.render import palette as pal
from simulator.render.hud import draw_notice, format_clock
from simulator.ui.screens.procedure import FINISH_DELAY_S, ProcedureScreen

LAST_MINUTE_S = 60.0
NOTICE_S = 2.5  # how long "help is not available" stays up
STEP_KEEP_S = 0.5  # after an action the clock is kept, but not more often than this


class ExamCaseScreen(ProcedureScreen):
    name = "exam_case"

    def __init__(self, app, flow, case, seed: int, limit_s: int, used_before_s: float = 0.0):
        self.flow = flow
        self.limit_s = float(limit_s)
        self.used_before_s = float(used_before_s)  # used by an earlier, interrupted run of this case
        self.clock_kept_s: float | None = None  # used_s when the clock was last kept
        self.acted = False  # an action was taken since the clock was last kept
        self.timed_out = False
        self.handed_over = False
        self.notice: tuple[float, str] | None = None  # (until wall s, text)
        super().__init__(app, case, "exam", flow.candidate, seed)
        self.keep_clock()

    @property
    def used_s(self) -> float:
        """Seconds of the case's limit used, in this run and any interrupted one before it."""
        return self.used_before_s + self.state.time_s

    @property
    def remaining_s(self) -> float:
        return max(0.0, self.limit_s - self.used_s)

    def keep_clock(self) -> None:
        self.flow.keep_clock(self.used_s)
        self.clock_kept_s, self.acted = self.used_s, False

    def submit(self, actions) -> None:
        super().submit(actions)
        self.acted = self.acted or bool(actions)

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
        since_s = self.used_s - self.clock_kept_s
        if since_s >= CLOCK_EVERY_S or (self.acted and since_s >= STEP_KEEP_S):
            self.keep_clock()

    def on_finished(self) -> None:
        self.keep_clock()  # until its attempt is saved, a resumed case goes on from here
        self.finished_at = self.wall_s
        self.dialogs.close()
        if self.timed_out:
            self.notice = (self.wall_s + NOTICE_S, "Time is up: the case is scored as it stands")

    def draw_overlay(self, surface) -> None:
        super().draw_overlay(surface)
        if self.notice is not None and self.notice[0] > self.wall_s:
            draw_notice(surface, self.app.fonts, self.notice[1], self.layout.ultrasound, pal.WARN)
