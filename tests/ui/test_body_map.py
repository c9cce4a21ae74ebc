"""The referred-pain body map: figures large enough to read, lit regions glow where the region
table puts them, the usual complaint is ringed, and the picture is rebuilt only on a change."""

import numpy as np
import pygame
import pytest

from simulator.render.body_map import BodyMapRenderer
from simulator.render.layout import ProcedureLayout
from simulator.scenario.body_map import BODY_MAP

SIZES = [(1024, 680), (1280, 800), (1600, 1000)]


def warm_pixels(surface, rect) -> int:
    """Pixels that read as the warm glow (strong red, much less blue) inside `rect`."""
    px = pygame.surfarray.array3d(surface.subsurface(rect)).astype(int)
    return int(((px[..., 0] > 200) & (px[..., 0] - px[..., 2] > 80)).sum())


def spot_rect(renderer, name, reach=12):
    region = BODY_MAP[name]
    fig = renderer.figures[region.view]
    x, y = fig.x + region.x * fig.width, fig.y + region.y * fig.height
    return pygame.Rect(round(x) - reach, round(y) - reach, 2 * reach, 2 * reach).clip(renderer.box)


@pytest.mark.parametrize("size", SIZES)
def test_figures_are_large_and_clear_of_the_gauges(fonts, size):
    layout = ProcedureLayout.for_size(size)
    renderer = BodyMapRenderer(fonts, layout.body_map)
    for fig in renderer.figures.values():
        assert fig.height >= 120, f"{size}: figure only {fig.height} px tall"
        assert layout.palpation_info.contains(fig)
    assert layout.palpation_info.contains(layout.body_map)
    gauges_right = layout.body_map.x - 12
    assert gauges_right - layout.palpation_info.x >= 150  # the gauges keep a usable width


def test_lit_regions_glow_where_the_table_puts_them(fonts):
    layout = ProcedureLayout.for_size((1280, 800))
    renderer = BodyMapRenderer(fonts, layout.body_map)
    surface = pygame.Surface((1280, 800))
    surface.fill((14, 18, 24))
    renderer.draw(surface)
    temple, neck, calf = (spot_rect(renderer, n) for n in ("temple_right", "posterior_neck_right", "calf_left"))
    assert warm_pixels(surface, temple) == 0 and warm_pixels(surface, neck) == 0
    renderer.draw(surface, referred=("temple_right", "posterior_neck_right"))
    assert warm_pixels(surface, temple) >= 20
    assert warm_pixels(surface, neck) >= 20
    assert warm_pixels(surface, calf) == 0  # only the lit regions glow


def test_the_usual_complaint_is_ringed_in_a_muted_colour(fonts):
    layout = ProcedureLayout.for_size((1280, 800))
    renderer = BodyMapRenderer(fonts, layout.body_map)
    surface = pygame.Surface((1280, 800))
    surface.fill((14, 18, 24))
    rect = spot_rect(renderer, "scapula_right", reach=14)
    renderer.draw(surface)
    plain = pygame.surfarray.array3d(surface.subsurface(rect)).astype(int)
    renderer.draw(surface, complaint=("scapula_right",))
    ringed = pygame.surfarray.array3d(surface.subsurface(rect)).astype(int)
    changed = np.abs(ringed - plain).sum(axis=2) > 60
    assert changed.sum() >= 12  # a visible ring
    assert warm_pixels(surface, rect) == 0  # and not the glow's colour


def test_the_lit_picture_is_rebuilt_only_when_the_regions_change(fonts):
    renderer = BodyMapRenderer(fonts, ProcedureLayout.for_size((1280, 800)).body_map)
    surface = pygame.Surface((1280, 800))
    for _ in range(5):
        renderer.draw(surface, referred=("temple_right",), complaint=("temple_right",))
    assert renderer.rebuilds == 1
    renderer.draw(surface, referred=(), complaint=("temple_right",))
    assert renderer.rebuilds == 2


LEG_AND_FOOT = [f"{area}_{side}" for area in ("posterior_knee", "ankle", "foot", "heel") for side in ("right", "left")]


@pytest.mark.parametrize("name", LEG_AND_FOOT)
def test_knee_ankle_foot_and_heel_sit_on_the_figure_and_glow_alone(fonts, name):
    layout = ProcedureLayout.for_size((1280, 800))
    renderer = BodyMapRenderer(fonts, layout.body_map)
    background = (14, 18, 24)
    surface = pygame.Surface((1280, 800))
    surface.fill(background)
    renderer.draw(surface)
    region = BODY_MAP[name]
    fig = renderer.figures[region.view]
    centre = (round(fig.x + region.x * fig.width), round(fig.y + region.y * fig.height))
    assert tuple(surface.get_at(centre))[:3] != background  # drawn on the leg or foot, not beside it
    assert warm_pixels(surface, spot_rect(renderer, name, reach=6)) == 0
    renderer.draw(surface, referred=(name,))
    assert warm_pixels(surface, spot_rect(renderer, name, reach=6)) >= 20
    other_side = name.replace("_right", "_x").replace("_left", "_right").replace("_x", "_left")
    assert warm_pixels(surface, spot_rect(renderer, other_side, reach=6)) == 0
