"""The debrief: score breakdown with evidence, critical errors, needle path, marks vs points,
teaching points; buttons to watch the replay, retry, or go to the next case."""

from __future__ import annotations

import pygame
import pygame_gui
from pygame_gui.elements import UIButton

from simulator.core import events as E
from simulator.render.anatomy_overlay import AnatomyOverlay
from simulator.render.debrief import (draw_critical, draw_needle_path, draw_score_header, needle_path_px,
                                      render_breakdown, render_failing_items, render_list)
from simulator.render.debrief_marks import MarksPanel
from simulator.render.hud import draw_top_bar, format_clock
from simulator.render.layout import DebriefLayout
from simulator.render.monitor import draw_vitals_chart
from simulator.render.scroll import ScrollView
from simulator.render.text import panel
from simulator.render.ultrasound import UltrasoundView
from simulator.scenario.sources import review_note, reference_lines
from simulator.ui.keys import DEBRIEF_HELP
from simulator.ui.screens.base import Screen

VITALS_CHART_H = 110  # the vital-signs chart above the teaching points, when anything was recorded


FAILING_MIN_H = 64  # the failing items panel with "None." or one short item
FAILING_MAX_H = 190  # beyond this the items scroll, so the score keeps most of the column
FAILING_CHROME_H = 36  # the panel's title and padding around its items


