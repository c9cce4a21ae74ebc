"""The image controls' readout along the bottom of the ultrasound panel: TGC sliders, probe tilt,
colour Doppler steer and speckle reduction. A knob left at its preset reads dim, a changed one
bright, so a trainee sees at a glance what they have touched.

Every item is always shown: when the panel is too narrow for one line the items wrap onto a
second. Where each item goes is worked out from the widest value it can take (the value font
is monospaced), so the items and the image above them never shift while a knob is turned.
"""

from __future__ import annotations

import pygame

from simulator.core.state import MAX_TILT_DEG, TGC_LIMIT_DB
from simulator.render import palette as pal

PRESET_STEER_DEG = 20.0
ROW_H = 20  # one line of readouts (the 12 px mono value is 19 px tall)
GAP_PX = 14  # between two items on a line
LABEL_GAP_PX = 4  # between an item's label and its value
LABELS = ("TGC", "TILT", "STEER", "SPECKLE RED.")
WIDEST = (f"{-TGC_LIMIT_DB:+.0f}/{-TGC_LIMIT_DB:+.0f}/{-TGC_LIMIT_DB:+.0f} dB", f"{-MAX_TILT_DEG:+.0f}\u00b0",
          f"{-PRESET_STEER_DEG:+.0f}\u00b0", "off")


def scanner_items(settings, tilt_deg: float) -> list[tuple[str, str, bool]]:
    """(label, value, changed from the preset) for each image control."""
    near, mid, far = settings.tgc_db
    return [
        ("TGC", f"{near:+.0f}/{mid:+.0f}/{far:+.0f} dB", any(settings.tgc_db)),
        ("TILT", f"{tilt_deg:+.0f}\u00b0", tilt_deg != 0),
        ("STEER", f"{settings.doppler_steer_deg:+.0f}\u00b0", settings.doppler_steer_deg != PRESET_STEER_DEG),
        ("SPECKLE RED.", "on" if settings.speckle_reduction else "off", not settings.speckle_reduction),
    ]


def _label(fonts, text: str) -> pygame.Surface:
    return fonts.text(text, 12, pal.TEXT_FAINT, "bold")


def _value(fonts, text: str, changed: bool) -> pygame.Surface:
    return fonts.text(text, 12, pal.ACCENT if changed else pal.TEXT_DIM, "mono")


def item_slots(fonts, width_px: int) -> list[tuple[int, int]]:
    """(x offset, line) of each item in a strip `width_px` wide: left to right, wrapping onto a new
    line when the widest value of the next item would not fit."""
    slots, x, line = [], 0, 0
    for label, widest in zip(LABELS, WIDEST):
        width = _label(fonts, label).get_width() + LABEL_GAP_PX + _value(fonts, widest, False).get_width()
        if x > 0 and x + width > width_px:
            x, line = 0, line + 1
        slots.append((x, line))
        x += width + GAP_PX
    return slots


def scanner_lines(fonts, width_px: int) -> int:
    """How many lines the readout takes in a strip `width_px` wide."""
    return item_slots(fonts, width_px)[-1][1] + 1


def draw_scanner_rows(surface: pygame.Surface, strip: pygame.Rect, fonts, settings, tilt_deg: float) -> list[pygame.Rect]:
    """Draw every item into `strip` (its height: scanner_lines * ROW_H); returns each item's rectangle."""
    drawn = []
    for (label, value, changed), (dx, line) in zip(scanner_items(settings, tilt_deg), item_slots(fonts, strip.width)):
        x, y = strip.x + dx, strip.y + line * ROW_H
        t, v = _label(fonts, label), _value(fonts, value, changed)
        surface.blit(t, (x, y + 2))
        surface.blit(v, (x + t.get_width() + LABEL_GAP_PX, y))
        drawn.append(pygame.Rect(x, y, t.get_width() + LABEL_GAP_PX + v.get_width(), max(t.get_height() + 2, v.get_height())))
    return drawn
