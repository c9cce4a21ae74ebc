"""The ultrasound view: the engine's B-mode frame (plus colour Doppler) with its scale and markers.

Arrays become Surfaces here and nowhere else: the uint8 image goes into a preallocated
8-bit grey-palette Surface with one `blit_array`, then is scaled into a preallocated
display Surface; Doppler is composited only when it is on.
"""

from __future__ import annotations

import numpy as np
import pygame

from simulator.core.ultrasound.doppler import VELOCITY_SCALE_CM_S, colour_scale
from simulator.render import palette as pal
from simulator.render.transform import ImageView

GREY_PALETTE = [(i, i, i) for i in range(256)]


class UltrasoundView:
    """Draws frames into `box`; reuses its Surfaces while the frame and box sizes stay the same."""

    def __init__(self, fonts, box: pygame.Rect, bottom_px: int = 46, top_px: int = 40):
        """`bottom_px`: the room left under the image for the status lines (the panel decides how many);
        `top_px`: the room above it (the readouts, and in the guided case its instruction card)."""
        self.fonts = fonts
        self.box = box
        self.bottom_px = bottom_px
        self.top_px = top_px
        self._grey: pygame.Surface | None = None
        self._rgb: pygame.Surface | None = None
        self._scaled: dict[int, pygame.Surface] = {}  # by bit depth of the source
        self.image_view: ImageView | None = None
        self.unit_rect = pygame.Rect(0, 0, 0, 0)  # the depth scale's "cm", once drawn

    def image_box(self) -> pygame.Rect:
        """Room for the image: the scale sits on the right, readouts on top, the status lines below
        (the image controls, scanner_readout.py, and the needle)."""
        return pygame.Rect(self.box.x + 10, self.box.y + self.top_px, self.box.width - 10 - 56,
                           self.box.height - self.top_px - self.bottom_px)

    def _scaled_for(self, source: pygame.Surface, size: tuple[int, int]) -> pygame.Surface:
        """A preallocated display-size Surface in the source's format (scale needs matching formats)."""
        bits = source.get_bitsize()
        scaled = self._scaled.get(bits)
        if scaled is None or scaled.get_size() != size:
            scaled = pygame.Surface(size, 0, source)
            if bits == 8:
                scaled.set_palette(GREY_PALETTE)
            self._scaled[bits] = scaled
        return scaled

    def _source(self, frame) -> pygame.Surface:
        image = frame.image
        h, w = image.shape
        doppler = getattr(frame, "doppler", None)
        mask = getattr(frame, "doppler_mask", None)
        if doppler is not None and mask is not None and mask.any():
            if self._rgb is None or self._rgb.get_size() != (w, h):
                self._rgb = pygame.Surface((w, h), depth=24)
            rgb = np.repeat(image[:, :, None], 3, axis=2)
            rgb[mask] = doppler[mask]
            pygame.surfarray.blit_array(self._rgb, rgb.transpose(1, 0, 2))
            return self._rgb
        if self._grey is None or self._grey.get_size() != (w, h):
            self._grey = pygame.Surface((w, h), depth=8)
            self._grey.set_palette(GREY_PALETTE)
        pygame.surfarray.blit_array(self._grey, image.T)
        return self._grey

    def draw(self, surface: pygame.Surface, frame, steer_deg: float | None = None) -> ImageView:
        """Draw the frame, its depth scale and focus marker; returns where the image went. `steer_deg`: the
        colour box's steer, shown in the Doppler legend (the scanner line may have no room for it)."""
        geometry = frame.geometry
        view = ImageView.fit(self.image_box(), geometry.width_mm, geometry.depth_mm)
        rect = view.rect
        source = self._source(frame)
        scaled = self._scaled_for(source, rect.size)
        pygame.transform.scale(source, rect.size, scaled)
        surface.blit(scaled, rect.topleft)
        pygame.draw.rect(surface, pal.PANEL_BORDER, rect.inflate(2, 2), 1)
        self._draw_scale(surface, view, geometry)
        if getattr(frame, "doppler_box", None) is not None:
            self._draw_doppler_box(surface, rect, frame.doppler_box, frame.image.shape,
                                   getattr(frame, "doppler_corners", None), steer_deg)
        # Orientation marker: the probe's marked (+heading) end is on the right of the image.
        pygame.draw.circle(surface, pal.ACCENT, (rect.right - 8, rect.y + 8), 4)
        self.image_view = view
        return view

    def _draw_doppler_box(self, surface, rect: pygame.Rect, box, shape, corners=None,
                          steer_deg: float | None = None) -> None:
        """The colour box on the image (a parallelogram leaning with the steer) and, at the image's top left
        as a scanner shows it, the velocity legend: the colour bar with its +/- scale and direction words
        (red toward the probe, blue away), the unit and the steer."""
        row0, col0, row1, col1 = box
        height, width = shape
        sx, sy = rect.width / width, rect.height / height
        if corners is None:
            corners = ((row0, col0), (row0, col1), (row1, col1), (row1, col0))
        points = [(rect.x + round(c * sx), rect.y + round(r * sy)) for r, c in corners]
        with_clip = surface.get_clip()
        surface.set_clip(rect)  # a steered box may lean past the image's edge
        pygame.draw.polygon(surface, pal.TEXT, points, 1)
        bar = pygame.Rect(rect.x + 6, rect.y + 18, 8, 64)
        ends = [(self.fonts.text(f"+{VELOCITY_SCALE_CM_S:g} toward", 12, pal.TEXT, "mono"), bar.y),
                (self.fonts.text(f"-{VELOCITY_SCALE_CM_S:g} away", 12, pal.TEXT, "mono"), bar.bottom)]
        lines = [self.fonts.text("cm/s", 12, pal.TEXT_DIM, "mono")]
        if steer_deg is not None:
            lines.append(self.fonts.text(f"steer {steer_deg:+.0f}\u00b0", 12, pal.TEXT_DIM, "mono"))
        line_h = lines[0].get_height()
        width_px = max([bar.width + 4 + t.get_width() for t, _ in ends] + [t.get_width() for t in lines])
        backing = pygame.Rect(rect.x + 1, rect.y + 1, width_px + 14, bar.height + 14 + 6 + len(lines) * line_h)
        pygame.draw.rect(surface, (0, 0, 0), backing)  # keeps the labels legible over the image
        for i, colour in enumerate(colour_scale(bar.height)):
            pygame.draw.line(surface, tuple(int(v) for v in colour), (bar.x, bar.y + i), (bar.right - 1, bar.y + i))
        pygame.draw.rect(surface, pal.TEXT_FAINT, bar.inflate(2, 2), 1)
        for label, y in ends:
            surface.blit(label, (bar.right + 4, max(rect.y + 2, y - label.get_height() // 2)))
        for i, label in enumerate(lines):
            surface.blit(label, (bar.x, bar.bottom + 6 + i * line_h))
        surface.set_clip(with_clip)
        self.doppler_legend_rect = backing

    def _draw_scale(self, surface, view: ImageView, geometry) -> None:
        rect = view.rect
        x = rect.right + 6
        pygame.draw.line(surface, pal.TEXT_FAINT, (x, rect.y), (x, rect.bottom), 1)
        ticks = list(getattr(geometry, "depth_ticks_cm", ()) or ())
        if not ticks:
            ticks = [float(c) for c in range(0, int(geometry.depth_mm // 10) + 1)]
        unit = self.fonts.text("cm", 12, pal.TEXT_FAINT, "mono")
        for i, cm in enumerate(ticks):
            y = view.to_px(0.0, cm * 10.0)[1]
            pygame.draw.line(surface, pal.TEXT_DIM, (x, y), (x + 8, y), 2)
            label = self.fonts.text(f"{cm:g}", 12, pal.TEXT_DIM, "mono")
            where = surface.blit(label, (x + 12, y - label.get_height() // 2))
            if i == 0:  # the unit beside the first tick: the lines under the image keep the full width
                self.unit_rect = surface.blit(unit, (where.right + 3, where.y))
        # Minor ticks every 5 mm.
        depth_mm = 5.0
        while depth_mm < geometry.depth_mm:
            y = view.to_px(0.0, depth_mm)[1]
            pygame.draw.line(surface, pal.TEXT_FAINT, (x, y), (x + 4, y), 1)
            depth_mm += 10.0
        focus_mm = getattr(geometry, "focus_mm", None)
        if focus_mm is not None:
            y = view.to_px(0.0, focus_mm)[1]
            pygame.draw.polygon(surface, pal.WARN, [(x - 1, y), (x - 9, y - 6), (x - 9, y + 6)])


def plane_point(probe, x_mm: float, y_mm: float, depth_mm: float) -> tuple[float, float, float]:
    """World point -> (lateral_mm, elevation_mm, depth_mm) in the probe's image plane."""
    lateral, elevation, depth = probe.to_plane(x_mm, y_mm, depth_mm)
    return float(lateral), float(elevation), float(depth)


def draw_tip_tracker(surface: pygame.Surface, view: ImageView, probe, needle, visible: bool, fonts) -> None:
    """Practice hint: a circle where the tip projects onto the image, green when it is in the beam."""
    x, y, d = needle.tip
    lateral, _, depth = plane_point(probe, x, y, d)
    if abs(lateral) > view.view.width_mm / 2 or not 0 <= depth <= view.view.height_mm:
        return
    centre = view.to_px(lateral, depth)
    colour = pal.OK if visible else pal.WARN
    pygame.draw.circle(surface, colour, centre, 14, 2)
    if not visible:
        label = fonts.text("tip out of plane", 12, pal.WARN)
        surface.blit(label, (centre[0] + 18, centre[1] - 8))


def draw_readouts(surface: pygame.Surface, box: pygame.Rect, fonts, settings, probe, probe_on_skin: bool,
                  freq_range: tuple[float, float]) -> list[pygame.Rect]:
    """The scanner's settings along the top of the ultrasound panel; returns where each one went."""
    cm, db, mhz = " cm", " dB", " MHz"
    for short in (False, True):  # a narrow panel: shorter labels and units, every readout still shown
        items = [
            ("DEPTH", f"{settings.depth_cm:.1f}{cm}"),
            ("GAIN", f"{settings.gain_db:+.0f}{db}"),
            ("FREQ", f"{settings.freq_mhz:.0f}{mhz}"),
            ("FOCUS", f"{settings.focus_cm:.2f}{cm}"),
            ("DOPP." if short else "DOPPLER", "ON" if settings.doppler else "off"),
            ("PRESS." if short else "PRESSURE", f"{probe.pressure:.1f}"),
            ("HDG" if short else "HEADING", f"{probe.heading_deg:.0f}\u00b0"),
        ]
        rendered = []
        for label, value in items:
            t = fonts.text(label, 12, pal.TEXT_FAINT, "bold")
            v = fonts.text(value, 13, pal.ACCENT if label[:4] != "DOPP" or settings.doppler else pal.TEXT_DIM, "mono")
            rendered.append((t, v, max(t.get_width(), v.get_width())))
        spare = box.width - 24 - sum(w for _, _, w in rendered)
        if spare >= 8 * (len(rendered) - 1):
            break
        cm, db, mhz = "cm", "dB", "MHz"
    # Spread the readouts over the panel's width (the centre column narrows on small windows).
    gap = max(8, spare / max(1, len(rendered) - 1))
    x, drawn = box.x + 12.0, []
    for t, v, w in rendered:
        if x + w > box.right - 6:  # narrower than any supported window: left out rather than cut
            break
        surface.blit(t, (round(x), box.y + 4))
        surface.blit(v, (round(x), box.y + 15))
        drawn.append(pygame.Rect(round(x), box.y + 4, w, 11 + v.get_height()))
        x += w + gap
    if not probe_on_skin:
        warn = fonts.text("PROBE OFF THE SKIN", 13, pal.WARN, "bold")
        surface.blit(warn, (box.right - warn.get_width() - 12, box.bottom - 24))
    return drawn
