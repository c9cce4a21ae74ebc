"""The author's preview window: palpation view, ultrasound and labelled cross-section side by side.

An author edits a case in a text editor and looks here: the body region with its trigger
points and the probe, the B-mode image a trainee would see under that probe, and the same
plane drawn flat and named (render.cross_section), at the same width and depth as the image,
so a structure that looks wrong on the ultrasound can be found in the case at a glance.
When the file does not load, the problems replace the pictures, one per line, as `validate`
prints them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from simulator.core.geometry import ProbePose
from simulator.render import palette as pal
from simulator.render.cross_section import LEGEND_PX, MARGIN_LEFT_PX, MARGIN_TOP_PX, draw_cross_section, legend_below_px
from simulator.render.palpation import PalpationRenderer
from simulator.render.text import panel, wrap
from simulator.render.ultrasound import UltrasoundView

HEADER_PX, FOOTER_PX, GAP_PX = 34, 24, 8
KEYS_HELP = ("click or drag on the body: move the probe   arrows: 1 mm (Shift 5 mm)   "
             "Q/E or wheel: turn 5 deg (Shift 1 deg)   R: case's probe pose   Esc: close")
ERROR_COLOUR = (255, 150, 140)


@dataclass(frozen=True)
class PreviewLayout:
    """Where each part of the preview goes for one window size."""

    header: pygame.Rect
    palpation: pygame.Rect
    ultrasound: pygame.Rect
    section: pygame.Rect
    footer: pygame.Rect

    @classmethod
    def for_size(cls, size: tuple[int, int]) -> "PreviewLayout":
        width, height = size
        body_h = height - HEADER_PX - FOOTER_PX - 2 * GAP_PX
        inner_w = width - 4 * GAP_PX
        palpation_w = int(inner_w * 0.28)
        ultrasound_w = int(inner_w * 0.32)
        section_w = inner_w - palpation_w - ultrasound_w
        top = HEADER_PX + GAP_PX
        palpation = pygame.Rect(GAP_PX, top, palpation_w, body_h)
        ultrasound = pygame.Rect(palpation.right + GAP_PX, top, ultrasound_w, body_h)
        section = pygame.Rect(ultrasound.right + GAP_PX, top, section_w, body_h)
        return cls(pygame.Rect(0, 0, width, HEADER_PX), palpation, ultrasound, section,
                   pygame.Rect(0, height - FOOTER_PX, width, FOOTER_PX))

    @property
    def body(self) -> pygame.Rect:
        """The area the three panels share (the problem list fills it when the case does not load)."""
        return self.palpation.union(self.section)


class PreviewPanels:
    """Draws one loaded case under one probe pose; rebuild (new instance) when the case or size changes."""

    def __init__(self, loaded, fonts: pal.Fonts, layout: PreviewLayout):
        self.loaded = loaded
        self.fonts = fonts
        self.layout = layout
        self._palpation_box = pygame.Rect(0, 0, 0, 0)
        self.palpation: PalpationRenderer | None = None
        self.ultrasound: UltrasoundView | None = None
        self._section_key = None
        self._section: pygame.Surface | None = None

    def _palpation_content(self, surface: pygame.Surface) -> pygame.Rect:
        content = panel(surface, self.layout.palpation, self.fonts, "palpation view (muscles outlined)")
        if self.palpation is None or content != self._palpation_box:
            self._palpation_box = content
            self.palpation = PalpationRenderer(self.loaded.case, self.fonts, content, show_muscles=True,
                                               keep_clear=self._id_spots)
        return content

    def draw(self, surface: pygame.Surface, pose: ProbePose, frame) -> None:
        """All three panels for this pose; `frame` is the engine's ultrasound frame under it."""
        self._palpation_content(surface)
        self.palpation.draw(surface, probe=pose)
        self._draw_trigger_points(surface)

        content = panel(surface, self.layout.ultrasound, self.fonts, "ultrasound under the probe")
        if self.ultrasound is None or self.ultrasound.box != content:
            self.ultrasound = UltrasoundView(self.fonts, content)
        self.ultrasound.draw(surface, frame)

        content = panel(surface, self.layout.section, self.fonts, "cross-section: what the case says is there")
        surface.blit(self._section_for(pose, frame.geometry, content), content.topleft)

    def _id_spots(self, palpation: PalpationRenderer) -> list[pygame.Rect]:
        """Each trigger point's ring and the room for its id to its right: the landmark names leave them free."""
        spots = []
        for tp in self.loaded.case.trigger_points:
            x, y = palpation.view.to_px(tp.x_mm, tp.y_mm)
            width = self.fonts.bold(12).size(tp.id)[0]
            spots.append(pygame.Rect(x - 8, y - 9, 8 + 9 + width + 4, 18))
        return spots

    def _draw_trigger_points(self, surface: pygame.Surface) -> None:
        """Each trigger point as a small ring with its id: where the case puts them, for the author only."""
        view = self.palpation.view
        clip = surface.get_clip()
        surface.set_clip(self.palpation.clip)
        spots = [(tp.id, *view.to_px(tp.x_mm, tp.y_mm)) for tp in self.loaded.case.trigger_points]
        for _, x, y in spots:
            pygame.draw.circle(surface, pal.BG, (x, y), 7, 2)  # a dark rim: visible on skin, labels and probe
            pygame.draw.circle(surface, pal.WARN, (x, y), 5, 2)
        taken = [pygame.Rect(x - 8, y - 8, 16, 16) for _, x, y in spots]
        for text, r in self.palpation.place_point_labels(spots, taken, clearance_px=9):  # clear of the landmark names
            pygame.draw.rect(surface, pal.BG, r.inflate(6, 0), border_radius=4)
            surface.blit(self.fonts.text(text, 12, pal.WARN, "bold"), r)
        surface.set_clip(clip)

    def _section_for(self, pose: ProbePose, geometry, content: pygame.Rect) -> pygame.Surface:
        """The labelled plane at the image's width and depth, scaled to fit; redrawn only when the pose moves."""
        key = (pose, geometry.width_mm, geometry.depth_mm, content.size)
        if key != self._section_key or self._section is None:
            beside = min(max(40, content.width - MARGIN_LEFT_PX - LEGEND_PX) / geometry.width_mm,
                         max(40, content.height - MARGIN_TOP_PX - 12) / geometry.depth_mm)  # px per mm
            below = min(max(40, content.width - MARGIN_LEFT_PX - 8) / geometry.width_mm,
                        max(40, content.height - MARGIN_TOP_PX - legend_below_px()) / geometry.depth_mm)
            # a narrow panel: the legend goes under the image, which then grows
            section = draw_cross_section(self.loaded.model, pose, geometry.width_mm, geometry.depth_mm,
                                         max(beside, below), self.fonts, title=False, legend_below=below > beside)
            self._section_key, self._section = key, section
        return self._section


