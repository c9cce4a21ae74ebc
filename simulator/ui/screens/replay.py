"""The replay viewer: plays a saved session at 1x or 4x, with pause and a timeline to
seek on (click or drag; one tick per event, coloured by kind).

Seeking re-simulates from the start to the seek time (the Session is deterministic), so
what is shown is exactly what the trainee saw. The procedure controls are shown but disabled.
"""

from __future__ import annotations

from pathlib import Path

import pygame
import pygame_gui
from pygame_gui.elements import UIButton

from simulator.core import actions as A
from simulator.records import read_replay
from simulator.core.session import Session
from simulator.render import palette as pal
from simulator.render.timeline import Timeline, draw_play_state
from simulator.ui.event_text import describe
from simulator.ui.keys import REPLAY_HELP
from simulator.ui.screens.procedure_widgets import BAR_LABEL_W
from simulator.ui.screens.procedure import ProcedureScreen

TAIL_S = 2.0  # keep playing a little after the last action
SPEEDS = (1.0, 4.0)


def event_ticks(case, catalogue, seed: int, timed) -> list[tuple[float, str]]:
    """(t_s, tone) of every event worth a feed line, from one silent run of the whole replay."""
    session = Session(case, catalogue, seed)
    session.run(timed)
    ticks = []
    for event in session.events:
        line = describe(event, catalogue)
        if line is not None:
            ticks.append((event.t_s, line[1]))
    return ticks


