"""What the event feed holds: one line per thing that happened, scrolled back by the wheel.

Why its own class: a held press sends a Palpate every few hundredths of a second as it
firms up, and each answer carries the patient's words; listing every answer repeated the
same press three or four times. Here a press keeps one line of speech (the latest: what the
patient says at the firmest pressure) until the finger lifts. The scroll position and a
version number (for the view's cache) live here too.
"""

from __future__ import annotations

from simulator.core import events as E


class FeedLog:
    def __init__(self):
        self.lines: list[tuple[float, str, str]] = []  # (t_s, text, tone), oldest first
        self.scroll_back = 0  # newest entries left out of view (0: the latest are shown)
        self.version = 0  # changes whenever what the feed shows changes
        self._press_speech: int | None = None  # index of the current press's speech line

    def add(self, t_s: float, text: str, tone: str) -> None:
        self.lines.append((t_s, text, tone))
        if self.scroll_back:
            self.scroll_back += 1  # a trainee reading back keeps their place
        self.version += 1

    def on_event(self, event, line: tuple[str, str] | None) -> None:
        """Record `line` (the event's description, if any) and the patient's words."""
        if line is not None:
            self.add(event.t_s, *line)
        if isinstance(event, E.PalpationReleased):
            self._press_speech = None
        if not event.speech:
            return
        if isinstance(event, E.PalpationFelt) and self._press_speech is not None:
            if self.lines[self._press_speech][1] != event.speech:
                self.lines[self._press_speech] = (event.t_s, event.speech, "speech")
                self.version += 1
            return
        if self.lines and self.lines[-1][1] == event.speech:
            return
        self.add(event.t_s, event.speech, "speech")
        if isinstance(event, E.PalpationFelt):
            self._press_speech = len(self.lines) - 1

    def clear(self) -> None:
        """Empty the feed (the replay viewer seeking back replays from the start)."""
        self.lines.clear()
        self.scroll_back, self._press_speech = 0, None
        self.version += 1

    def scroll(self, notches: int) -> None:
        """Wheel up (positive) reads back; down comes forward to the latest."""
        self.scroll_back = max(0, min(self.scroll_back + notches, len(self.lines) - 1))
        self.version += 1
