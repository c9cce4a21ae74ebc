"""The picker's offer of the guided first case: first in the details panel, for a new user.

A new user is one with no stored attempt who has neither completed the guided case nor put
its offer away ("Not now"). For them the offer sits above the case's details with the focus
on its button, so Enter (or G) starts it; one who left it half-way is offered to resume at
their step. Everyone else sees the normal picker, where G still opens the guided case and
the details panel's header says so.

Whether the store holds an attempt is asked off the UI thread when the window runs (opening
the store takes a good half second, and the picker must not freeze); a new user's offer
appears once the answer is in. Driven frame by frame (tests), the answer is there at once.
"""

from __future__ import annotations

import pygame
from pygame_gui.elements import UIButton

from simulator.render import palette as pal
from simulator.render.text import blit_wrapped
from simulator.ui.guide_store import load_progress, read_dismissed, save_dismissed

BOX_H = 96
DISMISS_W = 100
LABEL_PAD_PX = 12  # a button's border and the least padding around its words
REACH_HINT = "G: guided case"  # the details panel's header when the offer is not shown


def offer_words(progress) -> tuple[str, tuple[str, ...]]:
    """(the line above the button, the button's labels longest first) for saved progress (None: a new user)."""
    if progress is None:
        return ("New here? Do the guided first case: one injection, step by step, each control shown.",
                ("Start the guided case   (G)", "Start guided case (G)", "Guided case (G)"))
    return ("Your guided case is waiting where you left it.",
            ("Resume the guided case   (G)", "Resume guided case (G)", "Resume (G)"))


def fit_button_text(button, labels) -> None:
    """The longest of `labels` that fits the button (a narrow window gets the short words, never a cut)."""
    fits = [label for label in labels if button.font.size(label)[0] + LABEL_PAD_PX <= button.rect.width]
    button.set_text(fits[0] if fits else labels[-1])


def stored_attempts_exist(app) -> bool:
    """True when the attempt store holds any attempt; a store that cannot be opened knows of none."""
    from simulator.records.attempt import AttemptFilter
    from simulator.records.errors import StoreError

    try:
        return bool(app.attempt_store().find(AttemptFilter()))
    except StoreError:
        return False


class OfferCheck:
    """Whether the picker offers the guided case first: `first` is True or False once known, else None.

    The progress file answers at once for a user who completed or dismissed the guided case (no
    offer); otherwise the attempt store decides (an attempt stored: no offer)."""

    def __init__(self, app):
        self.progress = load_progress(app.config.guide_file)
        self.first: bool | None = False
        self._task = None
        if app.config.guide_file is None or read_dismissed(app.config.guide_file):
            return
        if self.progress is not None and self.progress[3]:  # completed
            return
        if app.background:
            from simulator.ui.warmup import BackgroundTask

            self.first, found = None, []
            self._task = BackgroundTask("attempts-check", lambda progress: found.append(stored_attempts_exist(app)))
            self._found = found
        else:
            self.first = not stored_attempts_exist(app)

    def poll(self) -> bool | None:
        """The answer, once the background check has finished (None until then)."""
        if self.first is None and self._task is not None and self._task.done:
            self.first = self._task.error is None and self._found == [False]
        return self.first


def draw_reach_hint(surface, fonts, details: pygame.Rect) -> None:
    """"G: guided case" at the right of the details panel's header, when the offer is not shown."""
    hint = fonts.text(REACH_HINT, 12, pal.TEXT_DIM)
    surface.blit(hint, (details.right - 10 - hint.get_width(), details.y + 8))


class GuideOffer:
    """The box above the case's details: a line, the start (or resume) button and "Not now"."""

    def __init__(self, manager, details: pygame.Rect, progress):
        self.rect = pygame.Rect(details.x + 8, details.y + 28, details.width - 16, BOX_H)
        self.line, labels = offer_words(progress)
        self.new_user = progress is None
        row = pygame.Rect(self.rect.x + 8, self.rect.bottom - 44, self.rect.width - 16, 36)
        self.button = UIButton(pygame.Rect(row.x, row.y, row.width - DISMISS_W - 8, row.height), labels[0], manager,
                               object_id="@primary")
        fit_button_text(self.button, labels)
        self.dismiss_button = UIButton(pygame.Rect(row.right - DISMISS_W, row.y, DISMISS_W, row.height), "Not now",
                                       manager)

    @property
    def buttons(self) -> list:
        return [self.button, self.dismiss_button]

    @staticmethod
    def dismiss(guide_file) -> str | None:
        """Remember "Not now" (the offer is not shown first again); an error text if it cannot be kept."""
        return save_dismissed(guide_file)

    def kill(self) -> list:
        """Remove the buttons from the window; returns them."""
        for button in self.buttons:
            button.kill()
        return self.buttons

    def draw(self, surface, fonts) -> int:
        """The box and its line; returns the y below it, where the case's details start."""
        pygame.draw.rect(surface, pal.PANEL_RAISED, self.rect, border_radius=6)
        pygame.draw.rect(surface, pal.WARN, self.rect, 2, border_radius=6)
        blit_wrapped(surface, fonts.regular(13), self.line, (self.rect.x + 10, self.rect.y + 8), self.rect.width - 20,
                     pal.TEXT, max_y=self.button.rect.y)
        return self.rect.bottom + 10
