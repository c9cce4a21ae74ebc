"""'My attempts': one trainee's stored attempts, newest first, each opening its debrief or its replay.

Reached from the picker (the button beside the trainee field, or F2). Each row shows the
date (UTC), the case, the mode, the total, pass or fail and every criterion's points, and
whether an examiner has rated it. Above the list, the trainee's exam sittings with their
verdicts (screens/attempts_sittings.py). The debrief shows the stored result (what was saved and
signed); the replay plays the stored actions, and an examiner rates the attempt from there
(screens/attempt_replay.py). A store that cannot be opened or read says why in red.
"""

from __future__ import annotations

import pygame
import pygame_gui
from pygame_gui.elements import UIButton

from simulator.core.scoring import shown_total
from simulator.records.attempt import AttemptFilter
from simulator.records.sitting import SittingFilter
from simulator.records.store import StoreError
from simulator.render import palette as pal
from simulator.render.hud import draw_top_bar
from simulator.render.layout import GAP, TOP_BAR_H
from simulator.render.text import badge, panel
from simulator.ui.keys import list_move
from simulator.ui.screens.attempts_sittings import band_height, draw_band
from simulator.ui.screens.base import Screen
from simulator.ui.screens.exam_end import criteria_text
from simulator.ui.text_field import TextField

ROW_H = 64
ROW_GAP = 6
WHEEL_STEP_PX = 48
FIELD_W = 320


def attempt_date(attempt) -> str:
    return attempt.started_at.strftime("%Y-%m-%d %H:%M UTC")


