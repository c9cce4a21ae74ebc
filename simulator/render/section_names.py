"""Naming the structures of a plane slice on screen: where each name goes, and drawing it.

Shared by the trainee's anatomy overlay (on the ultrasound image) and the authors' labelled
cross-section (preview, `inspect --plane`). Names go where they hide the least of what is
drawn (field_labels.py): never on a trigger point or a vessel's lumen (their whole boxes) or
on cells the caller blocks (the needle's path and tip), never on another name, always inside
the image; a name that had to move away from its structure gets a leader line to it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pygame
from scipy import ndimage

from simulator.render.field_labels import best_spot
from simulator.render.labels import shortened
from simulator.scenario.acoustics import TISSUES

NAME_PX = 12
HIDDEN_TISSUES = ("artery", "vein", "nerve", "bone", "pleura", "trigger_point")  # a name should not cover these
LUMENS = ("artery", "vein")  # no name on a vessel's lumen or a trigger point (their whole boxes)
LEADER_PX = 6  # a name further than this from its structure gets a leader line
LEADER = (250, 250, 250)


def outlined(fonts, text: str, size_px: int) -> pygame.Surface:
    """White text with a dark outline: readable on every tissue colour."""
    inner = fonts.text(text, size_px, (255, 255, 255), "bold")
    dark = fonts.text(text, size_px, (10, 10, 10), "bold")
    surface = pygame.Surface((inner.get_width() + 2, inner.get_height() + 2), pygame.SRCALPHA)
    for dx, dy in ((0, 1), (2, 1), (1, 0), (1, 2)):
        surface.blit(dark, (dx, dy))
    surface.blit(inner, (1, 1))
    return surface


@dataclass(frozen=True)
class Name:
    """A structure to name: its box in slice cells (top, left, bottom, right) and the row to sit level with.
    A layer's name (`band`) sits in its band and gets no leader line."""

    text: str
    anchor: tuple[int, int, int, int]
    row: float
    band: bool = False


@dataclass(frozen=True)
class PlacedName:
    text: str  # as shown (perhaps shortened with an ellipsis)
    rect: pygame.Rect  # on screen
    label: pygame.Surface
    leader: tuple[tuple[int, int], tuple[int, int]] | None


def from_section_labels(rows) -> list[Name]:
    """Names from cross_section.section_labels rows, trigger points first, then the other structures,
    then the layers (named at the left edge, left == right)."""
    names = []
    for row, left, right, text in rows:
        r = int(round(row))
        band = left == right
        rank = 0 if text.startswith("trigger point") else (2 if band else 1)
        names.append((rank, Name(text.replace("_", " "), (r, int(left), r, int(right)), float(row), band)))
    return [name for _, name in sorted(names, key=lambda n: n[0])]


def name_fields(labels: np.ndarray, tp_index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(cost, blocked) per slice cell: the tissue boundaries and the hidden tissues a name should not
    cover, and the cells none may (each trigger point's and vessel lumen's box, one cell wider)."""
    edges = np.zeros(labels.shape, dtype=bool)
    edges[1:, :] |= labels[1:, :] != labels[:-1, :]
    edges[:, 1:] |= labels[:, 1:] != labels[:, :-1]
    hidden = np.isin(labels, [TISSUES.index(t) for t in HIDDEN_TISSUES if t in TISSUES])
    blocked = np.zeros(labels.shape, dtype=bool)
    for mask in [tp_index >= 0] + [labels == TISSUES.index(t) for t in LUMENS if t in TISSUES]:
        components, _ = ndimage.label(mask)
        for found in ndimage.find_objects(components):
            if found is not None:
                blocked[found] = True
    return (edges | hidden).astype(np.float64), ndimage.binary_dilation(blocked)


def place_names(fonts, names: list[Name], cost: np.ndarray, blocked: np.ndarray, origin: tuple[int, int],
                cells: tuple[float, float]) -> list[PlacedName]:
    """Place each name in turn on the cheapest free spot (`blocked` is updated with the names placed);
    `origin` is the image's top left on screen and `cells` the screen px per cell across and down."""
    sx, sy = cells
    placed = []
    for name in names:
        top, left, bottom, right = name.anchor
        for version in shortened(name.text):
            label = outlined(fonts, version, NAME_PX)
            size = (math.ceil(label.get_height() / sy), math.ceil(label.get_width() / sx))
            spot = best_spot(cost, blocked, size, name.anchor, name.row)
            if spot is None:
                continue
            r, c = spot
            where = pygame.Rect(origin[0] + int(c * sx), origin[1] + int(r * sy), *label.get_size())
            blocked[max(0, r - 1):r + size[0] + 1, max(0, c - 1):c + size[1] + 1] = True  # names keep apart
            anchor = pygame.Rect(origin[0] + int(left * sx), origin[1] + int(top * sy),
                                 max(1, int((right - left + 1) * sx)), max(1, int((bottom - top + 1) * sy)))
            leader = None if name.band or _gap_px(where, anchor) <= LEADER_PX else _nearest_points(where, anchor)
            placed.append(PlacedName(version, where, label, leader))
            break
    return placed


def draw_names(surface: pygame.Surface, placed: list[PlacedName]) -> None:
    """The leader lines (white on a dark edge), then the names over them."""
    for name in placed:
        if name.leader is not None:
            pygame.draw.line(surface, (10, 10, 10), *name.leader, 3)
            pygame.draw.line(surface, LEADER, *name.leader, 1)
    for name in placed:
        surface.blit(name.label, name.rect)


def _gap_px(a: pygame.Rect, b: pygame.Rect) -> float:
    dx = max(0, b.x - a.right, a.x - b.right)
    dy = max(0, b.y - a.bottom, a.y - b.bottom)
    return math.hypot(dx, dy)


def _nearest_points(label: pygame.Rect, anchor: pygame.Rect) -> tuple[tuple[int, int], tuple[int, int]]:
    """The leader line: from the label's edge nearest the structure to the structure's nearest point."""
    cx = min(max(anchor.centerx, label.left), label.right - 1)
    cy = min(max(anchor.centery, label.top), label.bottom - 1)
    ax = min(max(cx, anchor.left), anchor.right - 1)
    ay = min(max(cy, anchor.top), anchor.bottom - 1)
    return (cx, cy), (ax, ay)
