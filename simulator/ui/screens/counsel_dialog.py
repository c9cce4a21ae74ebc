"""The "Counsel the patient" dialog: choose a topic from the whole library's list and say it.

The list pools every case's expected topics, shuffled by case id, so the trainee has to
recognise what this patient needs. Topics already given are marked and drawn in the "done"
colours. In practice mode the topics this case expects are marked with a dot; in
assessment nothing hints. Choosing a topic returns it; the screen sends `Counsel(label)`.
Keyboard: Up/Down choose a topic, Enter says it.
"""

from __future__ import annotations

import pygame
import pygame_gui
from pygame_gui.elements import UILabel, UISelectionList

from simulator.ui.counsel_topics import CounselOption, expected_by, is_given, sentence
from simulator.ui.screens.modal import BUTTON_ROW_H as ROW_H, ModalDialog, move_single_selection

GIVEN_ID = "#counsel_given"
PLAIN_ID = "#item_list_item"
EXPECTED_MARK = "\u2022 "  # Noto Sans has the bullet (it lacks check marks)
GIVEN_SUFFIX = "  (given)"


def display_text(option: CounselOption, expected: bool, given: bool) -> str:
    """The row's text: the label, an ellipsis when it cuts a sentence short, and the marks."""
    cut = any(sentence(t) != option.label for t in option.texts)
    text = option.label + ("\u2026" if cut else "")
    return (EXPECTED_MARK if expected else "") + text + (GIVEN_SUFFIX if given else "")


class CounselDialog(ModalDialog):
    title = "Counsel the patient"
    size = (660, 470)

    def __init__(self, manager, window_size, case, options: list[CounselOption], practice: bool, given: set[str]):
        super().__init__(manager, window_size)
        self.case = case
        self.options = options
        self.practice = practice
        self.expected = [expected_by(case, o) for o in options]
        r = self.inner
        c = self.container
        n_expected = sum(self.expected)
        hint = (f"Practice hint: this case expects {n_expected} topics, marked \u2022." if practice
                else "What does this patient need to hear? Topics from every case are listed.")
        self.hint = self.add(UILabel(pygame.Rect(r.x, r.y, r.width, 24), hint, manager, container=c,
                                     object_id="#dialog_hint"))
        list_rect = pygame.Rect(r.x, r.y + 28, r.width, r.height - 28 - ROW_H - 10)
        self.list = self.add(UISelectionList(list_rect, [], manager, container=c, object_id="#counsel_list"))
        self.status, self.close_button, self.say_button = self.add_button_row("Close", "Tell the patient", 170,
                                                                              "@primary")
        self.texts: dict[str, int] = {}
        self.refresh(given)

    def refresh(self, given: set[str]) -> None:
        """Rebuild the rows with the current marks (called when a CounselGiven event arrives)."""
        items, self.texts = [], {}
        for i, option in enumerate(self.options):
            done = is_given(option, given)
            text = display_text(option, self.practice and self.expected[i], done)
            self.texts[text] = i
            items.append((text, GIVEN_ID if done else PLAIN_ID))
        bar = self.list.scroll_bar
        start = bar.start_percentage if bar is not None else 0.0
        self.list.set_item_list(items)
        if self.list.scroll_bar is not None and start:  # the row just said stays where it was
            self.list.scroll_bar.set_scroll_from_start_percentage(start)
        n_given = sum(is_given(o, given) for o in self.options)
        self.status.set_text(f"Topics given: {n_given}" if n_given else "No topics given yet")
        self.update()

    def selected(self) -> CounselOption | None:
        text = self.list.get_single_selection()
        return self.options[self.texts[text]] if text in self.texts else None

    def update(self) -> None:
        if self.selected() is None:
            self.say_button.disable()
        else:
            self.say_button.enable()

    def handle(self, event) -> tuple[str, CounselOption | None] | None:
        """("counsel", option), ("close", None) or None for an event this dialog does not act on."""
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            if event.ui_element is self.close_button:
                return "close", None
            if event.ui_element is self.say_button and self.selected() is not None:
                return "counsel", self.selected()
        if event.type == pygame_gui.UI_SELECTION_LIST_DOUBLE_CLICKED_SELECTION and event.ui_element is self.list:
            option = self.options[self.texts[event.text]] if event.text in self.texts else None
            return ("counsel", option) if option is not None else None
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_UP, pygame.K_DOWN):
            move_single_selection(self.list, -1 if event.key == pygame.K_UP else 1)
            self.update()
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER) and self.selected():
            return "counsel", self.selected()
        return None
