"""The procedure screen's ultrasound panel: the scanner's readouts, the image with its practice
overlays (anatomy, needle guide, tip tracker, twitch), and the lines under the image.

Under the image, from the top: the image controls' readout (every item, wrapping onto a second
line in a narrow panel), then the needle line with the anatomy button at its right. The panel
works out once, from its width, how many lines it needs, and gives the image the rest.
"""

from __future__ import annotations

import pygame

from simulator.render import palette as pal
from simulator.render.anatomy_overlay import AnatomyOverlay, draw_planned_path, planned_path_px
from simulator.render.coaching import draw_banner
from simulator.render.hud import draw_gauge
from simulator.render.scanner_readout import ROW_H, draw_scanner_rows, scanner_lines
from simulator.render.ultrasound import UltrasoundView, draw_readouts, draw_tip_tracker

TWITCH_LABEL_S = 1.2
NEEDLE_LINE_PX = 27  # the needle line and the anatomy button, at the panel's foot
PILL_TEXT = "ANATOMY  U"


class UltrasoundPanel:
    """Draws the ultrasound panel of one procedure screen; rebuilt with the screen's layout."""

    def __init__(self, screen, box: pygame.Rect, fonts):
        self.screen, self.box, self.fonts = screen, box, fonts
        self.strip_lines = scanner_lines(fonts, box.width - 24)
        self.ultrasound = UltrasoundView(fonts, box, bottom_px=NEEDLE_LINE_PX + self.strip_lines * ROW_H + 3,
                                         top_px=screen.image_top_px(box.width))
        self.anatomy = AnatomyOverlay(fonts) if screen.practice else None
        self.anatomy_pill: pygame.Rect | None = None  # the overlay's on/off button (practice), once drawn
        self.status_rect = pygame.Rect(0, 0, 0, 0)  # where the needle line was drawn
        self.readout_rects: list[pygame.Rect] = []  # the scanner's settings along the top
        self.scanner_rects: list[pygame.Rect] = []  # each image control's readout under the image
        self.twitch_until = -1.0

    @property
    def scanner_strip(self) -> pygame.Rect:
        """Where the image controls' readout goes: the full width, above the needle line."""
        lines_h = self.strip_lines * ROW_H
        return pygame.Rect(self.box.x + 12, self.box.bottom - NEEDLE_LINE_PX - lines_h, self.box.width - 24, lines_h)

    def pill_rect(self) -> pygame.Rect | None:
        """Where the anatomy button goes (practice only): the needle line's right end."""
        if self.anatomy is None:
            return None
        label = self.fonts.text(PILL_TEXT, 12, pal.ACCENT, "bold")
        pill = pygame.Rect(0, 0, label.get_width() + 18, label.get_height() + 6)
        pill.bottomright = (self.box.right - 12, self.box.bottom - 4)
        return pill

    def draw(self, surface, state) -> None:
        s, rect = self.screen, self.box
        us = s.case.ultrasound
        self.readout_rects = draw_readouts(surface, rect, self.fonts, state.settings, state.probe,
                                           state.probe_on_skin, (us.freq_mhz_min, us.freq_mhz_max))
        self.scanner_rects = draw_scanner_rows(surface, self.scanner_strip, self.fonts, state.settings,
                                               state.probe_tilt_deg)
        if not state.probe_on_skin:
            msg = self.fonts.text("Place the probe (L, or Ctrl+click on the drawing)", 16, pal.TEXT_DIM)
            surface.blit(msg, msg.get_rect(center=rect.center))
            self._draw_banner(surface, self.ultrasound.image_box())
            return
        pending = s.ultrasound_pending()
        if pending is not None:  # the first image is being prepared in the background: the window stays live
            box = pygame.Rect(0, 0, min(360, rect.width - 40), 48)
            box.center = rect.center
            draw_gauge(surface, box, self.fonts, "Preparing the ultrasound image", pending.fraction, pal.ACCENT,
                       f"{round(100 * pending.fraction)}%")
            return
        try:
            frame = s.session.frame()
        except ImportError:  # the ultrasound engine is not installed in this build
            msg = self.fonts.regular(16).render("Ultrasound engine not available", True, pal.WARN)
            surface.blit(msg, msg.get_rect(center=rect.center))
            return
        view = self.ultrasound.draw(surface, frame, state.settings.doppler_steer_deg)
        if self.anatomy is not None and getattr(s, "anatomy_on", False):
            g = frame.geometry
            path = planned_path_px(view, state.probe, s.plan(state), state.needle)
            self.anatomy.draw(surface, view, s.session.anatomy, state.probe, g.width_mm, g.depth_mm, path)
            draw_planned_path(surface, view, path)
        if s.practice and state.needle is not None:
            draw_tip_tracker(surface, view, state.probe, state.needle, state.tip_visible, self.fonts)
        if self.twitch_until > s.wall_s:
            label = self.fonts.text("TWITCH", 15, pal.BG, "bold")
            pill = pygame.Rect(view.rect.x + 10, view.rect.y + 10, label.get_width() + 20, label.get_height() + 4)
            pygame.draw.rect(surface, pal.OK, pill, border_radius=pill.height // 2)
            surface.blit(label, (pill.x + 10, pill.y + 2))
        pill = self._draw_anatomy_pill(surface)
        right = (pill.x if pill is not None else rect.right - 4) - 8
        for status in needle_status(state):  # the longest form that fits beside the anatomy button
            text = self.fonts.text(status, 13, pal.TEXT_DIM)
            if rect.x + 12 + text.get_width() <= right:
                self.status_rect = surface.blit(text, (rect.x + 12, rect.bottom - 22))
                break
        self._draw_banner(surface, view.rect)

    def _draw_anatomy_pill(self, surface) -> pygame.Rect | None:
        """Practice: the anatomy overlay's button, lit while the overlay is on."""
        pill = self.pill_rect()
        if pill is None:
            return None
        on = getattr(self.screen, "anatomy_on", False)
        label = self.fonts.text(PILL_TEXT, 12, pal.BG if on else pal.ACCENT, "bold")
        pygame.draw.rect(surface, pal.ACCENT if on else pal.PANEL_RAISED, pill, border_radius=pill.height // 2)
        pygame.draw.rect(surface, pal.ACCENT, pill, 1, border_radius=pill.height // 2)
        surface.blit(label, (pill.x + 9, pill.y + 3))
        self.anatomy_pill = pill
        return pill

    def _draw_banner(self, surface, area: pygame.Rect) -> None:
        """Practice: the coach's message (or the hint asked for) along the bottom of the image."""
        s = self.screen
        if s.practice and s.warning is not None and s.warning[0] > s.wall_s:
            draw_banner(surface, area, self.fonts, s.warning[1], s.warning[2] if len(s.warning) > 2 else "warn")


def needle_status(state) -> list[str]:
    """The needle line, longest first; the first that fits the panel is shown."""
    n = state.needle
    if n is None:
        return ["Needle out"]
    tissue = (state.tip_tissue or "").replace("_", " ")
    dot = "  \u00b7  "
    head = f"Needle {n.gauge}G, {n.length_mm:.0f} mm in at {n.angle_deg:.0f}\u00b0"
    tip = f"tip {n.tip[2]:.1f} mm deep in {tissue}"
    return [head + dot + tip + dot + f"pass {state.pass_number}", head + dot + tip,
            f"{n.gauge}G  {n.length_mm:.0f} mm  {n.angle_deg:.0f}\u00b0{dot}{tip}", tip]
