"""Shading that makes the palpation drawing read as a body: lit skin with a texture, rounded bellies.

The case gives flat outlines; a clinician reads a region by its relief. The skin gets soft
light from the upper left and a faint mottled texture (fixed per case, so every frame and
every mode draw the same pixels); a muscle's outline, where it is shown (practice), gets a
belly: lighter along its middle, darker at its edges, as a muscle rounds under the skin.
"""

from __future__ import annotations

import zlib

import numpy as np
import pygame
from scipy import ndimage

LIGHT = 0.10  # brightness change across the drawing from the lit corner to the far one
MOTTLE = 0.05  # the skin texture's blotches
GRAIN = 0.025  # and its fine grain
BELLY_PX = 18.0  # a belly rounds over this many pixels from its edge


def _noise(shape: tuple[int, int], scale_px: float, rng: np.random.Generator) -> np.ndarray:
    """Smooth noise, about -1..1, with features about `scale_px` across."""
    field = ndimage.gaussian_filter(rng.standard_normal(shape), scale_px, mode="wrap")
    return field / (np.abs(field).max() or 1.0)


def shade_skin(surface: pygame.Surface, polygons, case_id: str) -> None:
    """Light and texture the skin polygons already drawn on `surface` (an SRCALPHA surface)."""
    w, h = surface.get_size()
    if not polygons or w < 4 or h < 4:
        return
    mask_surface = pygame.Surface((w, h), pygame.SRCALPHA)
    for pts in polygons:
        pygame.draw.polygon(mask_surface, (255, 255, 255, 255), pts)
    mask = pygame.surfarray.pixels_alpha(mask_surface) > 0
    rng = np.random.default_rng(zlib.crc32(case_id.encode()))
    x = np.linspace(0.0, 1.0, w)[:, None]
    y = np.linspace(0.0, 1.0, h)[None, :]
    factor = 1.0 + LIGHT * (0.5 - (0.6 * x + 0.4 * y)) + MOTTLE * _noise((w, h), 9.0, rng) \
        + GRAIN * _noise((w, h), 1.2, rng)
    pixels = pygame.surfarray.pixels3d(surface)
    shaded = np.clip(pixels.astype(np.float32) * factor[..., None], 0, 255).astype(np.uint8)
    pixels[mask] = shaded[mask]
    del pixels, mask


def belly_layer(size: tuple[int, int], pts, colour) -> pygame.Surface:
    """An overlay for one muscle: a highlight along its middle fading to a shadow at its edge."""
    w, h = size
    mask_surface = pygame.Surface((w, h), pygame.SRCALPHA)
    pygame.draw.polygon(mask_surface, (255, 255, 255, 255), pts)
    inside = pygame.surfarray.pixels_alpha(mask_surface) > 0
    depth = np.clip(ndimage.distance_transform_edt(inside) / BELLY_PX, 0.0, 1.0)
    layer = pygame.Surface((w, h), pygame.SRCALPHA)
    rgb = pygame.surfarray.pixels3d(layer)
    light = np.array([236, 150, 140], dtype=np.float32)  # a belly's lit crest, still muscle-coloured
    dark = np.array(colour, dtype=np.float32) * 0.6
    rgb[...] = (dark + (light - dark) * depth[..., None]).astype(np.uint8)
    alpha = pygame.surfarray.pixels_alpha(layer)
    alpha[...] = np.where(inside, (50 + 40 * np.abs(depth - 0.5) * 2).astype(np.uint8), 0)
    del rgb, alpha, inside
    return layer
