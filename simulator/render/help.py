"""The help overlay (F1 or ?): every shortcut, in groups, over a dimmed screen.

The table is passed in (it lives with the key bindings in simulator.ui.keys), so the help
shows exactly the keys the input map understands. Layout is measured, not guessed: each
column's key width is its widest key (capped) plus a gap, long keys and descriptions wrap,
and groups are spread over the columns so no column runs past the box.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pygame

from simulator.render import palette as pal
from simulator.render.text import wrap

COLUMNS = 3
PAD_PX = 24
COL_GAP_PX = 28
KEY_GAP_PX = 14
KEY_SHARE_MAX = 0.48  # a key column never takes more than this share of its column
ROW_GAP_PX = 5
GROUP_GAP_PX = 10
HEAD_PX = 24
TITLE_H_PX = 52


@dataclass(frozen=True)
class HelpItem:
    """One piece of text placed by the layout; `kind` is head, key or desc."""

    kind: str
    text: str
    rect: pygame.Rect


def _group_rows(fonts, items, key_w: int, desc_w: int):
    """Each row's wrapped key lines, wrapped description lines and height."""
    key_font, desc_font = fonts.mono(13), fonts.regular(13)
    rows = []
    for key, desc in items:
        key_lines = wrap(key_font, key, key_w)
        desc_lines = wrap(desc_font, desc, desc_w)
        height = max(len(key_lines) * key_font.get_linesize(), len(desc_lines) * desc_font.get_linesize())
        rows.append((key_lines, desc_lines, height))
    return rows


def help_layout(fonts, groups, box: pygame.Rect, columns: int = COLUMNS) -> list[HelpItem]:
    """Where every heading, key and description goes inside `box` (nothing overlaps)."""
    key_font, desc_font, head_font = fonts.mono(13), fonts.regular(13), fonts.bold(12)
    col_w = (box.width - 2 * PAD_PX - (columns - 1) * COL_GAP_PX) // columns
    cap = round(col_w * KEY_SHARE_MAX)
    # First pass with a provisional key width to measure heights and split groups over columns.
    widest = min(cap, max((key_font.size(k)[0] for _, items in groups for k, _ in items), default=0))
    heights = [HEAD_PX + sum(r[2] + ROW_GAP_PX for r in _group_rows(fonts, items, widest, col_w - widest - KEY_GAP_PX))
               + GROUP_GAP_PX for _, items in groups]
    # Keep the groups in order; choose the split into columns with the shortest tallest column.
    n = len(groups)
    best: list[list[int]] = [list(range(n))]
    best_h = float("inf")
    for cuts in itertools.combinations(range(1, n), min(columns, n) - 1):
        bounds = [0, *cuts, n]
        split = [list(range(bounds[i], bounds[i + 1])) for i in range(len(bounds) - 1)]
        tallest = max(sum(heights[i] for i in part) for part in split)
        if tallest < best_h:
            best, best_h = split, tallest
    assignment = best
    out: list[HelpItem] = []
    top = box.y + TITLE_H_PX
    for col, indices in enumerate(assignment):
        x = box.x + PAD_PX + col * (col_w + COL_GAP_PX)
        keys = [k for i in indices for k, _ in groups[i][1]]
        key_w = min(cap, max((key_font.size(k)[0] for k in keys), default=0))
        desc_x = x + key_w + KEY_GAP_PX
        desc_w = x + col_w - desc_x
        y = top
        for i in indices:
            title, items = groups[i]
            for line in wrap(head_font, title.upper(), col_w):
                out.append(HelpItem("head", line, pygame.Rect((x, y), head_font.size(line))))
                y += head_font.get_linesize()
            y += HEAD_PX - head_font.get_linesize()
            for key_lines, desc_lines, height in _group_rows(fonts, items, key_w, desc_w):
                for j, line in enumerate(key_lines):
                    out.append(HelpItem("key", line, pygame.Rect((x, y + j * key_font.get_linesize()),
                                                                 key_font.size(line))))
                for j, line in enumerate(desc_lines):
                    out.append(HelpItem("desc", line, pygame.Rect((desc_x, y + j * desc_font.get_linesize()),
                                                                  desc_font.size(line))))
                y += height + ROW_GAP_PX
            y += GROUP_GAP_PX
    return out


def help_box(size: tuple[int, int]) -> pygame.Rect:
    w, h = size
    box = pygame.Rect(0, 0, min(1120, w - 60), min(720, h - 12))  # a short window gives the table all it can
    box.center = (w // 2, h // 2)
    return box


def draw_help(surface: pygame.Surface, fonts, groups: list[tuple[str, list[tuple[str, str]]]],
              title: str = "Keyboard and mouse") -> pygame.Rect:
    w, h = surface.get_size()
    dim = pygame.Surface((w, h), pygame.SRCALPHA)
    dim.fill((0, 0, 0, 170))
    surface.blit(dim, (0, 0))
    box = help_box((w, h))
    items = help_layout(fonts, groups, box)
    # Shrink the box to its content and keep it centred.
    content_bottom = max((i.rect.bottom for i in items), default=box.y + TITLE_H_PX)
    fitted = pygame.Rect(box.x, 0, box.width, min(box.height, content_bottom - box.y + PAD_PX))
    fitted.centery = h // 2
    dy = fitted.y - box.y
    items = [HelpItem(i.kind, i.text, i.rect.move(0, dy)) for i in items]
    box = fitted
    pygame.draw.rect(surface, pal.PANEL, box, border_radius=10)
    pygame.draw.rect(surface, pal.ACCENT_DIM, box, 1, border_radius=10)
    surface.blit(fonts.bold(20).render(title, True, pal.TEXT), (box.x + PAD_PX, box.y + 16))
    hint = fonts.regular(13).render("F1, ? or Esc to close", True, pal.TEXT_DIM)
    surface.blit(hint, (box.right - hint.get_width() - PAD_PX, box.y + 22))
    pygame.draw.line(surface, pal.PANEL_BORDER, (box.x + PAD_PX, box.y + 48), (box.right - PAD_PX, box.y + 48), 1)
    fonts_by_kind = {"head": (fonts.bold(12), pal.ACCENT), "key": (fonts.mono(13), pal.WARN),
                     "desc": (fonts.regular(13), pal.TEXT)}
    for item in items:
        font, colour = fonts_by_kind[item.kind]
        surface.blit(font.render(item.text, True, colour), item.rect.topleft)
    return box