def draw_header(surface: pygame.Surface, layout: PreviewLayout, fonts: pal.Fonts, title: str, status: str,
                status_ok: bool) -> None:
    """File and case on the left; whether the last save loaded, and the probe, on the right."""
    pygame.draw.rect(surface, pal.PANEL_RAISED, layout.header)
    surface.blit(fonts.text(title, 15, pal.TEXT, "bold"), (GAP_PX + 2, 8))
    label = fonts.text(status, 13, pal.OK if status_ok else pal.DANGER, "bold")
    surface.blit(label, (layout.header.right - label.get_width() - 10, 10))


def draw_footer(surface: pygame.Surface, layout: PreviewLayout, fonts: pal.Fonts) -> None:
    surface.blit(fonts.text(KEYS_HELP, 12, pal.TEXT_DIM), (GAP_PX + 2, layout.footer.y + 4))


def draw_problems(surface: pygame.Surface, layout: PreviewLayout, fonts: pal.Fonts, problems: list[str]) -> None:
    """The case's problems in place of the pictures, and how the window gets back to them."""
    content = panel(surface, layout.body, fonts, "the case does not load")
    font = fonts.mono(14)
    y = content.y + 6
    intro = (f"{len(problems)} problem{'s' if len(problems) != 1 else ''}. Fix the file and save it: "
             "the preview reloads by itself.")
    surface.blit(fonts.text(intro, 15, pal.TEXT, "bold"), (content.x, y))
    y += 30
    line_h = font.get_linesize() + 2
    for problem in problems:
        for k, line in enumerate(wrap(font, problem, content.width - 24)):
            if y + line_h > content.bottom:
                surface.blit(fonts.text("...", 14, pal.TEXT_DIM, "mono"), (content.x, y - line_h))
                return
            surface.blit(font.render(line, True, ERROR_COLOUR), (content.x + (0 if k == 0 else 24), y))
            y += line_h
        y += 4
