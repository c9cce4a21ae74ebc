"""Anatomy overlay names hide nothing that matters: on every shipped case, at a small and a large
image, no name covers a trigger point, a vessel's lumen, the needle tip or the planned path, names
never overlap, and every name stays inside the image. A name pushed away from its structure gets a
leader line; a name with no free spot at all is left out rather than drawn over a structure."""

from __future__ import annotations

import math

import numpy as np
import pygame
import pytest
from scipy import ndimage

from simulator.core.anatomy import AnatomyModel
from simulator.core.geometry import ProbePose
from simulator.core.ultrasound.scan_geometry import make_geometry
from simulator.render.anatomy_overlay import SCALE, AnatomyOverlay, planned_path_px
from simulator.render.cross_section import TISSUE_LABELS
from simulator.render.field_labels import best_spot
from simulator.render.transform import ImageView
from simulator.ui.context import default_plan

IMAGE_BOXES = [pygame.Rect(377, 93, 282, 334), pygame.Rect(736, 106, 636, 758)]  # the image at 1024x640 and 1920x1080


def scene(case, box):
    """(model, probe, view, geometry) for the case's preset probe pose and depth, fitted into `box`."""
    model = AnatomyModel(case)
    p = case.body_region.default_probe
    probe = ProbePose(p.x_mm, p.y_mm, p.heading_deg, 0.2)
    us = case.ultrasound
    g = make_geometry(us.probe, us.depth_cm * 10, (us.focus_cm or us.depth_cm / 2) * 10, (256, 256))
    return model, probe, ImageView.fit(box, g.width_mm, g.depth_mm), g


def structure_rects(model, probe, view, g) -> dict[str, list[pygame.Rect]]:
    """Screen boxes of each trigger point and each vessel lumen, from the same plane slice the overlay shows."""
    rect = view.rect
    w, h = max(8, rect.width // SCALE), max(8, rect.height // SCALE)
    section = model.slice(probe, g.width_mm, g.depth_mm, (h, w))
    sx, sy = rect.width / w, rect.height / h
    out = {"trigger point": [], "vessel": []}
    masks = [("trigger point", np.asarray(section.trigger_point_index) >= 0)]
    masks += [("vessel", np.asarray(section.labels) == TISSUE_LABELS.index(t)) for t in ("artery", "vein")]
    for kind, mask in masks:
        components, _ = ndimage.label(mask)
        for rows, cols in ndimage.find_objects(components):
            out[kind].append(pygame.Rect(rect.x + math.floor(cols.start * sx), rect.y + math.floor(rows.start * sy),
                                         math.ceil((cols.stop - cols.start) * sx), math.ceil((rows.stop - rows.start) * sy)))
    return out


def near_path(r: pygame.Rect, points, reach_px: float) -> bool:
    """True when the rectangle comes within reach_px of the polyline (sampled every pixel)."""
    grown = r.inflate(2 * reach_px, 2 * reach_px)
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        n = max(1, int(max(abs(x1 - x0), abs(y1 - y0))))
        if any(grown.collidepoint(x0 + (x1 - x0) * t / n, y0 + (y1 - y0) * t / n) for t in range(n + 1)):
            return True
    return False


@pytest.mark.parametrize("box", IMAGE_BOXES, ids=["1024x640", "1920x1080"])
def test_no_name_covers_a_trigger_point_a_vessel_the_tip_or_the_path(library, fonts, box):
    cases, _ = library
    surface = pygame.Surface((box.right + 10, box.bottom + 10))
    for case in cases:
        model, probe, view, g = scene(case, box)
        path = planned_path_px(view, probe, default_plan(probe, case.ultrasound.probe))
        overlay = AnatomyOverlay(fonts)
        overlay.draw(surface, view, model, probe, g.width_mm, g.depth_mm, path)
        placed = [r for _, r in overlay.placed]
        assert len(placed) >= 3, f"{case.id}: only {len(placed)} names shown"
        for kind, rects in structure_rects(model, probe, view, g).items():
            for name, r in overlay.placed:
                hit = r.collidelist(rects)
                assert hit < 0, f"{case.id}: {name!r} {r} covers a {kind} {rects[hit]}"
        for name, r in overlay.placed:
            assert view.rect.contains(r), f"{case.id}: {name!r} {r} leaves the image {view.rect}"
            assert not near_path(r, path, 2), f"{case.id}: {name!r} {r} lies on the planned path"
            assert not r.inflate(28, 28).collidepoint(path[0]), f"{case.id}: {name!r} {r} sits on the tip {path[0]}"
            others = [o for o in placed if o is not r]
            assert r.collidelist(others) < 0, f"{case.id}: {name!r} {r} overlaps another name"


def test_a_name_with_its_structure_hemmed_in_moves_away_with_a_leader_line(library, fonts):
    """The trapezius case's artery sits at the image's right edge with the path beside it: its name
    goes where there is room and a line leads back to it, drawn in white over the tissue."""
    cases, _ = library
    case = next(c for c in cases if c.id == "s1_upper_trapezius_thin")
    box = IMAGE_BOXES[1]
    model, probe, view, g = scene(case, box)
    path = planned_path_px(view, probe, default_plan(probe, case.ultrasound.probe))
    surface = pygame.Surface((box.right + 10, box.bottom + 10))
    overlay = AnatomyOverlay(fonts)
    overlay.draw(surface, view, model, probe, g.width_mm, g.depth_mm, path)
    vessels = structure_rects(model, probe, view, g)["vessel"]
    far = [(n, r) for n, r in overlay.placed if "artery" in n and min(math.dist(r.center, v.center) for v in vessels) > 80]
    assert far, "the artery's name was expected to move away from it here"
    pixels = pygame.surfarray.array3d(surface).min(axis=2)
    for name, r in far:  # a leader line: white pixels along the way from the name to the vessel
        vessel = min(vessels, key=lambda v: math.dist(r.center, v.center))
        a = (min(max(vessel.centerx, r.left), r.right - 1), min(max(vessel.centery, r.top), r.bottom - 1))
        b = (min(max(a[0], vessel.left), vessel.right - 1), min(max(a[1], vessel.top), vessel.bottom - 1))
        samples = [(round(a[0] + (b[0] - a[0]) * t / 20), round(a[1] + (b[1] - a[1]) * t / 20)) for t in range(4, 17)]
        lit = [pixels[x - 1:x + 2, y - 1:y + 2].max() > 230 for x, y in samples]
        assert sum(lit) >= 0.8 * len(lit), f"no leader line from {name!r} {r} to {vessel}: {lit}"


def test_the_cheapest_free_spot_wins_and_a_name_with_no_free_spot_is_left_out():
    cost = np.zeros((10, 20))
    cost[:, :10] = 1.0  # structures fill the left half
    blocked = np.zeros((10, 20), dtype=bool)
    anchor = (4, 8, 5, 9)  # a structure at the middle of the left half
    r, c = best_spot(cost, blocked, (2, 4), anchor, 4.5)
    assert c >= 10, "the name should move off the structures to the free right half"
    blocked[:, 10:] = True
    r, c = best_spot(cost, blocked, (2, 4), anchor, 4.5)
    assert c + 4 <= 10  # only the left half is free: the least costly spot there
    blocked[:] = True
    assert best_spot(cost, blocked, (2, 4), anchor, 4.5) is None
