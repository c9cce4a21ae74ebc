"""The compact patient monitor on the procedure screen, and the vital-signs chart of the debrief.

Numbers are drawn in the colour of how worrying they are (normal, warning, alarm), as a
bedside monitor does, so a falling blood pressure is seen without reading it. The limits
are display choices, not clinical rules (docs/physiology.md).
"""

from __future__ import annotations

import pygame

from simulator.render import palette as pal

# (warning below, warning above, alarm below, alarm above) per sign
LIMITS = {
    "heart_rate_bpm": (55, 100, 45, 130),
    "systolic_mmhg": (100, 160, 90, 190),
    "resp_rate_per_min": (10, 20, 8, 28),
    "spo2_pct": (94, 101, 90, 101),
}
ITEMS = (("HR", "heart_rate_bpm"), ("BP", "systolic_mmhg"), ("SpO\u2082", "spo2_pct"), ("RR", "resp_rate_per_min"))
GAP_PX = 14


def tone(sign: str, value: float):
    low_warn, high_warn, low_alarm, high_alarm = LIMITS[sign]
    if value < low_alarm or value > high_alarm:
        return pal.DANGER
    if value < low_warn or value > high_warn:
        return pal.WARN
    return pal.TEXT


def _value_text(vitals, sign: str) -> str:
    if sign == "systolic_mmhg":
        return vitals.blood_pressure
    value = f"{getattr(vitals, sign):.0f}"
    return value + "%" if sign == "spo2_pct" else value


WIDEST = {"heart_rate_bpm": "188", "systolic_mmhg": "188/128", "spo2_pct": "100%", "resp_rate_per_min": "48"}
WIDEST_LEVEL = "UNRESPONSIVE"


def _columns(fonts) -> list[int]:
    """Each item's column width: fixed by the widest value it can show, so the monitor never jitters."""
    return [max(fonts.text(label, 12, pal.TEXT_FAINT, "bold").get_width(),
                fonts.text(WIDEST[sign], 16, pal.TEXT, "mono").get_width()) for label, sign in ITEMS]


def monitor_width(fonts) -> int:
    return 20 + sum(w + GAP_PX for w in _columns(fonts)) + fonts.text(WIDEST_LEVEL, 12, pal.BG, "bold").get_width() + 12


def draw_monitor(surface: pygame.Surface, rect: pygame.Rect, fonts, vitals, oxygen: bool = False) -> None:
    """Labels over values, left to right, then the level of consciousness as a pill (red unless alert)."""
    pygame.draw.rect(surface, (8, 12, 16), rect, border_radius=6)
    pygame.draw.rect(surface, pal.PANEL_BORDER, rect, 1, border_radius=6)
    x = rect.x + 10
    for (label, sign), width in zip(ITEMS, _columns(fonts)):
        value = getattr(vitals, sign)
        name = fonts.text(label, 12, pal.TEXT_FAINT, "bold")
        number = fonts.text(_value_text(vitals, sign), 16, tone(sign, value), "mono")
        surface.blit(name, (x, rect.y + 3))
        surface.blit(number, (x, rect.bottom - number.get_height() - 2))
        x += width + GAP_PX
    alert = vitals.consciousness == "alert"
    label = fonts.text(vitals.consciousness.upper(), 12, pal.BG, "bold")
    pill = pygame.Rect(x, rect.centery - label.get_height() // 2 - 1, label.get_width() + 12, label.get_height() + 2)
    pygame.draw.rect(surface, pal.OK if alert else pal.DANGER, pill, border_radius=pill.height // 2)
    surface.blit(label, (pill.x + 6, pill.y + 1))
    if oxygen:
        o2 = fonts.text("O\u2082 on", 12, pal.INFO, "bold")
        surface.blit(o2, (rect.right - o2.get_width() - 6, rect.y + 2))


CHART_SIGNS = (("HR", "heart_rate_bpm", pal.OK), ("SBP", "systolic_mmhg", pal.WARN), ("SpO\u2082", "spo2_pct", pal.INFO))


def draw_vitals_chart(surface: pygame.Surface, rect: pygame.Rect, fonts, readings, stages, duration_s: float) -> None:
    """Heart rate, systolic pressure and SpO2 over the session (0-200 scale), with each stage change marked.

    `readings` are VitalsRecorded-like objects; `stages` are (t_s, kind, stage).
    """
    pygame.draw.rect(surface, (8, 12, 16), rect, border_radius=4)
    plot = pygame.Rect(rect.x + 30, rect.y + 20, rect.width - 38, rect.height - 26)  # the scale in the left margin
    duration_s = max(duration_s, 1.0)

    def x_of(t_s: float) -> int:
        return round(plot.x + plot.width * max(0.0, min(1.0, t_s / duration_s)))

    def y_of(value: float) -> int:
        return round(plot.bottom - plot.height * max(0.0, min(1.0, value / 200.0)))

    for level in (50, 100, 150):
        pygame.draw.line(surface, pal.GRID, (plot.x, y_of(level)), (plot.right, y_of(level)), 1)
        mark = fonts.text(str(level), 12, pal.TEXT_FAINT)
        surface.blit(mark, (plot.x - 4 - mark.get_width(), y_of(level) - mark.get_height() // 2))
    for t_s, kind, stage in stages:
        x = x_of(t_s)
        pygame.draw.line(surface, pal.DANGER if stage != "resolved" else pal.OK, (x, plot.y), (x, plot.bottom), 1)
    for _label, sign, colour in CHART_SIGNS:
        points = [(x_of(r.t_s), y_of(getattr(r, sign))) for r in readings]
        if len(points) >= 2:
            pygame.draw.lines(surface, colour, False, points, 2)
        for p in points[-1:]:
            pygame.draw.circle(surface, colour, p, 3)
    x = rect.x + 8
    for label, _sign, colour in CHART_SIGNS:
        text = fonts.text(label, 12, colour, "bold")
        surface.blit(text, (x, rect.y + 3))
        x += text.get_width() + 12
    note = fonts.text("lines: complication stages", 12, pal.TEXT_FAINT)
    if x + note.get_width() + 8 <= rect.right:
        surface.blit(note, (rect.right - note.get_width() - 8, rect.y + 4))
