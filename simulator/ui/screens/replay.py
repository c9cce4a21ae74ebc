"""The replay viewer: plays a saved session at 1x or 4x, with pause and seeking.

Seeking re-simulates from the start to the seek time (the Session is deterministic), so
what is shown is exactly what the trainee saw. The procedure controls are shown but disabled.
"""

from __future__ import annotations

from pathlib import Path

import pygame
import pygame_gui
from pygame_gui.elements import UIButton, UIHorizontalSlider

from simulator.core import actions as A
from simulator.records import read_replay
from simulator.render import palette as pal
from simulator.ui.screens.procedure import ProcedureScreen

TAIL_S = 2.0  # keep playing a little after the last action


class ReplayScreen(ProcedureScreen):
    name = "replay"

    def __init__(self, app, source):
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
        y = bar.y + bar.height // 2
        h = bar.height // 2 - 4
        self.play_button = self.keep(UIButton(pygame.Rect(bar.x + 64, y, 90, h), "Pause", manager))
        self.speed_button = self.keep(UIButton(pygame.Rect(bar.x + 158, y, 60, h), "4\u00d7", manager))
        self.back_button = self.keep(UIButton(pygame.Rect(bar.right - 90, y, 90, h), "Close", manager))
        self.slider = self.keep(UIHorizontalSlider(pygame.Rect(bar.x + 226, y, bar.width - 226 - 98, h),
                                                  0.0, (0.0, max(0.1, self.duration_s)), manager))
        for widget in (self.play_button, self.speed_button, self.back_button, self.slider):
            widget.change_layer(10)

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
        """Re-simulate from the start up to t_s."""
        self.session.reset()
        self.driver.timed.clear()
        self.feed.clear()
        self._next = 0
        self.play_s = 0.0
        self.pressing, self.finger_mm = False, None
        self._play_to(max(0.0, min(t_s, self.duration_s)))

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
            elif isinstance(action, A.Release):
                self.pressing = False
        self.driver.pending.extend(actions)

    def handle_event(self, event, consumed) -> None:
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            if event.ui_element is self.play_button:
                self.toggle()
            elif event.ui_element is self.speed_button:
                self.set_speed(1.0 if self.speed == 4.0 else 4.0)
            elif event.ui_element is self.back_button:
                self.app.show_picker(self.case)
        elif event.type == pygame_gui.UI_HORIZONTAL_SLIDER_MOVED and event.ui_element is self.slider:
            self.seek(float(self.slider.get_current_value()))
        elif event.type == pygame.KEYDOWN and not consumed:
            if event.key == pygame.K_SPACE:
                self.toggle()
            elif event.key == pygame.K_RIGHT:
                self.seek(self.play_s + 5.0)
            elif event.key == pygame.K_LEFT:
                self.seek(self.play_s - 5.0)
            elif event.key == pygame.K_4:
                self.set_speed(4.0)
            elif event.key == pygame.K_1:
                self.set_speed(1.0)
            elif event.key == pygame.K_ESCAPE:
                self.app.show_picker(self.case)

    def toggle(self) -> None:
        self.playing = not self.playing
        self.play_button.set_text("Pause" if self.playing else "Play")

    def set_speed(self, speed: float) -> None:
        self.speed = speed
        self.speed_button.set_text("1\u00d7" if speed == 4.0 else "4\u00d7")

    def update(self, dt_s: float) -> None:
        self.wall_s += dt_s
        if self.playing and self.play_s < self.duration_s:
            self._play_to(min(self.duration_s, self.play_s + dt_s * self.speed))
            self.slider.set_current_value(self.play_s)

    def draw(self, surface) -> None:
        super().draw(surface)
        bar = self.layout.needle_bar
        text = self.app.fonts.mono(12).render(
            f"REPLAY  {self.play_s:6.1f} / {self.duration_s:.1f} s  at {self.speed:g}\u00d7", True, pal.WARN)
        surface.blit(text, (bar.x + 64, bar.y + 8))
