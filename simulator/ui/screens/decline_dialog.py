"""The "Decline to inject" dialog: confirm the decision and record a short reason.

Declining is a clinical decision the judgement criterion grades (docs/scoring.md §6), so
it takes a reason and an explicit confirm; it is refused while a needle is in (the Session
rule), and the dialog says so instead of offering a button that would be rejected.
"""

from __future__ import annotations

import pygame
import pygame_gui
from pygame_gui.elements import UIButton, UILabel, UISelectionList

from simulator.ui.screens.modal import ModalDialog

GENERIC_REASONS = ("Infection at the site", "The pain is too chronic for an injection to help")
OTHER = "other"


def decline_options(case, cases) -> list[str]:
    """Reasons pooled from every case's accepted decline reasons plus generic ones, in an order
    fixed by the case id (so position gives nothing away), then "other"."""
    from simulator.ui.counsel_topics import case_seed

    import numpy as np

    pooled = sorted({r.reason.rstrip(".") for c in cases for r in c.agent_policy.decline_reasons} | set(GENERIC_REASONS))
    order = np.random.default_rng(case_seed(case.id)).permutation(len(pooled))
    return [pooled[i] for i in order] + [OTHER]
ROW_H = 34
ITEM_H = 30  # the theme's list_item_height for #decline_reasons


class DeclineDialog(ModalDialog):
    title = "Decline to inject"
    size = (500, 316)

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
        self.add(UILabel(pygame.Rect(r.x, y, r.width, 22), "Reason:", manager, container=c, object_id="#dialog_hint"))
        y += 24
        list_h = min(ITEM_H * len(self.reasons) + 4, r.bottom - ROW_H - 10 - y)
        self.list = self.add(UISelectionList(pygame.Rect(r.x, y, r.width, list_h), list(self.reasons), manager,
                                             container=c, object_id="#decline_reasons"))
        confirm_w, cancel_w = 190, 96
        y = r.bottom - ROW_H
        self.cancel_button = self.add(UIButton(pygame.Rect(r.right - confirm_w - cancel_w - 8, y, cancel_w, ROW_H),
                                               "Cancel", manager, container=c))
        self.confirm_button = self.add(UIButton(pygame.Rect(r.right - confirm_w, y, confirm_w, ROW_H),
                                                "Decline and finish", manager, container=c, object_id="@danger"))
        self.update()

    def reason(self) -> str | None:
        text = self.list.get_single_selection()
        return text if text in self.reasons else None

    def update(self) -> None:
        if self.needle_in or self.reason() is None:
            self.confirm_button.disable()
        else:
            self.confirm_button.enable()

    def handle(self, event) -> tuple[str, str | None] | None:
        """("decline", reason), ("close", None) or None."""
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            if event.ui_element is self.cancel_button:
                return "close", None
            if event.ui_element is self.confirm_button and self.reason() and not self.needle_in:
                return "decline", self.reason()
        return None
