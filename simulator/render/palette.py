"""The colours and fonts of the dark clinical theme, in one place so every panel agrees.

`Fonts` is created once by the app (after pygame.font.init) and passed to renderers;
there is no module-level font cache, so tests can build their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pygame

from simulator.paths import ASSETS_DIR

# Backgrounds, darkest first.
BG = (14, 18, 24)
PANEL = (22, 28, 36)
PANEL_RAISED = (30, 38, 48)
PANEL_BORDER = (104, 118, 134)  # 3:1 against the panels: a control's edge must be seen (WCAG 1.4.11)
GRID = (38, 48, 60)  # decorative grid lines only; nothing that carries meaning is drawn in it

# Text.
TEXT = (220, 228, 236)
TEXT_DIM = (164, 178, 194)
TEXT_FAINT = (132, 146, 162)  # the quietest text: still 4.5:1 on the raised panel

# Accents: teal for the scanner and the tool, amber for warnings, red for harm.
# OK is sky blue rather than green (the Okabe-Ito pairing): green and amber look alike with
# deuteranopia or protanopia, blue and amber do not. Cues carry a symbol or word as well.
ACCENT = (56, 189, 178)
ACCENT_DIM = (30, 110, 104)
INFO = (96, 165, 250)
WARN = (245, 180, 60)
DANGER = (255, 120, 110)
OK = (86, 180, 233)

FOCUS = (255, 214, 10)  # the keyboard focus ring: bright yellow, unlike any panel or accent

# Palpation drawing.
SKIN = (206, 168, 140)
SKIN_SHADE = (176, 136, 110)
SKIN_EDGE = (120, 88, 68)
BONE = (236, 226, 206)
MUSCLE_HINT = (196, 70, 70)
LANDMARK = (40, 52, 66)
MARK = (70, 40, 170)
ON_SKIN_EDGE = (52, 24, 24)  # the rim of a coloured point drawn on skin (3:1 or more against it)
FINGER = (250, 250, 250)
PROBE = (56, 189, 178)
NEEDLE = (235, 235, 245)

# Body map.
FIGURE = (52, 64, 80)
FIGURE_EDGE = (112, 128, 148)
REFERRED = (255, 110, 56)  # felt with this press: a strong warm glow
REFERRED_HOT = (255, 226, 170)  # the glow's pale hot core
COMPLAINT = (245, 180, 60)  # the RECOGNISED label
COMPLAINT_MUTED = (168, 150, 118)  # the usual complaint's rings: present, but quieter than the glow

# The contract the contrast test checks (tests/ui/test_contrast.py): every colour text is drawn
# in, on every surface text is drawn on, at 4.5:1; control edges and tracks at 3:1 on the panels;
# the status cues far apart under each colour-vision deficiency.
TEXT_SURFACES = {"BG": BG, "PANEL": PANEL, "PANEL_RAISED": PANEL_RAISED}
TEXT_COLOURS = {"TEXT": TEXT, "TEXT_DIM": TEXT_DIM, "TEXT_FAINT": TEXT_FAINT, "ACCENT": ACCENT, "INFO": INFO,
                "WARN": WARN, "DANGER": DANGER, "OK": OK, "COMPLAINT": COMPLAINT, "COMPLAINT_MUTED": COMPLAINT_MUTED,
                "REFERRED": REFERRED}
CONTROL_COLOURS = {"PANEL_BORDER": PANEL_BORDER, "FIGURE_EDGE": FIGURE_EDGE, "FOCUS": FOCUS}
STATUS_CUES = {"OK": OK, "WARN": WARN, "DANGER": DANGER}
ON_SKIN = {"MARK": MARK, "ON_SKIN_EDGE": ON_SKIN_EDGE, "LANDMARK": LANDMARK}  # drawn on SKIN, 3:1 or more

DIFFICULTY_COLOURS = {"beginner": OK, "intermediate": WARN, "advanced": DANGER}


def pain_colour(pain: int) -> tuple[int, int, int]:
    """Green at 0, amber at 5, red at 10: the colour a pain number is shown in."""
    pain = max(0, min(10, int(pain)))
    if pain <= 5:
        t = pain / 5
        return tuple(int(OK[i] + (WARN[i] - OK[i]) * t) for i in range(3))  # type: ignore[return-value]
    t = (pain - 5) / 5
    return tuple(int(WARN[i] + (DANGER[i] - WARN[i]) * t) for i in range(3))  # type: ignore[return-value]


TEXT_CACHE_MAX = 1024
FONT_DIR = ASSETS_DIR / "fonts"
REGULAR = FONT_DIR / "NotoSans-Regular.ttf"
BOLD = FONT_DIR / "NotoSans-Bold.ttf"
MONO = FONT_DIR / "FiraCode-Regular.ttf"


@dataclass
class Fonts:
    """Font objects by (kind, size_px), created on first use; kind is regular, bold or mono."""

    _cache: dict[tuple[str, int], pygame.font.Font] = field(default_factory=dict)
    _text: dict[tuple, pygame.Surface] = field(default_factory=dict)

    def get(self, size_px: int, kind: str = "regular") -> pygame.font.Font:
        key = (kind, size_px)
        font = self._cache.get(key)
        if font is None:
            path: Path = {"regular": REGULAR, "bold": BOLD, "mono": MONO}[kind]
            font = pygame.font.Font(str(path) if path.exists() else None, size_px)
            self._cache[key] = font
        return font

    def text(self, text: str, size_px: int, colour, kind: str = "regular") -> pygame.Surface:
        """`text` rendered (antialiased), cached by string, size, kind and colour.

        Most labels repeat frame after frame; rendering them once saves most of the text cost.
        The cache is emptied when it grows past TEXT_CACHE_MAX (values like a clock keep changing).
        """
        key = (text, size_px, kind, tuple(colour))
        surface = self._text.get(key)
        if surface is None:
            if len(self._text) >= TEXT_CACHE_MAX:
                self._text.clear()
            surface = self.get(size_px, kind).render(text, True, colour)
            self._text[key] = surface
        return surface

    def regular(self, size_px: int = 14) -> pygame.font.Font:
        return self.get(size_px, "regular")

    def bold(self, size_px: int = 14) -> pygame.font.Font:
        return self.get(size_px, "bold")

    def mono(self, size_px: int = 13) -> pygame.font.Font:
        return self.get(size_px, "mono")
