"""The procedure screen's modal dialogs (consent, counsel, decline, emergency, aftercare, finish): opening, routing
input, closing.

While a dialog is open it takes every key and click, and the procedure's widgets are
disabled (drawn dim and inert), so nothing behind it acts. A dialog turns into actions only
through `screen.submit`, the same path as every button and key.
"""

from __future__ import annotations

import pygame
import pygame_gui

from simulator.core import actions as A
from simulator.core import events as E
from simulator.scenario.emergency import load_emergency_drugs
from simulator.ui.care_items import aftercare_items, emergency_items
from simulator.ui.counsel_topics import given_keys, library_options, shuffled_for
from simulator.ui.screens.care_dialog import CareDialog
from simulator.ui.screens.consent_dialog import ConsentDialog
from simulator.ui.screens.counsel_dialog import CounselDialog
from simulator.ui.screens.decline_dialog import DeclineDialog, decline_options
from simulator.ui.screens.finish_dialog import FinishDialog

DIALOG_COMMANDS = ("consent", "counsel", "decline", "emergency", "aftercare", "finish")
_INPUT = (pygame.KEYDOWN, pygame.KEYUP, pygame.TEXTINPUT, pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP,
          pygame.MOUSEMOTION, pygame.MOUSEWHEEL)


def discussed_topics(events) -> set[str]:
    """Consent topics already discussed in this session (consents add up)."""
    return {t for e in events if isinstance(e, E.ConsentObtained) for t in e.topics}


class DialogHost:
    def __init__(self, screen):
        self.screen = screen
        self._options = None  # the counselling topics of the whole library, gathered when first asked for
        self.kind: str | None = None
        self.dialog = None
        self.finish_on_decline = False  # set when this screen's dialog sent the Decline (not a replay)

    @property
    def options(self):
        """The counsel dialog's options: every topic of the library (`play CASE` loads the rest of the
        library after the case opened, so they are gathered on first use, not when the screen is built)."""
        if self._options is None:
            self._options = shuffled_for(self.screen.case.id, library_options(self.screen.app.complete_library()))
        return self._options

    @property
    def is_open(self) -> bool:
        return self.dialog is not None

    def open(self, kind: str) -> None:
        """Open the named dialog (closing any other)."""
        if kind not in DIALOG_COMMANDS:
            raise ValueError(f"unknown dialog {kind!r}; expected one of {DIALOG_COMMANDS}")
        self.close()
        s = self.screen
        if s.pressing:  # a finger held on the drawing is lifted before the dialog takes the mouse
            s.submit([A.Release()])
        if kind == "consent":
            self.dialog = ConsentDialog(s.app.manager, s.app.size, s.case, s.practice,
                                        discussed_topics(s.session.events))
        elif kind == "counsel":
            self.dialog = CounselDialog(s.app.manager, s.app.size, s.case, self.options, s.practice,
                                        given_keys(s.session.events))
        elif kind == "decline":
            self.dialog = DeclineDialog(s.app.manager, s.app.size, needle_in=s.state.needle is not None,
                                        reasons=decline_options(s.case, s.app.complete_library()))
        elif kind == "emergency":
            items = emergency_items(s.case.patient.weight_kg, load_emergency_drugs())
            self.dialog = CareDialog(s.app.manager, s.app.size, "Emergency care",
                                     f"Care for {s.case.patient.name} ({s.case.patient.weight_kg:g} kg): "
                                     "click or press the key; the panel stays open.", items)
        elif kind == "finish":
            self.dialog = FinishDialog(s.app.manager, s.app.size, assessment=not s.practice,
                                       needle_in=s.state.needle is not None, exam=s.mode == "exam")
        else:
            self.dialog = CareDialog(s.app.manager, s.app.size, "Aftercare and follow-up",
                                     "The end of the visit: click or press the key for each item you give.",
                                     aftercare_items(), columns=2)
        self.kind = kind
        self._set_widgets_enabled(False)

    def close(self) -> None:
        if self.dialog is not None:
            self.dialog.kill()
        self.dialog, self.kind = None, None
        self._set_widgets_enabled(True)

    def rebuild(self) -> None:
        """After a resize: the same dialog again, sized and centred for the new window, with what the
        trainee had ticked, chosen or typed."""
        if self.kind is not None:
            kept = self.dialog.keep()
            self.open(self.kind)
            self.dialog.restore(kept)

    def _set_widgets_enabled(self, enabled: bool) -> None:
        for widget in getattr(self.screen, "widgets_list", []):
            if enabled:
                widget.enable()
            else:
                widget.disable()

    # ------------------------------------------------------------------ frame
    def handle_event(self, event) -> bool:
        """True when the dialog used or blocked the event (always, for input, while open)."""
        if self.dialog is None:
            return False
        if event.type == pygame_gui.UI_WINDOW_CLOSE and event.ui_element is self.dialog.window:
            self.close()  # the title bar's close button
            return True
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.close()
            return True
        outcome = self.dialog.handle(event)
        if outcome is not None:
            what, value = outcome
            if what == "consent":
                self.screen.submit([A.Consent(topics=value)])
                self.close()
            elif what == "counsel":
                self.screen.submit([A.Counsel(topic=value.label)])
            elif what == "care":
                self.screen.submit(list(value.actions))
                self.dialog.show(f"Done: {value.label}")
            elif what == "finish":
                self.close()
                self.screen.submit([A.Finish()])
            elif what == "decline":
                self.screen.submit([A.Decline(reason=value)])
                self.finish_on_decline = True
                self.close()
            else:
                self.close()
            return True
        return event.type in _INPUT or event.type == pygame_gui.UI_BUTTON_PRESSED

    def update(self) -> None:
        if self.dialog is not None:
            if not self.dialog.alive:  # killed from outside (e.g. the window closed itself)
                self.close()
            else:
                self.dialog.update()

    def on_event(self, event) -> None:
        """A Session event: the counsel list marks what has been said."""
        if isinstance(event, E.CounselGiven) and isinstance(self.dialog, CounselDialog):
            self.dialog.refresh(given_keys(self.screen.session.events))
        if isinstance(self.dialog, CareDialog):  # the speech bubble is hidden behind a dialog: say it here
            if event.speech:
                self.dialog.show(f"Patient: {event.speech}")
            elif isinstance(event, E.ActionRejected):
                self.dialog.show(f"Not possible: {event.reason}")
