"""Colour checks for readability: WCAG 2.1 contrast ratios and colour-vision-deficiency simulation.

Why here: the palette and the pygame_gui theme are both checked against these numbers by the
tests, so a colour change that makes a label unreadable (or a cue that only differs in hue)
fails before anyone has to squint at it. Pure arithmetic; no pygame.
"""

from __future__ import annotations

from collections.abc import Iterator

# WCAG 2.1 minimum contrast: body text, and large text (>= 18 pt / 14 pt bold) or a control's edge.
TEXT_MIN_RATIO = 4.5
LARGE_OR_CONTROL_MIN_RATIO = 3.0

# Colour-vision deficiency simulation matrices on linear RGB, severity 1.0
# (Machado, Oliveira and Fernandes 2009, "A physiologically-based model for simulation of colour vision deficiency").
CVD_MATRICES = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
}


def _to_linear(channel_8bit: float) -> float:
    v = channel_8bit / 255
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def _to_srgb(linear: float) -> float:
    v = min(1.0, max(0.0, linear))
    return 255 * (v * 12.92 if v <= 0.0031308 else 1.055 * v ** (1 / 2.4) - 0.055)


def relative_luminance(colour) -> float:
    """WCAG relative luminance of an sRGB colour (0 black .. 1 white)."""
    r, g, b = (_to_linear(c) for c in colour[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a, b) -> float:
    """WCAG contrast ratio between two colours, 1..21 (order does not matter)."""
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def simulate_cvd(colour, kind: str) -> tuple[float, float, float]:
    """How `colour` looks to someone with protanopia, deuteranopia or tritanopia (sRGB 0..255)."""
    linear = [_to_linear(c) for c in colour[:3]]
    return tuple(_to_srgb(sum(m * v for m, v in zip(row, linear))) for row in CVD_MATRICES[kind])  # type: ignore[return-value]


def cvd_distance(a, b, kind: str) -> float:
    """Euclidean distance (sRGB units) between two colours as seen with the deficiency `kind`."""
    sa, sb = simulate_cvd(a, kind), simulate_cvd(b, kind)
    return sum((x - y) ** 2 for x, y in zip(sa, sb)) ** 0.5


def hex_colour(text: str) -> tuple[int, int, int, int]:
    """'#rrggbb' or '#rrggbbaa' -> (r, g, b, a)."""
    text = text.lstrip("#")
    alpha = int(text[6:8], 16) if len(text) == 8 else 255
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16), alpha


# The theme's colour states: the text drawn on each state's fill.
THEME_STATES = ("normal", "hovered", "disabled", "selected", "active")


def theme_pairs(theme: dict, window_bg: str) -> Iterator[tuple[str, tuple, tuple, float]]:
    """Every (where, foreground, background, minimum ratio) the pygame_gui theme draws.

    Text on its state's fill needs 4.5:1; a control's border needs 3:1 against the panel it sits
    on (`window_bg`), because the control's own fill is barely lighter than the panel. A fill that
    is transparent shows the window behind it. Blocks inherit the defaults, as pygame_gui does.
    """
    defaults = theme.get("defaults", {}).get("colours", {})
    behind = hex_colour(window_bg)
    for block, body in theme.items():
        colours = {**defaults, **body.get("colours", {})} if isinstance(body, dict) else {}
        if not colours:
            continue
        border_width = {**theme.get("defaults", {}).get("misc", {}), **body.get("misc", {})}.get("border_width", 1)

        def solid(name):
            colour = hex_colour(colours[name])
            return behind if colour[3] == 0 else colour

        for state in THEME_STATES:
            if f"{state}_text" in colours and f"{state}_bg" in colours:
                yield (f"{block}: {state}_text on {state}_bg", hex_colour(colours[f"{state}_text"]),
                       solid(f"{state}_bg"), TEXT_MIN_RATIO)
        if "normal_text" in colours and "dark_bg" in colours:
            yield f"{block}: normal_text on dark_bg", hex_colour(colours["normal_text"]), solid("dark_bg"), TEXT_MIN_RATIO
        if int(border_width) > 0 and "normal_border" in colours:
            yield f"{block}: normal_border on the panel", hex_colour(colours["normal_border"]), behind, \
                LARGE_OR_CONTROL_MIN_RATIO
