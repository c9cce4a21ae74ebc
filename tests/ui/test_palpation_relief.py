"""The palpation drawing reads as a body: lit, textured skin; rounded muscle bellies in practice; and a
muscle's name never sits on a trigger point (the outline shows the muscle, not the answer)."""

import numpy as np
import pygame
import pytest

from simulator.render import palette as pal
from simulator.render.layout import ProcedureLayout
from simulator.render.palpation import LABEL_KEEP_OUT_MM, PalpationRenderer
from simulator.render.skin_shading import shade_skin

SIZE = (1280, 800)


def _skin_pixels(renderer):
    pixels = pygame.surfarray.array3d(renderer._static).astype(float)
    alpha = pygame.surfarray.array_alpha(renderer._static)
    return pixels, alpha


@pytest.mark.parametrize("practice", [True, False])
def test_no_muscle_name_covers_a_trigger_point_in_any_case(library, fonts, practice):
    cases, _ = library
    layout = ProcedureLayout.for_size(SIZE)
    for case in cases:
        renderer = PalpationRenderer(case, fonts, layout.palpation_box, show_muscles=practice)
        muscles = {o.name.replace("_", " ") for o in case.body_region.drawing.outlines if o.kind == "muscle"}
        reach = LABEL_KEEP_OUT_MM * renderer.view.px_per_mm
        for text, rect in renderer.labels:
            if text.rstrip("\u2026") not in muscles and not any(m.startswith(text.rstrip("\u2026")) for m in muscles):
                continue
            for tp in case.trigger_points:
                x, y = renderer.view.to_px(tp.x_mm, tp.y_mm)
                nearest = (min(max(x, rect.left), rect.right), min(max(y, rect.top), rect.bottom))
                assert max(abs(nearest[0] - x), abs(nearest[1] - y)) >= reach - 1, f"{case.id}: {text!r} on {tp.id}"


def test_the_skin_is_lit_from_the_upper_left_and_textured_not_flat(fonts):
    surface = pygame.Surface((300, 200), pygame.SRCALPHA)
    skin = [(0, 0), (299, 0), (299, 199), (0, 199)]
    pygame.draw.polygon(surface, pal.SKIN, skin)
    shade_skin(surface, [skin], "s1_upper_trapezius_thin")
    pixels = pygame.surfarray.array3d(surface).astype(float)
    assert pixels[:100, :60].mean() > pixels[200:, 140:].mean() + 5  # light from the upper left
    assert pixels.std(axis=(0, 1)).mean() > 3  # a texture, not one flat colour
    again = pygame.Surface((300, 200), pygame.SRCALPHA)
    pygame.draw.polygon(again, pal.SKIN, skin)
    shade_skin(again, [skin], "s1_upper_trapezius_thin")
    assert np.array_equal(pygame.surfarray.array3d(again), pixels.astype(np.uint8))  # the same every time


def test_a_muscle_belly_is_lighter_along_its_middle_than_at_its_edge(library, fonts):
    cases, _ = library
    case = next(c for c in cases if c.id == "s1_upper_trapezius_thin")
    box = ProcedureLayout.for_size(SIZE).palpation_box
    shown = PalpationRenderer(case, fonts, box, show_muscles=True)
    outline = next(o for o in case.body_region.drawing.outlines if o.kind == "muscle" and o.name == "upper_trapezius")
    mask_surface = pygame.Surface(shown.view.rect.size, pygame.SRCALPHA)
    pts = [(x - shown.view.rect.x, y - shown.view.rect.y) for x, y in shown._polygon(outline)]
    pygame.draw.polygon(mask_surface, (255, 255, 255, 255), pts)
    from scipy import ndimage

    inside = pygame.surfarray.array_alpha(mask_surface) > 0
    depth = ndimage.distance_transform_edt(inside)
    pixels, _ = _skin_pixels(shown)
    brightness = pixels.sum(axis=2)
    edge = brightness[(depth > 2) & (depth < 5)].mean()
    middle = brightness[depth > 14].mean()
    assert middle > edge + 20
