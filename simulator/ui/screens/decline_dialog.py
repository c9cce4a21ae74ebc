"""The "Decline to inject" dialog: confirm the decision and record the reason.

Declining is a clinical decision the judgement criterion grades (docs/scoring.md), so
it takes a reason and an explicit confirm; it is refused while a needle is in (the Session
rule), and the dialog says so instead of offering a button that would be rejected. The
reasons offered are pooled from the whole library (so the list does not give the answer
away); "other" opens a line to type the reason in the trainee's own words, and that text,
verbatim, is what the `Decline` action carries. Up/Down choose a reason, Enter confirms.
"""

from __future__ import annotations

import pygame
import pygame_gui
from pygame_gui.elements import UILabel, UISelectionList

from simulator.render.text import fit_text
from simulator.ui.counsel_topics import shuffled_for
from simulator.ui.screens.modal import BUTTON_ROW_H as ROW_H, ModalDialog, move_single_selection
from simulator.ui.text_field import TextField

GENERIC_REASONS = ("Infection at the site", "The pain is too chronic for an injection to help")
OTHER = "Other reason (type it)"


def decline_options(case, cases) -> list[str]:
    """Reasons pooled from every case's accepted decline reasons plus generic ones, in an order
    fixed by the case id (so position gives nothing away), then "other"."""
    pooled = sorted({r.reason.rstrip(".") for c in cases for r in c.agent_policy.decline_reasons} | set(GENERIC_REASONS))
    return shuffled_for(case.id, pooled) + [OTHER]


ITEM_H = 30  # the theme's list_item_height for #decline_reasons
ROW_TEXT_PAD_PX = 36  # a row's text padding either side and the list's scroll bar
REASON_MAX_CHARS = 200  # a reason is a sentence, not an essay


class DeclineDialog(ModalDialog):
    title = "Decline to inject"
    size = (720, 380)  # the longest pooled reasons fit whole from 1024 px up

    def __init__(self, manager, window_size, needle_in: bool, reasons: list[str]):
        super().__init__(manager, window_size)
        self.needle_in = needle_in
        self.reasons = list(reasons)
        r, c = self.inner, self.container
        lines = ["Decide not to needle this patient today.",
                 "The procedure ends and the debrief opens." if not needle_in
                 else "Remove the needle before declining."]
        y = r.y
        for i, line in enumerate(lines):
            object_id = "#dialog_warning" if needle_in and i == 1 else "#dialog_hint"
            self.add(UILabel(pygame.Rect(r.x, y, r.width, 22), line, manager, container=c, object_id=object_id))
            y += 22
        y += 6
        self.add(UILabel(pygame.Rect(r.x, y, r.width, 22), "Reason (Up/Down to choose, Enter to confirm):", manager,
                         container=c, object_id="#dialog_hint"))
        y += 24
        room = r.bottom - ROW_H - 10 - (ROW_H + 8) - y  # the free-text line goes under the list
        list_h = min(ITEM_H * len(self.reasons) + 4, room)
        self.list = self.add(UISelectionList(pygame.Rect(r.x, y, r.width, list_h), list(self.reasons), manager,
                                             container=c, object_id="#decline_reasons"))
        self.reason_of = self._fit_rows()  # the row's text -> the reason it stands for
        self.entry = self.add(TextField(pygame.Rect(r.x, y + list_h + 8, r.width, ROW_H), manager, container=c,
                                        placeholder_text="Type the reason in your own words"))
        self.entry.set_text_length_limit(REASON_MAX_CHARS)
        self.entry.hide()
        _, self.cancel_button, self.confirm_button = self.add_button_row("Cancel", "Decline and finish", 190, "@danger",
                                                                         status=False)
        self.update()

    def _fit_rows(self) -> dict[str, str]:
        """Rows too long for the list end in an ellipsis (never cut mid-word); the reason stays whole."""
        button = next((item["button_element"] for item in self.list.item_list if item["button_element"]), None)
        if button is None:
            return {reason: reason for reason in self.reasons}
        room = self.list.rect.width - ROW_TEXT_PAD_PX
        shown = {fit_text(button.font, reason, room): reason for reason in self.reasons}
        if any(text != reason for text, reason in shown.items()):
            self.list.set_item_list(list(shown))
        return shown

    def keep(self) -> dict:
        return {**super().keep(), "typed": self.entry.get_text()}

    def restore(self, kept: dict) -> None:
        super().restore(kept)
        self.entry.set_text(kept.get("typed", ""))
        self.update()

    def typing(self) -> bool:
        return self.entry.visible and self.entry.is_focused

    def reason(self) -> str | None:
        """The chosen reason; with "other", the typed text (None while nothing is typed)."""
        text = self.reason_of.get(self.list.get_single_selection())
        if text == OTHER:
            typed = self.entry.get_text().strip()
            return typed or None
        return text

    def update(self) -> None:
        other = self.reason_of.get(self.list.get_single_selection()) == OTHER
        if other and not self.entry.visible:
            self.entry.show()
            self.entry.focus()
            self.manager.set_focus_set(self.entry)
        elif not other and self.entry.visible:
            self.entry.unfocus()
            self.entry.hide()
        if self.needle_in or self.reason() is None:
            self.confirm_button.disable()
        else:
            self.confirm_button.enable()

    def handle(self, event) -> tuple[str, str | None] | None:
        """("decline", reason), ("close", None) or None."""
        ready = self.reason() is not None and not self.needle_in
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            if event.ui_element is self.cancel_button:
                return "close", None
            if event.ui_element is self.confirm_button and ready:
                return "decline", self.reason()
        if event.type == pygame_gui.UI_TEXT_ENTRY_FINISHED and event.ui_element is self.entry and ready:
            return "decline", self.reason()
        if event.type == pygame.KEYDOWN and not self.typing():
            if event.key in (pygame.K_UP, pygame.K_DOWN):
                move_single_selection(self.list, -1 if event.key == pygame.K_UP else 1)
                self.update()
            elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER) and ready:
                return "decline", self.reason()
        return None
