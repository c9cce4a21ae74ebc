"""Key repeat made by the app, from the keys it knows are held, on the frame clock.

Why: the window's own key repeat (pygame.key.set_repeat; pygame_gui's text field switches it on
when focused, the app's TextField does not) runs on a timer thread. While the main thread was
stalled between a key's press and its release (the procedure screen preparing its first
ultrasound image, a kernel compiling), that timer kept queueing KEYDOWNs, so one Tab press
moved the focus two or three times and one press of an action key acted several times. Here a
repeat is made only at a frame the app actually runs, only for a key still held then, and only
for keys where holding means "more of the same": the arrows and Page Up / Down, the probe,
scanner and needle adjustments on the procedure screen, and Backspace / Delete / Left / Right
in a text field. One-shot keys (Enter, Tab, End, the F-keys, Insert N, Space...) never repeat.

A stalled frame counts for at most MAX_FRAME_S of holding, so a stall never turns into
repeats: the key must be seen held over several frames the app ran.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from simulator.ui.keys import BINDINGS

DELAY_S = 0.3  # held this long before the first repeat (the app's key repeat as it was)
INTERVAL_S = 0.05  # then one repeat every interval, at most one per frame
MAX_FRAME_S = 0.1  # the most holding time one frame can add (a stall is not holding time)

# Commands where holding the key means a little more each time (probe, scanner, needle).
ADJUSTMENT_COMMANDS = frozenset({
    "probe_left", "probe_right", "probe_up", "probe_down",
    "probe_left_5", "probe_right_5", "probe_up_5", "probe_down_5",
    "probe_ccw", "probe_cw", "probe_softer", "probe_firmer",
    "depth_less", "depth_more", "gain_less", "gain_more", "freq_less", "freq_more",
    "focus_up", "focus_down", "tgc_near_less", "tgc_near_more", "tgc_mid_less", "tgc_mid_more",
    "tgc_far_less", "tgc_far_more", "tilt_heel", "tilt_toe",
    "advance", "withdraw", "advance_5", "withdraw_5", "angle_less", "angle_more",
    "heading_less", "heading_more",
})
ADJUSTMENT_KEYS = frozenset(b.key for b in BINDINGS if b.command in ADJUSTMENT_COMMANDS)
NAVIGATION_KEYS = frozenset({pygame.K_LEFT, pygame.K_RIGHT, pygame.K_UP, pygame.K_DOWN,
                             pygame.K_PAGEUP, pygame.K_PAGEDOWN})
TEXT_EDIT_KEYS = frozenset({pygame.K_BACKSPACE, pygame.K_DELETE, pygame.K_LEFT, pygame.K_RIGHT})


def repeats(key: int, typing: bool, adjusting: bool) -> bool:
    """Whether holding `key` repeats it: in a text field only the editing keys; elsewhere the
    navigation keys, and the adjustment keys where the screen takes them (`adjusting`)."""
    if typing:
        return key in TEXT_EDIT_KEYS
    return key in NAVIGATION_KEYS or (adjusting and key in ADJUSTMENT_KEYS)


@dataclass
class Held:
    """A key pressed and not yet released: the press event to repeat and its holding time."""

    event: pygame.event.Event
    held_s: float = 0.0
    next_s: float = DELAY_S
    counted: bool = False  # False until the frame the press arrived in is over (its dt came before it)


class KeyRepeat:
    """The held keys (from the KEYDOWN / KEYUP events seen) and the repeats each frame makes."""

    def __init__(self):
        self.held: dict[int, Held] = {}

    def see(self, event) -> None:
        """Track a key event; the repeats this class made are not new presses."""
        if event.type == pygame.KEYDOWN and not getattr(event, "repeat", False):
            self.held.setdefault(event.key, Held(event))
        elif event.type == pygame.KEYUP:
            self.held.pop(event.key, None)
        elif event.type in (pygame.WINDOWFOCUSLOST, pygame.WINDOWHIDDEN):
            self.held.clear()  # the releases may go to another window

    def tick(self, dt_s: float, typing: bool, adjusting: bool) -> list[pygame.event.Event]:
        """The repeat KEYDOWNs due at this frame (after its events were seen), at most one per key."""
        step_s = min(max(dt_s, 0.0), MAX_FRAME_S)
        due = []
        for key, held in self.held.items():
            if not held.counted:
                held.counted = True
                continue
            held.held_s += step_s
            if held.held_s < held.next_s or not repeats(key, typing, adjusting):
                continue
            held.next_s = max(held.next_s + INTERVAL_S, held.held_s)
            press = held.event
            due.append(pygame.event.Event(pygame.KEYDOWN, key=press.key, mod=getattr(press, "mod", 0),
                                          unicode=getattr(press, "unicode", ""),
                                          scancode=getattr(press, "scancode", 0), repeat=True))
        return due


def stop_window_repeat() -> None:
    """Switch the window's timer repeat off, once at the start: the app's text fields leave it
    alone (text_field.py), so nothing switches it on again."""
    if pygame.key.get_repeat() != (0, 0):
        pygame.key.set_repeat()