class AttemptsScreen(Screen):
    name = "attempts"

    def __init__(self, app, trainee: str = "", back_case=None):
        super().__init__(app)
        self.trainee = trainee.strip()
        self.back_case = back_case  # the case selected in the picker, kept for the way back
        self.attempts: list = []
        self.sittings: list = []  # the trainee's exam sittings, newest first
        self.selected = 0
        self.scroll_px = 0
        self.error = ""  # the store could not be read (red)
        self.note = ""  # what to do next (dim)
        self.loaded_for: str | None = None
        self.build(app.size)
        self.load()
        if not self.trainee:
            self.trainee_entry.focus()

    # ------------------------------------------------------------------ widgets
    def build(self, size) -> None:
        w, h = size
        self.panel_rect = pygame.Rect(GAP, TOP_BAR_H + GAP, w - 2 * GAP, h - TOP_BAR_H - 2 * GAP)
        r = self.panel_rect
        manager = self.app.manager
        self.trainee_entry = self.add(TextField(pygame.Rect(r.x + 12, r.y + 34, FIELD_W, 36), manager,
                                                placeholder_text="Trainee name or id"))
        self.trainee_entry.set_text(self.trainee)
        self.show_button = self.add(UIButton(pygame.Rect(r.x + 20 + FIELD_W, r.y + 34, 150, 36), "Show   (Enter)",
                                             manager))
        y = r.bottom - 56
        self.back_button = self.add(UIButton(pygame.Rect(r.x + 12, y, 200, 44), "Back to cases   (Esc)", manager))
        self.replay_button = self.add(UIButton(pygame.Rect(r.right - 440, y, 210, 44), "Replay and rate   (P)",
                                               manager))
        self.debrief_button = self.add(UIButton(pygame.Rect(r.right - 222, y, 210, 44), "Debrief   (D)", manager,
                                                object_id="@primary"))
        self.keep_in_view(self.selected)
        self._sync()

    def _sync(self) -> None:
        for button in (self.replay_button, self.debrief_button):
            button.enable() if self.attempts else button.disable()

    # ------------------------------------------------------------------ the list
    @property
    def viewport(self) -> pygame.Rect:
        r = self.panel_rect
        top = r.y + 110 + band_height(len(self.sittings))
        return pygame.Rect(r.x + 12, top, r.width - 36, r.bottom - 66 - top)

    @property
    def max_scroll_px(self) -> int:
        return max(0, len(self.attempts) * (ROW_H + ROW_GAP) - ROW_GAP - self.viewport.height)

    def scroll_to(self, px: int) -> None:
        self.scroll_px = min(max(0, round(px)), self.max_scroll_px)

    def keep_in_view(self, index: int) -> None:
        top = index * (ROW_H + ROW_GAP)
        if top < self.scroll_px:
            self.scroll_to(top)
        elif top + ROW_H > self.scroll_px + self.viewport.height:
            self.scroll_to(top + ROW_H - self.viewport.height)

    def row_rect(self, index: int) -> pygame.Rect:
        vp = self.viewport
        return pygame.Rect(vp.x, vp.y + index * (ROW_H + ROW_GAP) - self.scroll_px, vp.width, ROW_H)

    def select(self, index: int) -> None:
        if self.attempts:
            self.selected = min(max(0, index), len(self.attempts) - 1)
            self.keep_in_view(self.selected)

    def load(self) -> None:
        """Read the trainee's attempts from the store, newest first."""
        self.trainee = self.trainee_entry.get_text().strip()
        self.attempts, self.sittings, self.selected, self.scroll_px, self.error, self.note = [], [], 0, 0, "", ""
        if not self.trainee:
            self.note = "Type a trainee name or id, then Enter."
        else:
            try:
                store = self.app.attempt_store()
                self.attempts = list(reversed(store.find(AttemptFilter(trainee_id=self.trainee))))
                self.sittings = list(reversed(store.find_sittings(SittingFilter(candidate_id=self.trainee))))
            except StoreError as exc:
                self.error = f"The attempts could not be read: {exc}"
        self.loaded_for = self.trainee or None
        self._sync()

    def replace(self, attempt) -> None:
        """Put a re-signed attempt (a rating was attached) in place of its old row."""
        self.attempts = [attempt if a.attempt_id == attempt.attempt_id else a for a in self.attempts]

    # ------------------------------------------------------------------ opening an attempt
    def case_of(self, attempt):
        return next((c for c in self.app.config.cases if c.id == attempt.case_id), None)

    def open(self, what: str) -> None:
        """'debrief' or 'replay' of the selected attempt."""
        from simulator.ui.screens.attempt_replay import open_stored_debrief, open_stored_replay

        if not self.attempts:
            return
        attempt = self.attempts[self.selected]
        if self.case_of(attempt) is None:
            self.error = f"The case {attempt.case_id!r} of this attempt is not in the case library."
            return
        self.error = ""
        (open_stored_debrief if what == "debrief" else open_stored_replay)(self.app, attempt, self)

    def leave(self) -> None:
        self.app.show_picker(self.back_case)

    # ------------------------------------------------------------------ events
    def handle_event(self, event, consumed) -> None:
        typing = self.trainee_entry.is_focused
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            actions = {self.show_button: self.load, self.back_button: self.leave,
                       self.debrief_button: lambda: self.open("debrief"),
                       self.replay_button: lambda: self.open("replay")}
            if event.ui_element in actions:
                actions[event.ui_element]()
            return
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            if typing or self.loaded_for != self.trainee_entry.get_text().strip():
                self.load()
            else:
                self.open("debrief")
            return
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.leave()
            return
        if event.type == pygame.MOUSEWHEEL:
            self.scroll_to(self.scroll_px - event.y * WHEEL_STEP_PX)
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and not consumed:
            for index in range(len(self.attempts)):
                if self.row_rect(index).collidepoint(event.pos) and self.viewport.collidepoint(event.pos):
                    if index == self.selected and getattr(event, "clicks", 1) >= 2:
                        self.open("debrief")
                    self.select(index)
        elif event.type == pygame.KEYDOWN and not typing:
            page = max(1, self.viewport.height // (ROW_H + ROW_GAP))
            row = list_move(event.key, self.selected, len(self.attempts), page)
            if row is not None:
                self.select(row)
            elif event.key == pygame.K_d:
                self.open("debrief")
            elif event.key == pygame.K_p:
                self.open("replay")

    # ------------------------------------------------------------------ drawing
    def draw(self, surface) -> None:
        fonts, r = self.app.fonts, self.panel_rect
        draw_top_bar(surface, pygame.Rect(0, 0, surface.get_width(), TOP_BAR_H), fonts, "My attempts",
                     self.trainee or "every stored attempt of one trainee", muted=self.app.sound.muted)
        panel(surface, r, fonts)
        surface.blit(fonts.text("TRAINEE", 12, pal.TEXT_FAINT, "bold"), (r.x + 12, r.y + 14))
        x = self.show_button.rect.right + 16
        if self.error:
            surface.blit(fonts.text(self.error, 13, pal.DANGER, "bold"), (x, r.y + 44))
        elif self.note:
            surface.blit(fonts.text(self.note, 13, pal.TEXT_DIM), (x, r.y + 44))
        elif self.loaded_for:
            count = len(self.attempts)
            text = f"{count} attempt{'s' if count != 1 else ''}, newest first" if count else \
                f"No stored attempts for {self.loaded_for}."
            surface.blit(fonts.text(text, 13, pal.TEXT_DIM), (x, r.y + 44))
        vp = self.viewport
        draw_band(surface, fonts, pygame.Rect(vp.x, r.y + 84, vp.width, band_height(len(self.sittings))),
                  self.sittings, self.trainee)
        head_y = vp.y - 24
        for label, dx in (("DATE", 0), ("CASE", 170), ("TOTAL", vp.width - 136)):
            surface.blit(fonts.text(label, 12, pal.TEXT_FAINT, "bold"), (vp.x + 12 + dx, head_y))
        clip = surface.get_clip()
        surface.set_clip(vp)
        for index, attempt in enumerate(self.attempts):
            rect = self.row_rect(index)
            if rect.bottom >= vp.y and rect.y <= vp.bottom:
                self._draw_row(surface, rect, attempt, index == self.selected)
        surface.set_clip(clip)
        if self.max_scroll_px > 0:
            track = pygame.Rect(vp.right + 6, vp.y, 6, vp.height)
            pygame.draw.rect(surface, pal.BG, track, border_radius=3)
            thumb_h = max(30, round(vp.height * vp.height / (vp.height + self.max_scroll_px)))
            thumb_y = vp.y + round((vp.height - thumb_h) * self.scroll_px / self.max_scroll_px)
            pygame.draw.rect(surface, pal.TEXT_FAINT, (track.x, thumb_y, track.width, thumb_h), border_radius=3)

    def _draw_row(self, surface, rect, attempt, selected: bool) -> None:
        fonts = self.app.fonts
        pygame.draw.rect(surface, pal.PANEL_RAISED if selected else pal.BG, rect, border_radius=6)
        pygame.draw.rect(surface, pal.ACCENT if selected else pal.PANEL_BORDER, rect, 2 if selected else 1,
                         border_radius=6)
        x = rect.x + 12
        surface.blit(fonts.text(attempt_date(attempt), 13, pal.TEXT_DIM, "mono"), (x, rect.y + 10))
        case = self.case_of(attempt)
        title = case.title if case is not None else attempt.case_id
        surface.blit(fonts.text(title, 15, pal.TEXT, "bold"), (x + 170, rect.y + 8))
        result = attempt.result
        right = rect.right - 12
        passed = bool(result.get("passed"))
        pill = badge(surface, fonts, "PASS" if passed else "FAIL", (right - 54, rect.y + 9),
                     pal.OK if passed else pal.DANGER)
        total = fonts.text(f"{shown_total(float(result.get('total') or 0.0))}", 18, pal.TEXT, "bold")
        surface.blit(total, (pill.x - 14 - total.get_width(), rect.y + 5))
        tags = [(attempt.mode.upper(), pal.WARN if attempt.mode != "practice" else pal.INFO)]
        if attempt.rating is not None:
            tags.append(("RATED", pal.ACCENT))
        tag_x = pill.x - 14 - total.get_width() - 16
        for text, colour in reversed(tags):
            tag_x -= fonts.text(text, 12, pal.BG, "bold").get_width() + 14 + 6
            badge(surface, fonts, text, (tag_x, rect.y + 11), colour, size=11)
        surface.blit(criteria_text(fonts, result.get("criteria", []), rect.width - 24), (x, rect.y + 38))
