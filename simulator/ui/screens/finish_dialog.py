"""The "Finish the procedure?" confirmation: End (key or button) asks before it ends the case.

Finishing cannot be undone: the debrief opens, and in assessment mode the attempt is scored
and saved. A stray End press should not cost a trainee the attempt, so End opens this small
dialog; Enter (or the button) confirms, Esc (or Cancel) goes back to the procedure.
"""

from __future__ import annotations

import pygame
import pygame_gui
from pygame_gui.elements import UILabel

from simulator.ui.screens.modal import ModalDialog

LINE_H_PX = 22


EXAM_LINES = ["This case ends here and cannot be reopened.", "It is scored and saved; then the next step opens."]


def finish_lines(assessment: bool, needle_in: bool, exam: bool = False) -> list[str]:
    """What finishing now means for this attempt, in the words the dialog shows."""
    if exam:
        lines = list(EXAM_LINES)
    else:
        lines = ["The procedure ends and the debrief opens."]
    if assessment and not exam:
        lines.append("This assessment attempt is scored and saved.")
    if needle_in:
        lines.append("The needle is still in.")
    return lines


class FinishDialog(ModalDialog):
    title = "Finish the procedure?"
    size = (480, 200)

    def __init__(self, manager, window_size, assessment: bool, needle_in: bool, exam: bool = False):
        super().__init__(manager, window_size)
        r, c = self.inner, self.container
        self.lines = finish_lines(assessment, needle_in, exam)
        y = r.y
        for line in self.lines:
            warning = line.startswith(("This assessment", "The needle", "This case ends"))
            self.add(UILabel(pygame.Rect(r.x, y, r.width, LINE_H_PX), line, manager, container=c,
                             object_id="#dialog_warning" if warning else "#dialog_hint"))
            y += LINE_H_PX
        self.add(UILabel(pygame.Rect(r.x, y + 6, r.width, LINE_H_PX), "Enter: finish  \u00b7  Esc: keep going",
                         manager, container=c, object_id="#dialog_hint"))
        _, self.cancel_button, self.confirm_button = self.add_button_row("Cancel", "Finish   Enter", 150, "@danger",
                                                                         status=False)

    def handle(self, event) -> tuple[str, None] | None:
        """("finish", None) to end the procedure, ("close", None) to go back, or None."""
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            if event.ui_element is self.cancel_button:
                return "close", None
            if event.ui_element is self.confirm_button:
                return "finish", None
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            return "finish", None
        return None
