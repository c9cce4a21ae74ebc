"""A labelled anatomical cross-section of the plane under a probe, for case authors.

The ultrasound shows what a trainee sees; an author also needs to see what the case says is
there: every tissue in a flat colour, each layer, vessel, nerve, bone and trigger point named,
and a depth ruler, so a structure drawn at the wrong depth is obvious at a glance.
"""

from __future__ import annotations

import numpy as np
import pygame
from scipy import ndimage

from simulator.core.anatomy import AnatomyModel
from simulator.core.geometry import ProbePose
from simulator.render import palette
from simulator.render.section_names import (Name, PlacedName, draw_names, from_section_labels, name_fields,
                                            place_names)
from simulator.scenario.acoustics import TISSUES

TISSUE_LABELS: tuple[str, ...] = tuple(TISSUES)  # label ids index this order (as in the anatomy model)

# Flat colours per tissue: light enough to read black-outlined text on, distinct side by side.
TISSUE_COLOURS: dict[str, tuple[int, int, int]] = {
    "skin": (222, 184, 160), "fat": (238, 214, 132), "fascia": (200, 200, 210), "muscle": (178, 76, 76),
    "tendon": (226, 226, 200), "bone": (245, 240, 228), "pleura": (120, 200, 230), "lung": (70, 90, 130),
    "artery": (230, 40, 40), "vein": (60, 90, 220), "nerve": (250, 230, 60), "trigger_point": (255, 140, 40),
}
FALLBACK = (128, 128, 128)
MARGIN_LEFT_PX, MARGIN_TOP_PX, LEGEND_PX = 56, 34, 190
MIN_LABEL_PX = 14  # a layer thinner than this on the image is named only in the legend
LEGEND_ROW_PX = 18
LEGEND_COLUMN_PX = 130  # a legend under the image: two columns this wide


