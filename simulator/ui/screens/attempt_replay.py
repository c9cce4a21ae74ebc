"""A stored attempt opened for review: its debrief (the stored result) and its replay, where an
examiner attaches a global rating that the store keeps signed with the attempt.

The replay is the attempt's own action lines (header first) played by the replay viewer; the
debrief's panels come from re-running those actions (the Session is deterministic) and its
numbers from the stored result. Rating: R or the Rate button opens the rating dialog; Save
calls `attach_rating` (the store signs the attempt again) and the row in 'My attempts' shows
the rating at once. A refused rating or a store error stays in the dialog, in words.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pygame
import pygame_gui
from pygame_gui.elements import UIButton

from simulator.core.session import Session
from simulator.records import parse_replay
from simulator.records.attempt import RATING_DOMAINS, Rating
from simulator.records.store import StoreError
from simulator.render import palette as pal
from simulator.render.hud import draw_notice
from simulator.ui.screens.rating_dialog import RatingDialog, domain_label
from simulator.ui.screens.replay import ReplayScreen
from simulator.ui.screens.review_debrief import ReviewDebriefScreen

NOTICE_S = 3.0


def stored_replay(attempt) -> tuple[dict, list]:
    """(header, timed) from the attempt's stored action lines."""
    text = "\n".join(json.dumps(line) for line in attempt.replay) + "\n"
    return parse_replay(text, f"attempt {attempt.attempt_id}")


def attempt_notes(attempt) -> list[str]:
    """Which attempt the debrief shows, and its examiner's rating if it has one, in words."""
    exam = f", exam {attempt.exam_id}" if attempt.exam_id else ""
    notes = [f"Stored attempt {attempt.attempt_id}: {attempt.trainee_id}, {attempt.mode}{exam}, "
             f"{attempt.started_at.strftime('%Y-%m-%d %H:%M UTC')}, station {attempt.station}."]
    rating = attempt.rating
    if rating is None:
        notes.append("Not rated by an examiner yet.")
    else:
        given = rating.global_score_1_5
        scores = ", ".join(f"{domain_label(d).lower()} {given[d]}" for d in RATING_DOMAINS if d in given)
        comment = f" Comment: {rating.comment}" if rating.comment else ""
        notes.append(f"Examiner's rating by {rating.examiner}, {rating.rated_at.strftime('%Y-%m-%d')}: {scores}."
                     f"{comment}")
    return notes


def open_stored_replay(app, attempt, attempts_screen, back_to=None) -> None:
    """The attempt's replay with the Rate button; closing it returns to `back_to` (default: the list)."""
    app.switch(AttemptReplayScreen(app, attempt, attempts_screen, back_to or attempts_screen))


def open_stored_debrief(app, attempt, attempts_screen) -> None:
    """The attempt's debrief showing its stored result, with its replay and the way back to the list."""
    header, timed = stored_replay(attempt)
    case = attempts_screen.case_of(attempt)
    session = Session(case, app.config.catalogue, int(header.get("seed", attempt.seed)))
    session.run(timed)
    debrief = None

    def command(name: str) -> None:
        if name == "replay":
            open_stored_replay(app, attempt, attempts_screen, back_to=debrief)
        else:
            app.reopen(attempts_screen)

    debrief = ReviewDebriefScreen(app, case, session, attempt.mode,
                                  [("Back to my attempts   (Esc)", "back"), ("Replay and rate", "replay")], command,
                                  result=attempt.result, notes=attempt_notes(attempt))
    app.switch(debrief)


class AttemptReplayScreen(ReplayScreen):
    name = "attempt_replay"

    def __init__(self, app, attempt, attempts_screen, back_to):
        self.attempt = attempt
        self.attempts_screen = attempts_screen
        self.rating_dialog: RatingDialog | None = None
        self.notice: tuple[float, str] | None = None
        super().__init__(app, stored_replay(attempt), back_to)

    def build(self, size) -> None:
        super().build(size)
        back = self.back_button.rect
        self.rate_button = self.keep(UIButton(pygame.Rect(back.x - 94, back.y, 90, back.height), "Rate   (R)",
                                              self.app.manager, object_id="@small"))
        self.rate_button.change_layer(10)
        if self.back_to is self.attempts_screen:
            self.back_button.set_text("Back")  # to the list, not to a debrief
        self.state_rect.width = max(0, min(self.state_rect.width, self.rate_button.rect.x - 6 - self.state_rect.x))
        if self.rating_dialog is not None:
            kept = self.rating_dialog.keep()
            self.rating_dialog.kill()
            self.open_rating()
            self.rating_dialog.restore(kept)

    def close(self) -> None:
        if self.rating_dialog is not None:
            self.rating_dialog.kill()
            self.rating_dialog = None
        super().close()

    def open_rating(self) -> None:
        if self.playing:
            self.toggle()
        self.rating_dialog = RatingDialog(self.app.manager, self.app.size, RATING_DOMAINS, self.attempt.rating)

    def rate(self, values: dict) -> None:
        try:
            rating = Rating(rated_at=datetime.now(timezone.utc), **values)
            self.attempt = self.app.attempt_store().attach_rating(self.attempt.attempt_id, rating)
        except (ValueError, StoreError) as exc:
            self.rating_dialog.show(str(exc)[:90])
            return
        self.attempts_screen.replace(self.attempt)
        self.rating_dialog.kill()
        self.rating_dialog = None
        self.notice = (self.wall_s + NOTICE_S, f"Rating saved and signed ({rating.examiner})")

    def handle_event(self, event, consumed) -> None:
        dialog = self.rating_dialog
        if dialog is not None:
            if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE or (
                    event.type == pygame_gui.UI_WINDOW_CLOSE and event.ui_element is dialog.window):
                dialog.kill()
                self.rating_dialog = None
                return
            outcome = dialog.handle(event)
            if outcome is not None:
                what, values = outcome
                if what == "rate":
                    self.rate(values)
                else:
                    dialog.kill()
                    self.rating_dialog = None
            return
        if event.type == pygame_gui.UI_BUTTON_PRESSED and event.ui_element is self.rate_button:
            self.open_rating()
            return
        if event.type == pygame.KEYDOWN and event.key == pygame.K_r and not consumed:
            self.open_rating()
            return
        super().handle_event(event, consumed)

    def draw_overlay(self, surface) -> None:
        if self.rating_dialog is not None:
            return  # nothing is drawn over the dialog (a speech bubble would cover its rows)
        super().draw_overlay(surface)
        if self.notice is not None and self.notice[0] > self.wall_s:
            draw_notice(surface, self.app.fonts, self.notice[1], self.layout.ultrasound, pal.OK)