class ReplayScreen(ProcedureScreen):
    name = "replay"
    help_groups = REPLAY_HELP  # F1: the app shows these (not the procedure's table)
    adjusts_by_key = False  # the replay's keys are one-shot (1 / 4 pick a speed); only the arrows repeat

    def __init__(self, app, source, back_to=None):
        """`back_to`: the screen that opened the replay (a debrief); Close and Esc return to it,
        else to the case list (a replay opened from a file)."""
        self.back_to = back_to
        header, timed = read_replay(Path(source)) if isinstance(source, (str, Path)) else source
        case_id = header.get("case")
        case = next((c for c in app.config.cases if c.id == case_id), None)
        if case is None:
            raise ValueError(f"the replay is for case {case_id!r}, which is not in the case library")
        self.timed = list(timed)
        self.header = header
        self.duration_s = (self.timed[-1][0] if self.timed else 0.0) + TAIL_S
        self.playing = True
        self.speed = 1.0
        self.play_s = 0.0
        self._next = 0
        self.drag_s: float | None = None  # where the handle is while the timeline is dragged
        self.ticks = event_ticks(case, app.config.catalogue, int(header.get("seed", 0)), self.timed)
        self.needle_bar_title = "REPLAY"
        super().__init__(app, case, "replay", header.get("trainee", ""), int(header.get("seed", 0)))
        self.practice = False

    def build(self, size) -> None:
        super().build(size)
        self.replay_widgets = []
        for widget in self.widgets.all:
            if widget.rect.colliderect(self.layout.needle_bar):
                widget.kill()
            else:
                widget.disable()
        bar = self.layout.needle_bar
        manager = self.app.manager
        x0, h = bar.x + BAR_LABEL_W, bar.height // 2 - 4
        self.play_button = self.keep(UIButton(pygame.Rect(x0, bar.y, 84, h), "Pause", manager, object_id="@small"))
        self.speed_buttons = {
            speed: self.keep(UIButton(pygame.Rect(x0 + 88 + i * 46, bar.y, 42, h), f"{speed:g}\u00d7", manager,
                                      object_id="@small"))
            for i, speed in enumerate(SPEEDS)
        }
        self.back_button = self.keep(UIButton(pygame.Rect(bar.right - 84, bar.y, 84, h),
                                              "Debrief" if self.back_to is not None else "Close", manager,
                                              object_id="@small"))
        state_x = x0 + 88 + len(SPEEDS) * 46 + 6
        self.state_rect = pygame.Rect(state_x, bar.y, min(150, self.back_button.rect.x - 6 - state_x), h)
        self.timeline = Timeline(pygame.Rect(x0, bar.y + bar.height // 2, bar.right - x0, h), self.duration_s,
                                 self.ticks, self.app.fonts)
        for widget in self.replay_widgets:
            widget.change_layer(10)
        self._sync_buttons()

    def keep(self, widget):
        self.replay_widgets.append(widget)
        return widget

    def kill_widgets(self) -> None:
        super().kill_widgets()
        for widget in getattr(self, "replay_widgets", []):
            widget.kill()
        self.replay_widgets = []

    # ------------------------------------------------------------------ playback
    def seek(self, t_s: float) -> None:
        """Go to t_s: play on from here when it is ahead, else re-simulate from the start."""
        t_s = max(0.0, min(t_s, self.duration_s))
        if t_s >= self.play_s:
            self._play_to(t_s)
            return
        self.session.reset()
        self.driver.timed.clear()
        self.feed_log.clear()
        self._next = 0
        self.play_s = 0.0
        self.pressing, self.finger_mm = False, None
        self._play_to(t_s)

    def _play_to(self, t_s: float) -> None:
        session = self.session
        while session.time_s < t_s - 1e-9:
            batch = []
            while self._next < len(self.timed) and self.timed[self._next][0] <= session.time_s + session.TICK_S / 2:
                batch.append(self.timed[self._next][1])
                self._next += 1
            self.submit(batch)
            for event in self.driver.tick():
                self.on_event(event)
        self.play_s = t_s

    def submit(self, actions) -> None:
        for action in actions:
            if isinstance(action, A.Palpate):
                self.pressing, self.finger_mm, self.pressure = True, (action.x_mm, action.y_mm), action.pressure
                self.grip = action.grip or "flat"
            elif isinstance(action, A.Release):
                self.pressing = False
        self.driver.pending.extend(actions)

    def handle_event(self, event, consumed) -> None:
        if self.handle_view_event(event, consumed):
            return
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            if event.ui_element is self.play_button:
                self.toggle()
            elif event.ui_element is self.back_button:
                self.leave()
            for speed, button in self.speed_buttons.items():
                if event.ui_element is button:
                    self.set_speed(speed)
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and self.timeline.hit(event.pos):
            self.drag_s = self.timeline.t_at(event.pos[0])
        elif event.type == pygame.MOUSEMOTION and self.drag_s is not None:
            self.drag_s = self.timeline.t_at(event.pos[0])
        elif event.type == pygame.MOUSEBUTTONUP and event.button == 1 and self.drag_s is not None:
            target, self.drag_s = self.timeline.t_at(event.pos[0]), None
            self.seek(target)
        elif event.type == pygame.KEYDOWN and not consumed:
            if event.key == pygame.K_SPACE:
                self.toggle()
            elif event.key == pygame.K_RIGHT:
                self.seek(self.play_s + 5.0)
            elif event.key == pygame.K_LEFT:
                self.seek(self.play_s - 5.0)
            elif event.key == pygame.K_HOME:
                self.seek(0.0)
            elif event.key == pygame.K_4:
                self.set_speed(4.0)
            elif event.key == pygame.K_1:
                self.set_speed(1.0)
            elif event.key == pygame.K_ESCAPE:
                self.leave()

    def leave(self) -> None:
        """Back where the replay was opened from: the debrief, or the case list."""
        if self.back_to is not None:
            self.app.reopen(self.back_to)
        else:
            self.app.show_picker(self.case)

    @property
    def ended(self) -> bool:
        return self.play_s >= self.duration_s - 1e-9

    def toggle(self) -> None:
        if self.ended and not self.playing:
            self.seek(0.0)
        self.playing = not self.playing
        self._sync_buttons()

    def set_speed(self, speed: float) -> None:
        self.speed = speed
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        self.play_button.set_text("Pause" if self.playing and not self.ended else "Play")
        for speed, button in self.speed_buttons.items():
            button.select() if speed == self.speed else button.unselect()

    def update(self, dt_s: float) -> None:
        self.wall_s += dt_s
        self.ultrasound_pending()  # after a seek back the image is prepared again, in the background
        if self.playing and not self.ended and self.drag_s is None:
            self._play_to(min(self.duration_s, self.play_s + dt_s * self.speed))
            if self.ended:
                self.playing = False
                self._sync_buttons()

    def draw(self, surface) -> None:
        super().draw(surface)
        self.timeline.draw(surface, self.play_s if self.drag_s is None else self.drag_s)
        draw_play_state(surface, self.state_rect, self.app.fonts, self.playing, self.ended, self.speed)
        hint = self.app.fonts.regular(12).render("Space play/pause \u00b7 Left/Right 5 s \u00b7 drag to seek",
                                                 True, pal.TEXT_FAINT)
        room = self.back_button.rect.x - 10 - self.state_rect.right
        if hint.get_width() <= room:
            surface.blit(hint, (self.back_button.rect.x - 10 - hint.get_width(),
                                self.state_rect.centery - hint.get_height() // 2))