def legend_below_px() -> int:
    """The height a legend under the image takes (every tissue, two columns, and its heading)."""
    return 8 + LEGEND_ROW_PX * (1 + (len(TISSUE_LABELS) + 1) // 2) + 4


def colour_table() -> np.ndarray:
    return np.array([TISSUE_COLOURS.get(name, FALLBACK) for name in TISSUE_LABELS], dtype=np.uint8)


def _tube_name(model: AnatomyModel, pose: ProbePose, lateral_mm: float, depth_mm: float) -> str:
    """The name of the tube (vessel, nerve, cylinder) or bone plate whose inside holds this plane point."""
    x, y, d = pose.to_world(lateral_mm, depth_mm)
    distances = model.distances(float(x), float(y), float(d))
    plates = {plate.name for plate in model.extras.plates}
    tubes = distances[: len(model.tubes)] + [s for s in distances[len(model.tubes):] if s.name in plates]
    inside = min(tubes, key=lambda s: s.distance_mm, default=None)
    return inside.name if inside is not None and inside.distance_mm <= 0.5 else ""


def section_labels(model: AnatomyModel, pose: ProbePose, section,
                   min_rows: int = MIN_LABEL_PX) -> list[tuple[float, float, float, str]]:
    """Where to name what a plane slice shows, in slice pixels: (row, leftmost col, rightmost col, name).

    Layers are named near the left edge at mid-depth of their band there (left == right); vessels,
    nerves, bones and trigger points beside each connected patch. Shared by the authors' section
    and the trainer's anatomy overlay.
    """
    labels = np.asarray(section.labels)
    image_w = labels.shape[1]
    out: list[tuple[float, float, float, str]] = []
    layer_column = np.asarray(section.layer_index)[:, image_w // 16]
    for index, layer in enumerate(model.case.anatomy.layers):
        rows = np.flatnonzero(layer_column == index)
        if rows.size >= min_rows and not layer.regions:  # a layer with regions is named muscle by muscle
            out.append((float(rows.mean()), 2.0, 2.0, layer.name or layer.tissue))
    axis_lateral, axis_depth = np.asarray(section.lateral_axis_mm), np.asarray(section.depth_axis_mm)
    for tissue in ("bone", "artery", "vein", "nerve"):
        components, count = ndimage.label(labels == TISSUE_LABELS.index(tissue))
        for k in range(1, count + 1):
            rows, cols = np.nonzero(components == k)
            name = _tube_name(model, pose, float(axis_lateral[int(cols.mean())]), float(axis_depth[int(rows.mean())]))
            if name:
                out.append((rows.mean(), cols.min(), cols.max(), name))
    tp_index = np.asarray(section.trigger_point_index)
    for k, tp in enumerate(model.trigger_points):
        rows, cols = np.nonzero(tp_index == k)
        if rows.size:
            out.append((rows.mean(), cols.min(), cols.max(), f"trigger point {tp.id}"))
    return out


def draw_cross_section(model: AnatomyModel, pose: ProbePose, width_mm: float, depth_mm: float,
                       px_per_mm: float, fonts: palette.Fonts, title: bool = True,
                       legend_below: bool = False) -> pygame.Surface:
    """The labelled section as a surface: title, depth ruler, tissues, names, legend.

    `title=False` leaves the title line out, for a window that says where the probe is itself;
    `legend_below` puts the legend under the image in two columns (a narrow panel)."""
    image_w, image_h = max(8, int(round(width_mm * px_per_mm))), max(8, int(round(depth_mm * px_per_mm)))
    section = model.slice(pose, width_mm, depth_mm, (image_h, image_w))
    labels = np.asarray(section.labels)
    rgb = colour_table()[labels]  # (H, W, 3)
    present = [TISSUE_LABELS[i] for i in np.unique(labels)]
    if legend_below:
        size = (max(MARGIN_LEFT_PX + image_w + 8, 2 * LEGEND_COLUMN_PX + 8), MARGIN_TOP_PX + image_h + legend_below_px())
    else:
        size = (MARGIN_LEFT_PX + image_w + LEGEND_PX,
                max(MARGIN_TOP_PX + image_h + 12, MARGIN_TOP_PX + LEGEND_ROW_PX * (len(present) + 1) + 4))
    surface = pygame.Surface(size)
    surface.fill(palette.BG)
    image = pygame.surfarray.make_surface(np.ascontiguousarray(rgb.transpose(1, 0, 2)))
    surface.blit(image, (MARGIN_LEFT_PX, MARGIN_TOP_PX))
    if title:
        text = (f"{model.case.id}: probe at x {pose.x_mm:g}, y {pose.y_mm:g} mm, heading {pose.heading_deg:g} deg "
                f"(left edge = -{width_mm / 2:g} mm, toward the heading = right)")
        surface.blit(fonts.text(text, 13, palette.TEXT), (8, 8))

    step_mm = 5 if depth_mm <= 60 else 10
    for depth in np.arange(0, depth_mm + 0.01, step_mm):
        row = MARGIN_TOP_PX + int(round(depth * px_per_mm))
        pygame.draw.line(surface, palette.TEXT_DIM, (MARGIN_LEFT_PX - 6, row), (MARGIN_LEFT_PX - 1, row))
        text = fonts.text(f"{depth:g} mm", 12, palette.TEXT_DIM)
        surface.blit(text, (MARGIN_LEFT_PX - 8 - text.get_width(), row - text.get_height() // 2))

    clip = surface.get_clip()
    surface.set_clip(pygame.Rect(MARGIN_LEFT_PX, MARGIN_TOP_PX, image_w, image_h))
    draw_names(surface, section_names(model, pose, section, fonts, (MARGIN_LEFT_PX, MARGIN_TOP_PX)))
    surface.set_clip(clip)

    if legend_below:
        x0, y0 = 8, MARGIN_TOP_PX + image_h + 8
    else:
        x0, y0 = MARGIN_LEFT_PX + image_w + 14, MARGIN_TOP_PX
    surface.blit(fonts.text("tissues in this plane", 12, palette.TEXT), (x0, y0))
    for i, name in enumerate(present):
        column, row = divmod(i, (len(present) + 1) // 2) if legend_below else (0, i)
        x, y = x0 + column * LEGEND_COLUMN_PX, y0 + LEGEND_ROW_PX * (row + 1)
        pygame.draw.rect(surface, TISSUE_COLOURS.get(name, FALLBACK), (x, y + 2, 12, 12))
        surface.blit(fonts.text(name.replace("_", " "), 12, palette.TEXT), (x + 18, y))
    return surface


def section_names(model: AnatomyModel, pose: ProbePose, section, fonts: palette.Fonts,
                  origin: tuple[int, int]) -> list[PlacedName]:
    """Every name of a slice drawn at one screen px per slice px with its top left at `origin`: layers,
    each muscle of a layer with regions, vessels, nerves, bones and trigger points, none overlapping."""
    names = from_section_labels(section_labels(model, pose, section))
    for index, layer in enumerate(model.case.anatomy.layers):
        if layer.regions:  # side-by-side muscles: each named over its own part of the layer
            names += _muscle_names(section, index)
    cost, blocked = name_fields(np.asarray(section.labels), np.asarray(section.trigger_point_index))
    return place_names(fonts, names, cost, blocked, origin, (1.0, 1.0))


def _muscle_names(section, layer: int) -> list[Name]:
    """Each muscle of a layer with regions, named high in the middle of its stretch of the plane
    (trigger points sit mid-depth)."""
    in_layer = np.asarray(section.layer_index) == layer
    muscles = np.where(in_layer, np.asarray(section.muscle_index), -1)
    rows_per_column = in_layer.sum(axis=0)
    names = []
    for muscle in np.unique(muscles[muscles >= 0]):
        columns = np.flatnonzero((muscles == muscle).any(axis=0))
        if columns.size < 4 or rows_per_column[columns].max() < MIN_LABEL_PX:
            continue
        col = int(columns[columns.size // 2])
        rows = np.flatnonzero(muscles[:, col] == muscle)
        if not rows.size:
            continue
        row = int(rows.min() + 0.25 * (rows.max() - rows.min()))
        names.append(Name(section.muscle_names[int(muscle)], (row, col, row, col), float(row), band=True))
    return names


def save_plane(model: AnatomyModel, x_mm: float, y_mm: float, heading_deg: float, depth_mm: float,
               out: str, max_image_px: int = 760) -> None:
    """Write the labelled section under a probe at (x, y, heading) to a PNG (OSError if it cannot)."""
    width_mm = max(depth_mm, 40.0)  # wider than a footprint: an author wants to see the neighbourhood
    px_per_mm = max_image_px / max(width_mm, depth_mm)
    pygame.font.init()
    surface = draw_cross_section(model, ProbePose(x_mm, y_mm, heading_deg), width_mm, depth_mm, px_per_mm,
                                 palette.Fonts())
    try:
        pygame.image.save(surface, out)
    except pygame.error as exc:
        raise OSError(str(exc)) from None
