"""The authors' labelled cross-section (preview window, `inspect --plane`): every name inside the image,
none on another name, on a trigger point or a vessel's lumen; and in the preview at the smallest window
the whole legend is shown (seen at 1024x640: names ran into each other and over the legend, and the
legend's last rows were cut off)."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pygame
import pytest
from scipy import ndimage

from simulator.core.anatomy import AnatomyModel
from simulator.core.geometry import ProbePose
from simulator.render.cross_section import TISSUE_LABELS, section_names
from simulator.ui.preview import PreviewWindow

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def boxes(section) -> list[pygame.Rect]:
    """Slice-pixel boxes of every trigger point and vessel lumen."""
    masks = [np.asarray(section.trigger_point_index) >= 0]
    masks += [np.asarray(section.labels) == TISSUE_LABELS.index(t) for t in ("artery", "vein")]
    out = []
    for mask in masks:
        components, _ = ndimage.label(mask)
        for rows, cols in ndimage.find_objects(components):
            out.append(pygame.Rect(cols.start, rows.start, cols.stop - cols.start, rows.stop - rows.start))
    return out


@pytest.mark.parametrize("px_per_mm", [4.0, 12.0])
def test_section_names_stay_apart_inside_and_off_the_points_and_vessels(library, fonts, px_per_mm):
    cases, _ = library
    for case in cases:
        model = AnatomyModel(case)
        p = case.body_region.default_probe
        depth_mm = case.ultrasound.depth_cm * 10
        w, h = round(40 * px_per_mm), round(depth_mm * px_per_mm)
        section = model.slice(ProbePose(p.x_mm, p.y_mm, p.heading_deg), 40.0, depth_mm, (h, w))
        placed = section_names(model, ProbePose(p.x_mm, p.y_mm, p.heading_deg), section, fonts, (0, 0))
        image, taboo = pygame.Rect(0, 0, w, h), boxes(section)
        assert placed, f"{case.id}: nothing named"
        for name in placed:
            assert image.contains(name.rect), f"{case.id}: {name.text!r} {name.rect} leaves the image {image}"
            hit = name.rect.collidelist(taboo)
            assert hit < 0, f"{case.id}: {name.text!r} {name.rect} covers {taboo[hit]}"
        for a, b in itertools.combinations(placed, 2):
            assert not a.rect.colliderect(b.rect), f"{case.id}: {a.text!r} {a.rect} overlaps {b.text!r} {b.rect}"


def test_the_preview_shows_the_whole_legend_at_the_smallest_window():
    pygame.display.init()
    pygame.font.init()
    surface = pygame.Surface((1024, 640))
    window = PreviewWindow(SCENARIOS / "s1_upper_trapezius_thin.yaml", None, surface, seed=3)
    window.frame(1 / 30, [])
    panels, layout = window._panels, window.layout
    section = panels._section
    assert section is not None
    assert section.get_width() <= layout.section.width - 16 and section.get_height() <= layout.section.height - 30, (
        f"the section {section.get_size()} is cut by its panel {layout.section}")
    rows = len(np.unique(np.asarray(window.loaded.model.slice(window.pose, 40.0, 45.0, (64, 64)).labels)))
    assert section.get_height() >= 34 + 18 * (1 + (rows + 1) // 2), "the legend's rows do not all fit"
