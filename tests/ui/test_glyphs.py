"""Every character the window draws has a glyph in the UI fonts: seen at 1920x1080, the replay's hint
showed two empty boxes where the arrow keys were named (the fonts have no arrows). Each non-ASCII
character written in the screens' and renderers' source must draw as itself, not as the font's box."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pygame

SOURCES = [Path(__file__).resolve().parents[2] / "simulator" / part for part in ("ui", "render")]
MISSING = "\U000F0000"  # a private-use code point: every font draws its "no glyph" box for it


def characters_in_source() -> dict[str, str]:
    """Each non-ASCII character (written or as a \\u escape) in the UI source, with a file that uses it."""
    found = {}
    for root in SOURCES:
        for path in sorted(root.rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            chars = {chr(int(code, 16)) for code in re.findall(r"\\u([0-9a-fA-F]{4})", text)}
            chars |= {ch for ch in text if ord(ch) > 127}
            for ch in chars:
                found.setdefault(ch, path.name)
    return found


def draws_as_box(font, ch: str) -> bool:
    box = pygame.surfarray.array_alpha(font.render(MISSING, True, (255, 255, 255)))
    drawn = pygame.surfarray.array_alpha(font.render(ch, True, (255, 255, 255)))
    return drawn.shape == box.shape and bool(np.array_equal(drawn, box))


def test_the_missing_glyph_check_sees_a_missing_glyph(fonts):
    assert draws_as_box(fonts.regular(12), "\u2190")  # no arrows in the UI font: what the replay hint showed
    assert not draws_as_box(fonts.regular(12), "\u00b7")


def test_every_character_in_the_ui_source_has_a_glyph(fonts):
    found = characters_in_source()
    assert "\u00b7" in found  # the separator dot the screens use everywhere
    missing = [f"{ch!r} (U+{ord(ch):04X}) in {where}" for ch, where in sorted(found.items())
               if draws_as_box(fonts.regular(12), ch) or draws_as_box(fonts.bold(12), ch)]
    assert missing == [], "no glyph in the UI fonts: " + ", ".join(missing)
