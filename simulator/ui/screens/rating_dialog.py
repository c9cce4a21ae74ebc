"""The examiner's global rating dialog: 1-5 on each OSATS-style domain, the examiner's id and a comment.

Opened from a stored attempt's replay (screens/attempt_replay.py). Each domain is a row of
five buttons; the keyboard works too (Up/Down pick a domain, 1-5 score it). Save is offered
only when every domain is scored and the examiner is named, because a partial rating would
read as a judgement nobody made. A rating already stored is shown to be changed.
"""

from __future__ import annotations

import pygame
import pygame_gui
from pygame_gui.elements import UIButton, UILabel

from simulator.ui.screens.modal import BUTTON_ROW_H, ModalDialog
from simulator.ui.text_field import TextField

ROW_H = 34
LABEL_W = 210
SCORE_W = 44
COMMENT_MAX_CHARS = 500
ANCHORS = "1 poor  \u00b7  3 competent  \u00b7  5 excellent"


def domain_label(domain: str) -> str:
    return domain.replace("_", " ").capitalize()


class RatingDialog(ModalDialog):
    title = "Global rating"
    size = (620, 500)

    def __init__(self, manager, window_size, domains: tuple[str, ...], existing=None):
        super().__init__(manager, window_size)
        self.domains = tuple(domains)
        self.scores: dict[str, int] = dict(existing.global_score_1_5) if existing is not None else {}
        self.row = 0
        r, c = self.inner, self.container
        self.add(UILabel(pygame.Rect(r.x, r.y, r.width, 22), f"Rate the attempt as a whole: {ANCHORS}", manager,
                         container=c, object_id="#dialog_hint"))
        self.labels: list = []
        self.score_buttons: dict = {}  # button -> (domain, score)
        y = r.y + 28
        for domain in self.domains:
            self.labels.append(self.add(UILabel(pygame.Rect(r.x, y, LABEL_W, ROW_H - 4), domain_label(domain), manager,
                                                container=c, object_id="#dialog_hint")))
            for score in range(1, 6):
                rect = pygame.Rect(r.x + LABEL_W + (score - 1) * (SCORE_W + 6), y, SCORE_W, ROW_H - 4)
                button = self.add(UIButton(rect, str(score), manager, container=c, object_id="@small"))
                self.score_buttons[button] = (domain, score)
            y += ROW_H
        y += 4
        self.examiner = self.add(TextField(pygame.Rect(r.x, y, r.width, BUTTON_ROW_H), manager, container=c,
                                           placeholder_text="Examiner name or id (required)"))
        self.comment = self.add(TextField(pygame.Rect(r.x, y + BUTTON_ROW_H + 8, r.width, BUTTON_ROW_H), manager,
                                          container=c, placeholder_text="Comment (optional)"))
        self.comment.set_text_length_limit(COMMENT_MAX_CHARS)
        if existing is not None:
            self.examiner.set_text(existing.examiner)
            self.comment.set_text(existing.comment)
        self.status, self.cancel_button, self.save_button = self.add_button_row("Cancel", "Save rating", 160,
                                                                                "@primary")
        self.update()

    def keep(self) -> dict:
        return {"scores": dict(self.scores), "examiner": self.examiner.get_text(), "comment": self.comment.get_text()}

    def restore(self, kept: dict) -> None:
        self.scores = dict(kept.get("scores", {}))
        self.examiner.set_text(kept.get("examiner", ""))
        self.comment.set_text(kept.get("comment", ""))
        self.update()

    @property
    def ready(self) -> bool:
        return len(self.scores) == len(self.domains) and bool(self.examiner.get_text().strip())

    def typing(self) -> bool:
        return self.examiner.is_focused or self.comment.is_focused

    def show(self, text: str) -> None:
        self.status.set_text(text)

    def update(self) -> None:
        for button, (domain, score) in self.score_buttons.items():
            button.select() if self.scores.get(domain) == score else button.unselect()
        for index, label in enumerate(self.labels):
            text = domain_label(self.domains[index])
            label.set_text(f"\u203a {text}" if index == self.row else text)  # the row the number keys score
        self.save_button.enable() if self.ready else self.save_button.disable()

    def values(self) -> dict:
        """What the examiner entered: scores, examiner, comment (the caller makes the Rating)."""
        return {"global_score_1_5": dict(self.scores), "examiner": self.examiner.get_text().strip(),
                "comment": self.comment.get_text().strip()}

    def handle(self, event) -> tuple[str, dict | None] | None:
        """("rate", values), ("close", None) or None."""
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            if event.ui_element is self.cancel_button:
                return "close", None
            if event.ui_element is self.save_button and self.ready:
                return "rate", self.values()
            if event.ui_element in self.score_buttons:
                domain, score = self.score_buttons[event.ui_element]
                self.scores[domain] = score
                self.row = self.domains.index(domain)
        elif event.type == pygame.KEYDOWN and not self.typing():
            if event.key in (pygame.K_UP, pygame.K_DOWN):
                self.row = (self.row + (1 if event.key == pygame.K_DOWN else -1)) % len(self.domains)
            elif pygame.K_1 <= event.key <= pygame.K_5:
                self.scores[self.domains[self.row]] = event.key - pygame.K_0
                self.row = min(self.row + 1, len(self.domains) - 1)
            elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER) and self.ready:
                return "rate", self.values()
        elif event.type == pygame_gui.UI_TEXT_ENTRY_FINISHED and self.ready:
            return "rate", self.values()
        self.update()
        return None
