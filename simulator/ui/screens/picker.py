"""The case picker: every case's title, muscle, difficulty and summary; mode and trainee; start.

The scrolling list of case cards is case_list.CaseList; the guided-case offer is guide_offer.
"""

from __future__ import annotations

import pygame
import pygame_gui
from pygame_gui.elements import UIButton

from simulator.render import palette as pal
from simulator.render.help import draw_help
from simulator.render.hud import draw_gauge, draw_top_bar
from simulator.render.layout import PickerLayout
from simulator.render.text import blit_wrapped, panel
from simulator.scenario.sources import NOT_REVIEWED, review_note
from simulator.ui.keys import PICKER_HELP, list_move
from simulator.ui.screens.base import Screen
from simulator.ui.screens.case_list import CaseList
from simulator.ui.screens.guide_offer import GuideOffer, OfferCheck, draw_reach_hint
from simulator.ui.text_field import TextField

ATTEMPTS_W = 150  # the "My attempts" button beside the trainee field


class PickerScreen(Screen):
    name = "picker"

    def __init__(self, app, selected: int = 0):
        super().__init__(app)
        self.cases = app.config.cases
        self.case_list = CaseList(self.cases, selected)
        self.mode = app.config.mode
        self.help_visible = False
        self.pending_start: tuple | None = None  # (case, mode, trainee) waiting for the kernel warm-up
        self.offer_check = OfferCheck(app)  # the guided case first, for a new user (see guide_offer)
        self.focus_offer = True  # the offer takes the focus when it appears, unless the user is already busy
        self.build(app.size)

    # ------------------------------------------------------------------ widgets
    def build(self, size) -> None:
        self.layout = PickerLayout.for_size(size)
        self.case_list.area = self.layout.cases
        d = self.layout.details
        manager = self.app.manager
        y = d.bottom - 214
        half = (d.width - 30) // 2
        self.practice_button = self.add(UIButton(pygame.Rect(d.x + 10, y, half, 40), "Practice", manager,
                                                 object_id="#mode_practice"))
        self.assessment_button = self.add(UIButton(pygame.Rect(d.x + 20 + half, y, half, 40), "Assessment",
                                                   manager, object_id="#mode_assessment"))
        self.trainee_entry = self.add(TextField(pygame.Rect(d.x + 10, y + 92, d.width - 20 - ATTEMPTS_W - 8, 36),
                                                manager, placeholder_text="Trainee id"))
        self.attempts_button = self.add(UIButton(pygame.Rect(d.right - 10 - ATTEMPTS_W, y + 92, ATTEMPTS_W, 36),
                                                 "My attempts (F2)", manager))
        if self.app.config.trainee:
            self.trainee_entry.set_text(self.app.config.trainee)
        self.case_list.keep_in_view(self.case_list.selected)  # e.g. back from the last case, or after a resize
        self.offer = None
        if self.offer_check.first:
            self._show_offer()
        self.start_button = self.add(UIButton(pygame.Rect(d.x + 10, d.bottom - 62, d.width - 20, 50),
                                              "Start case   (Enter)", manager, object_id="@primary"))
        self._sync_mode()

    def _show_offer(self) -> None:
        self.offer = GuideOffer(self.app.manager, self.layout.details, self.offer_check.progress)
        for button in self.offer.buttons:
            self.add(button)

    def _dismiss_offer(self) -> None:
        """"Not now": the offer goes, and is not shown first again (G still opens the guided case)."""
        self.problem = self.offer.dismiss(self.app.config.guide_file) or ""
        self.widgets = [w for w in self.widgets if w not in self.offer.kill()]
        self.offer, self.offer_check.first, self.app.focus.focused = None, False, None

    def focus_order(self) -> list:
        """The offer's buttons first (it is offered first), then mode, trainee, attempts and Start."""
        first = self.offer.buttons if self.offer is not None else []
        return first + [w for w in self.widgets if w not in first]

    def _sync_mode(self) -> None:
        for button, mode in ((self.practice_button, "practice"), (self.assessment_button, "assessment")):
            if mode == self.mode:
                button.select()
            else:
                button.unselect()
        self.problem = ""

    # ------------------------------------------------------------------ events
    def start(self) -> None:
        """Open the selected case; while the ultrasound kernels are still compiling, wait for them
        behind a progress bar (the window keeps answering; Esc cancels)."""
        if not self.cases:
            return
        trainee = self.trainee_entry.get_text().strip()
        if self.mode == "assessment" or trainee:  # an assessment is filed under a trainee id; practice with one too
            from simulator.records.attempt import check_trainee_id

            try:
                trainee = check_trainee_id(trainee)
            except ValueError as exc:
                reason = str(exc).split(", got")[0]  # one line under the field: the rule, not the echo
                self.problem = "Enter a trainee id to start an assessment." if not trainee else \
                    reason[0].upper() + reason[1:] + "."
                self.trainee_entry.focus()
                return
        self.pending_start = (self.case_list.selected_case, self.mode, trainee)
        self.update(0.0)

    @property
    def warming(self):
        """The kernel warm-up while it runs, else None."""
        task = self.app.kernels
        return task if task is not None and not task.done else None

    def update(self, dt_s: float) -> None:
        if self.offer is None and self.offer_check.first is None and self.offer_check.poll():
            self._show_offer()
        if self.offer is not None and self.focus_offer:
            self.focus_offer = False
            if self.app.focus.focused is None:
                self.app.focus.focused = self.offer.button  # Enter (or G) starts it
        if self.pending_start is not None and self.warming is None:
            case, mode, trainee = self.pending_start
            self.pending_start = None
            self.app.start_case(case, mode, trainee)

    def show_attempts(self) -> None:
        """'My attempts' for the trainee in the field (the screen asks for one when it is empty)."""
        from simulator.ui.screens.attempts import AttemptsScreen

        self.app.switch(AttemptsScreen(self.app, self.trainee_entry.get_text(), self.case_list.selected_case))

    def _handle_help(self, event) -> bool:
        """F1, or ? outside the trainee field, toggles the help; while it shows, Esc or a click closes it
        and nothing else reaches the picker. True when the event was used."""
        typing = self.trainee_entry.is_focused
        if event.type == pygame.KEYDOWN and (event.key == pygame.K_F1
                                             or (not typing and getattr(event, "unicode", "") == "?")):
            self.help_visible = not self.help_visible
            return True
        if not self.help_visible:
            return False
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE or event.type == pygame.MOUSEBUTTONDOWN:
            self.help_visible = False
        return event.type in (pygame.KEYDOWN, pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP,
                              pygame_gui.UI_BUTTON_PRESSED)

    def handle_event(self, event, consumed) -> None:
        if self.pending_start is not None:  # waiting to start: only Esc (cancel) means anything
            if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
                self.pending_start = None
            return
        if self._handle_help(event):
            return
        if (event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER)
                and self.trainee_entry.is_focused):
            self.start()  # the Start button says "(Enter)": it holds in the trainee field too
            return
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            if event.ui_element is self.practice_button:
                self.mode = "practice"
                self._sync_mode()
            elif event.ui_element is self.assessment_button:
                self.mode = "assessment"
                self._sync_mode()
            elif event.ui_element is self.start_button:
                self.start()
            elif event.ui_element is self.attempts_button:
                self.show_attempts()
            elif self.offer is not None and event.ui_element is self.offer.button:
                self.app.start_guided()
            elif self.offer is not None and event.ui_element is self.offer.dismiss_button:
                self._dismiss_offer()
            return
        if event.type == pygame.KEYDOWN and event.key == pygame.K_F2:
            self.show_attempts()
            return
        if consumed:
            return
        cards = self.case_list
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            for index in cards.cards_at(event.pos):
                if index == cards.selected and getattr(event, "clicks", 1) >= 2:
                    self.start()
                cards.select(index)  # a half-hidden card scrolls fully into view
        elif event.type == pygame.MOUSEWHEEL:
            cards.wheel(event.y)
        elif event.type == pygame.KEYDOWN and not self.trainee_entry.is_focused:
            self.focus_offer = False
            row = list_move(event.key, cards.selected, len(self.cases), cards.page_rows)
            if row is not None:
                cards.select(row)
                if self.offer is not None and self.app.focus.focused in self.offer.buttons:
                    self.app.focus.focused = None  # choosing in the list: Enter starts the case chosen
            elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                self.start()
            elif event.key == pygame.K_g and self.app.config.guide_file is not None:
                self.app.start_guided()

    # ------------------------------------------------------------------ drawing
    def draw(self, surface) -> None:
        fonts = self.app.fonts
        draw_top_bar(surface, self.layout.top_bar, fonts, "Choose a case",
                     "ultrasound-guided trigger point injection trainer", muted=self.app.sound.muted)
        inner = panel(surface, self.layout.cases, fonts, f"Case library  \u00b7  {len(self.cases)} cases")
        self.case_list.draw(surface, fonts)
        if not self.cases:
            blit_wrapped(surface, fonts.regular(15), "No cases found in the scenarios folder.",
                         inner.topleft, inner.width, pal.WARN)
        self._draw_details(surface)

    def draw_overlay(self, surface) -> None:
        if self.help_visible:
            draw_help(surface, self.app.fonts, PICKER_HELP, "Choosing a case")
        task = self.warming
        if self.pending_start is not None and task is not None:
            self._draw_waiting(surface, task)

    def _draw_warming(self, surface) -> None:
        """One line between the trainee field and Start while the ultrasound kernels compile: the words and
        a bar with the share done."""
        task = self.warming
        if task is None:
            return
        d = self.layout.details
        top, bottom = self.trainee_entry.rect.bottom, self.start_button.rect.y
        label = self.app.fonts.text(f"Preparing the ultrasound\u2026 {round(100 * task.fraction)}%", 12, pal.INFO, "bold")
        y = (top + bottom - label.get_height()) // 2
        surface.blit(label, (d.x + 10, y))
        bar = pygame.Rect(d.x + 20 + label.get_width(), 0, d.right - 10 - (d.x + 20 + label.get_width()), 6)
        bar.centery = y + label.get_height() // 2
        if bar.width > 20:
            pygame.draw.rect(surface, pal.BG, bar, border_radius=3)
            fill = pygame.Rect(bar.x, bar.y, round(bar.width * task.fraction), bar.height)
            if fill.width:
                pygame.draw.rect(surface, pal.INFO, fill, border_radius=3)
            pygame.draw.rect(surface, pal.PANEL_BORDER, bar, 1, border_radius=3)

    def _draw_waiting(self, surface, task) -> None:
        """Start was pressed before the kernels were ready: a dimmed window and a box with the progress."""
        fonts = self.app.fonts
        shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
        shade.fill((*pal.BG, 200))
        surface.blit(shade, (0, 0))
        box = pygame.Rect(0, 0, min(520, surface.get_width() - 40), 164)
        box.center = surface.get_rect().center
        pygame.draw.rect(surface, pal.PANEL_RAISED, box, border_radius=8)
        pygame.draw.rect(surface, pal.ACCENT, box, 2, border_radius=8)
        case = self.pending_start[0]
        y = blit_wrapped(surface, fonts.bold(16), f"Starting {case.title}", (box.x + 20, box.y + 14), box.width - 40,
                         pal.TEXT)
        y = blit_wrapped(surface, fonts.regular(13), "Preparing the ultrasound image (only the first start after "
                         f"installing takes long): {task.what}.", (box.x + 20, y + 4), box.width - 40, pal.TEXT_DIM)
        draw_gauge(surface, pygame.Rect(box.x + 20, box.bottom - 62, box.width - 40, 28), fonts, "Progress",
                   task.fraction, pal.ACCENT, f"{round(100 * task.fraction)}%")
        hint = fonts.text("Esc cancels", 12, pal.TEXT_DIM)
        surface.blit(hint, (box.right - 20 - hint.get_width(), box.bottom - 26))

    def _draw_details(self, surface) -> None:
        fonts = self.app.fonts
        d = self.layout.details
        inner = panel(surface, d, fonts, "Selected case")
        if not self.cases:
            return
        case = self.case_list.selected_case
        p = case.patient
        top = self.offer.draw(surface, fonts) if self.offer is not None else inner.y
        if self.offer_check.first is False and self.app.config.guide_file is not None:  # not offered: one key away
            draw_reach_hint(surface, fonts, d)
        y = blit_wrapped(surface, fonts.bold(18), case.title, (inner.x, top), inner.width, pal.TEXT)
        y = blit_wrapped(surface, fonts.regular(14), f"{p.name}, {p.age_years} years, {p.weight_kg:g} kg",
                         (inner.x, y + 2), inner.width, pal.TEXT_DIM)
        note = review_note(case)
        y = blit_wrapped(surface, fonts.regular(13), note, (inner.x, y + 2), inner.width,
                         pal.WARN if note == NOT_REVIEWED else pal.OK)
        y += 10
        surface.blit(fonts.bold(12).render("LEARNING OBJECTIVES", True, pal.TEXT_FAINT), (inner.x, y))
        y += 18
        limit = self.practice_button.rect.y - 40
        for objective in case.learning_objectives:
            y = blit_wrapped(surface, fonts.regular(13), f"\u2022 {objective}", (inner.x, y), inner.width,
                             pal.TEXT, max_y=limit)
        mode_y = self.practice_button.rect.y - 22
        surface.blit(fonts.bold(12).render("MODE", True, pal.TEXT_FAINT), (inner.x, mode_y))
        note = ("Hints, outlines and tip tracking." if self.mode == "practice"
                else "No hints. Timed. Result and replay are saved.")
        surface.blit(fonts.regular(12).render(note, True, pal.TEXT_DIM),
                     (inner.x, self.practice_button.rect.bottom + 6))
        surface.blit(fonts.bold(12).render("TRAINEE", True, pal.TEXT_FAINT),
                     (inner.x, self.trainee_entry.rect.y - 22))  # clear of the focus ring
        if self.problem:  # why Start did not start, under the field it is about
            blit_wrapped(surface, fonts.regular(12), self.problem, (inner.x, self.trainee_entry.rect.bottom + 4),
                         inner.width, pal.WARN)
        self._draw_warming(surface)
