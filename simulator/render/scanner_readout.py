"""The image controls' readout along the bottom of the ultrasound panel: TGC sliders, probe tilt,
colour Doppler steer and speckle reduction. A knob left at its preset reads dim, a changed one
bright, so a trainee sees at a glance what they have touched."""

from __future__ import annotations

import pygame

from simulator.render import palette as pal

PRESET_STEER_DEG = 20.0


def scanner_items(settings, tilt_deg: float) -> list[tuple[str, str, bool]]:
    """(label, value, changed from the preset) for each image control."""
    near, mid, far = settings.tgc_db
    return [
        ("TGC", f"{near:+.0f}/{mid:+.0f}/{far:+.0f} dB", any(settings.tgc_db)),
        ("TILT", f"{tilt_deg:+.0f}\u00b0", tilt_deg != 0),
        ("STEER", f"{settings.doppler_steer_deg:+.0f}\u00b0", settings.doppler_steer_deg != PRESET_STEER_DEG),
        ("SPECKLE RED.", "on" if settings.speckle_reduction else "off", not settings.speckle_reduction),
    ]


def draw_scanner_line(surface: pygame.Surface, box: pygame.Rect, fonts, settings, tilt_deg: float,
                      right_px: int | None = None) -> None:
    """One line of small readouts above the panel's needle line, stopping before it runs out of room
    (at `right_px` when something else sits on that line, e.g. the anatomy button)."""
    x, y = box.x + 12, box.bottom - 40
    right_px = box.right - 12 if right_px is None else min(right_px, box.right - 12)
    for label, value, changed in scanner_items(settings, tilt_deg):
        t = fonts.text(label, 12, pal.TEXT_FAINT, "bold")
        v = fonts.text(value, 12, pal.ACCENT if changed else pal.TEXT_DIM, "mono")
        width = t.get_width() + 4 + v.get_width()
        if x + width > right_px:
            break
        surface.blit(t, (x, y + 2))
        surface.blit(v, (x + t.get_width() + 4, y))
        x += width + 14
