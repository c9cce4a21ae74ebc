"""The help overlay (F1 or ?): every shortcut, in groups, over a dimmed screen.

The table is passed in (it lives with the key bindings in simulator.ui.keys), so the help
shows exactly the keys the input map understands.
"""

from __future__ import annotations

import pygame

from simulator.render import palette as pal


def draw_help(surface: pygame.Surface, fonts, groups: list[tuple[str, list[tuple[str, str]]]],
              title: str = "Keyboard and mouse") -> pygame.Rect:
    w, h = surface.get_size()
    dim = pygame.Surface((w, h), pygame.SRCALPHA)
    dim.fill((0, 0, 0, 170))
    surface.blit(dim, (0, 0))
    box = pygame.Rect(0, 0, min(1120, w - 60), min(700, h - 60))
    box.center = (w // 2, h // 2)
    pygame.draw.rect(surface, pal.PANEL, box, border_radius=10)
    pygame.draw.rect(surface, pal.ACCENT_DIM, box, 1, border_radius=10)
    surface.blit(fonts.bold(20).render(title, True, pal.TEXT), (box.x + 24, box.y + 16))
    hint = fonts.regular(13).render("F1, ? or Esc to close", True, pal.TEXT_DIM)
    surface.blit(hint, (box.right - hint.get_width() - 24, box.y + 22))
    columns = 3
    col_w = (box.width - 48) // columns
    key_font, desc_font, head_font = fonts.mono(13), fonts.regular(13), fonts.bold(12)
    line_h = 21
    heights = [34 + len(items) * line_h for _, items in groups]
    # Fill columns in order, moving on when a column is full.
    x, y = box.x + 24, box.y + 60
    col = 0
    for (group, items), height in zip(groups, heights):
        if y + height > box.bottom - 10 and col < columns - 1:
            col += 1
            x, y = box.x + 24 + col * col_w, box.y + 60
        surface.blit(head_font.render(group.upper(), True, pal.ACCENT), (x, y))
        y += 24
        for key, desc in items:
            k = key_font.render(key, True, pal.WARN)
            surface.blit(k, (x, y))
            surface.blit(desc_font.render(desc, True, pal.TEXT), (x + min(col_w // 2, max(150, k.get_width() + 12)), y))
            y += line_h
        y += 12
    return box