class DebriefScreen(Screen):
    name = "debrief"
    help_groups = DEBRIEF_HELP  # F1: the app shows these

    def __init__(self, app, case, session, timed, saved: dict, mode: str):
        super().__init__(app)
        self.case, self.session, self.timed, self.saved, self.mode = case, session, list(timed), saved, mode
        self.result = session.result()
        app.last_result = self.result
        self.tips = [(e.tip_x_mm, e.tip_y_mm, e.tip_depth_mm) for e in session.events if isinstance(e, E.NeedleMoved)]
        try:
            self.frame = session.frame()
        except ImportError:
            self.frame = None
        self.anatomy_on = False  # A: the needle path over a labelled cross-section instead of the scan
        self.anatomy = AnatomyOverlay(app.fonts, alpha=255)
        self.build(app.size)

    def build(self, size) -> None:
        scratch = pygame.Surface(size)
        # The failing items panel is as tall as its items (within limits); the score panel takes the rest.
        probe = draw_critical(scratch, DebriefLayout.for_size(size).critical, self.app.fonts, self.result)
        failing = render_failing_items(self.app.fonts, self.result, probe.width)
        critical_h = FAILING_MIN_H if not self.result.get("critical_errors") else \
            min(FAILING_MAX_H, max(FAILING_MIN_H, failing.get_height() + FAILING_CHROME_H))
        self.layout = DebriefLayout.for_size(size, critical_h=critical_h)
        b = self.layout.buttons
        manager = self.app.manager
        self.buttons = {}
        labels = [("Watch replay", "replay"), ("Retry", "retry"), ("Next case", "next"), ("Case list", "picker")]
        if self.saved.get("pending"):  # the save failed: offer it again before anything else
            labels.insert(0, ("Retry save", "save"))
        w = min(200, (b.width - 8 * (len(labels) - 1)) // len(labels))
        for i, (label, command) in enumerate(labels):
            rect = pygame.Rect(b.right - (len(labels) - i) * (w + 8) + 8, b.y, w, b.height)
            button = self.add(UIButton(rect, label, manager, object_id="@primary" if command == "next" else None))
            self.buttons[button] = command
        self.us_view = UltrasoundView(self.app.fonts, self.layout.needle_path.inflate(-4, -20).move(0, 10))
        self.marks_panel = MarksPanel(self.case, self.session.state.marks, self.app.fonts, self.layout.marks,
                                      self.result)
        viewport = draw_score_header(scratch, self.layout.score, self.app.fonts, self.result)
        self.breakdown = ScrollView(render_breakdown(self.app.fonts, self.result, viewport.width), viewport)
        viewport = draw_critical(scratch, self.layout.critical, self.app.fonts, self.result)
        self.failing = ScrollView(failing, viewport)
        teaching = [review_note(self.case) + "."] + list(self.case.teaching.teaching_points)
        shown = teaching + [row.get("evidence", "") for row in self.result.get("criteria", [])]
        shown += [error.get("message", "") for error in self.result.get("critical_errors", [])]
        references = reference_lines(self.case, shown)
        teaching += [f"Reference {line}" for line in references]
        self.teaching_items = teaching  # what the panel lists, in order
        if self.saved.get("attempt"):
            teaching.append(f"Saved as attempt {self.saved['attempt'].attempt_id} in {self.saved['where']}.")
        elif self.saved.get("error"):
            teaching.insert(0, self.saved["error"])  # first, beside the Retry save button it explains
        t = self.layout.teaching
        viewport = pygame.Rect(t.x + 10, t.y + 26, t.width - 14, t.height - 32)  # as panel() gives, plus the bar
        self.readings = [e for e in self.session.events if isinstance(e, E.VitalsRecorded)]
        self.stages = [(e.t_s, e.kind, e.stage) for e in self.session.events if isinstance(e, E.ComplicationChanged)]
        self.vitals_chart = None
        if self.readings:  # the vital signs over the visit share the panel with the teaching points
            chart_h = min(VITALS_CHART_H, viewport.height // 2)
            self.vitals_chart = pygame.Rect(viewport.x, viewport.y, viewport.width - 4, chart_h)
            viewport = pygame.Rect(viewport.x, viewport.y + chart_h + 6, viewport.width, viewport.height - chart_h - 6)
        self.teaching = ScrollView(render_list(self.app.fonts, teaching, viewport.width), viewport)

    def command(self, name: str) -> None:
        if name == "replay":
            from simulator.ui.results import replay_header

            self.app.open_replay((replay_header(self.case, self.session.seed, "", self.mode), self.timed), back_to=self)
        elif name == "save":
            from simulator.ui.results import save_pending

            self.saved = save_pending(self.saved, self.app.config.db_url, self.app.config.key_file)
            self.kill_widgets()
            self.build(self.app.size)
        elif name == "retry":
            self.app.start_case(self.case, self.mode, self.app.config.trainee)
        elif name == "next":
            self.app.next_case(self.case)
        else:
            self.app.show_picker(self.case)

    def handle_event(self, event, consumed) -> None:
        if event.type == pygame.MOUSEWHEEL:
            pos = getattr(event, "pos", None) or pygame.mouse.get_pos()
            if not self.breakdown.handle_wheel(event, pos) and not self.failing.handle_wheel(event, pos):
                self.teaching.handle_wheel(event, pos)
        elif event.type == pygame_gui.UI_BUTTON_PRESSED and event.ui_element in self.buttons:
            self.command(self.buttons[event.ui_element])
        elif event.type == pygame.KEYDOWN and not consumed:
            if event.key in (pygame.K_DOWN, pygame.K_PAGEDOWN, pygame.K_UP, pygame.K_PAGEUP):
                step = 40 if event.key in (pygame.K_DOWN, pygame.K_UP) else self.breakdown.viewport.height - 40
                self.breakdown.scroll_by(step if event.key in (pygame.K_DOWN, pygame.K_PAGEDOWN) else -step)
                return
            keys = {pygame.K_r: "retry", pygame.K_n: "next", pygame.K_p: "replay", pygame.K_ESCAPE: "picker"}
            if event.key == pygame.K_a:
                self.anatomy_on = not self.anatomy_on
            elif event.key in keys:
                self.command(keys[event.key])

    def draw(self, surface) -> None:
        L, fonts = self.layout, self.app.fonts
        draw_top_bar(surface, L.top_bar, fonts, f"Debrief: {self.case.title}",
                     f"time {format_clock(self.session.time_s)}", self.mode, muted=self.app.sound.muted)
        draw_score_header(surface, L.score, fonts, self.result)
        self.breakdown.draw(surface)
        draw_critical(surface, L.critical, fonts, self.result)
        self.failing.draw(surface)
        panel(surface, L.needle_path, fonts, "Needle path  \u00b7  anatomy (A)" if self.anatomy_on
              else "Needle path  \u00b7  A: anatomy")
        if self.frame is not None:
            view = self.us_view.draw(surface, self.frame)
            probe = self.session.state.probe
            if self.anatomy_on:  # the same plane as the scan, every tissue named, under the same path
                g = self.frame.geometry
                path = needle_path_px(view, probe, self.tips)[::-1]  # the names keep clear of it, last tip first
                self.anatomy.draw(surface, view, self.session.anatomy, probe, g.width_mm, g.depth_mm, path)
            draw_needle_path(surface, view, probe, self.tips, fonts)
        self.marks_panel.draw(surface)
        panel(surface, L.teaching, fonts, "Vital signs and teaching points" if self.vitals_chart else "Teaching points")
        if self.vitals_chart is not None:
            draw_vitals_chart(surface, self.vitals_chart, fonts, self.readings, self.stages, self.session.time_s)
        self.teaching.draw(surface)
