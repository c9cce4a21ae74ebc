"""Presenter: only the tiles whose pixels changed are sent to the window."""

import pygame

from simulator.ui.present import Presenter


def test_only_changed_tiles_are_sent():
    surface = pygame.Surface((1000, 300), depth=32)  # 1000 is not a multiple of 32: a right-hand strip
    surface.fill((10, 20, 30))
    presenter = Presenter(tile_px=32)
    assert presenter.changed_rects(surface) is None  # first frame: send everything
    assert presenter.changed_rects(surface) == []  # nothing changed: send nothing
    surface.set_at((100, 50), (255, 0, 0))
    surface.fill((0, 255, 0), pygame.Rect(130, 40, 40, 4))  # spills over a tile boundary
    rects = presenter.changed_rects(surface)
    assert rects == [pygame.Rect(96, 32, 96, 32)]  # one run of three tiles on one tile row
    assert all(r.collidepoint(100, 50) or r.collidepoint(150, 42) for r in rects)
    surface.set_at((995, 299), (1, 2, 3))
    rects = presenter.changed_rects(surface)
    assert any(r.collidepoint(995, 299) for r in rects) and sum(r.width * r.height for r in rects) < 1000 * 300
    assert presenter.changed_rects(pygame.Surface((640, 480), depth=32)) is None  # a new size: everything
