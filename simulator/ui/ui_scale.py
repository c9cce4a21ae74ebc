"""UI scale: the screens are laid out for a smaller logical window and drawn enlarged.

Why this way: every screen is tested uncut from 1024x640 up, so scaling the whole picture
(text, widgets and spacing together) keeps that promise at any scale: a 1920x1080 window at
1.5 is laid out as 1280x720 and shown half as large again. The scale never makes the
logical window smaller than the supported minimum; `AUTO` follows the window, so the text
grows with a larger window (1280x800 and smaller stay at 1.0).
"""

from __future__ import annotations

import pygame

from simulator.render.window_limits import MIN_SIZE

AUTO = 0.0  # the setting that means "follow the window"
AUTO_BASE = (1280, 800)  # the window size whose text is drawn at 1.0 under AUTO
MOUSE_EVENTS = (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION)


def effective_scale(setting: float, window_size: tuple[int, int]) -> float:
    """The scale used for this window: the setting (AUTO: the window over 1280x800), but never so
    large that the logical window falls below the minimum, and never below 1."""
    wanted = min(window_size[0] / AUTO_BASE[0], window_size[1] / AUTO_BASE[1]) if setting == AUTO else setting
    room = min(window_size[0] / MIN_SIZE[0], window_size[1] / MIN_SIZE[1])
    return max(1.0, min(wanted, room))


def logical_size(window_size: tuple[int, int], scale: float) -> tuple[int, int]:
    """The size the screens are laid out for (at least the minimum)."""
    return (max(MIN_SIZE[0], round(window_size[0] / scale)), max(MIN_SIZE[1], round(window_size[1] / scale)))


def to_logical(event: pygame.event.Event, scale: float) -> pygame.event.Event:
    """A mouse event with its position (and motion) in logical pixels; any other event as it is.
    A wheel event (which carries no position) gets the pointer's, so screens need not ask pygame."""
    if scale == 1.0 or event.type not in (*MOUSE_EVENTS, pygame.MOUSEWHEEL):
        return event
    data = dict(event.dict)
    pos = data.get("pos") or pygame.mouse.get_pos()
    data["pos"] = (int(pos[0] / scale), int(pos[1] / scale))
    if "rel" in data:
        data["rel"] = (event.rel[0] / scale, event.rel[1] / scale)
    return pygame.event.Event(event.type, data)
