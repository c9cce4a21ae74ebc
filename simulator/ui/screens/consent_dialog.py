"""The "Consent the patient" dialog: tick the risks, benefits and alternatives discussed, then confirm.

Consent is a conversation the safety criterion grades topic by topic (docs/scoring.md), so the
dialog lists every topic in `core/preparation.CONSENT_TOPICS`, including ones that apply to no
trigger point injection, in an order fixed by the case id so position gives nothing away.
In practice mode the topics this case carries are marked with a dot; in assessment nothing
hints. Each row has a letter: click a row or press its letter to tick it, Enter confirms.
Consent can be taken again; topics already discussed are shown as such and add up.
"""

from __future__ import annotations

import string

import pygame
import pygame_gui
from pygame_gui.elements import UILabel, UISelectionList

from simulator.core.preparation import CONSENT_TOPICS, applicable_consent_topics
from simulator.ui.counsel_topics import shuffled_for
from simulator.ui.screens.modal import BUTTON_ROW_H as ROW_H, ModalDialog, scroll_row_into_view, set_row_selected

APPLIES_MARK = "\u2022 "  # the practice hint, as in the counsel dialog
DISCUSSED_SUFFIX = "  (discussed)"
DISCUSSED_ID = "#counsel_given"  # the counsel dialog's "done" row colours
PLAIN_ID = "#item_list_item"
LETTERS = string.ascii_uppercase


def consent_order(case) -> list[str]:
    """The topic ids in the order the dialog lists them: shuffled by the case id."""
    return shuffled_for(case.id, list(CONSENT_TOPICS))


def row_text(index: int, topic: str, applies: bool, discussed: bool) -> str:
    """A row: its key letter, the practice dot, the topic's words and the 'discussed' mark."""
    return (f"{LETTERS[index]}   " + (APPLIES_MARK if applies else "") + CONSENT_TOPICS[topic]
            + (DISCUSSED_SUFFIX if discussed else ""))


class ConsentDialog(ModalDialog):
    title = "Consent the patient"
    size = (640, 540)

    def __init__(self, manager, window_size, case, practice: bool, discussed: set[str]):
        super().__init__(manager, window_size)
        self.topics = consent_order(case)
        if len(self.topics) > len(LETTERS):
            raise ValueError(f"{len(self.topics)} consent topics; the dialog has letters for {len(LETTERS)}")
        applicable = set(applicable_consent_topics(case))
        self.applies = [practice and t in applicable for t in self.topics]
        self.discussed = set(discussed)
        r, c = self.inner, self.container
        lines = ["Tick each topic you discussed with the patient (click, or press its letter).",
                 (f"Practice hint: {len(applicable)} topics apply to this procedure, marked \u2022." if practice
                  else "Topics that do not apply to this procedure cost credit.")]
        y = r.y
        self.hints = []
        for line in lines:
            self.hints.append(self.add(UILabel(pygame.Rect(r.x, y, r.width, 22), line, manager, container=c,
                                               object_id="#dialog_hint")))
            y += 22
        y += 6
        items = [(row_text(i, t, self.applies[i], t in self.discussed), DISCUSSED_ID if t in self.discussed
                  else PLAIN_ID) for i, t in enumerate(self.topics)]
        self.list = self.add(UISelectionList(pygame.Rect(r.x, y, r.width, r.bottom - ROW_H - 10 - y), items, manager,
                                             container=c, object_id="#consent_list", allow_multi_select=True,
                                             allow_double_clicks=False))
        self.status, self.cancel_button, self.confirm_button = self.add_button_row("Cancel", "Consent obtained", 190,
                                                                                   "@primary")
        self._shown: tuple | None = None
        self.update()

    def ticked(self) -> tuple[str, ...]:
        """The ticked topic ids, in CONSENT_TOPICS order (what the Consent action carries)."""
        chosen = {self.topics[i] for i, item in enumerate(self.list.item_list) if item["selected"]}
        return tuple(t for t in CONSENT_TOPICS if t in chosen)

    def toggle(self, index: int) -> None:
        set_row_selected(self.list, index, not self.list.item_list[index]["selected"])
        scroll_row_into_view(self.list, index)

    def update(self) -> None:
        ticked = self.ticked()
        if ticked:
            self.confirm_button.enable()
        else:
            self.confirm_button.disable()
        shown = (len(ticked), len(self.discussed))
        if shown != self._shown:
            self._shown = shown
            text = f"Ticked: {len(ticked)}" if ticked else "Nothing ticked yet"
            if self.discussed:
                text += f"  \u00b7  discussed before: {len(self.discussed)}"
            self.status.set_text(text)

    def handle(self, event) -> tuple[str, tuple[str, ...] | None] | None:
        """("consent", topic ids), ("close", None) or None for an event this dialog does not act on."""
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            if event.ui_element is self.cancel_button:
                return "close", None
            if event.ui_element is self.confirm_button and self.ticked():
                return "consent", self.ticked()
        if event.type == pygame.KEYDOWN:
            if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                return ("consent", self.ticked()) if self.ticked() else None
            index = event.key - pygame.K_a
            if 0 <= index < len(self.topics):
                self.toggle(index)
                self.update()
        return None
