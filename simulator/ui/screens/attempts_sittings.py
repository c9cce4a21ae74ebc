"""'My attempts': the trainee's exam sittings, a band above the list of attempts.

An exam's result is its sitting (records.sitting), the verdict of the exam's pass rule over all
its cases; the attempts below show each case on its own. So a trainee who sat exams sees them
here first, newest first: the date, the exam, PASS or FAIL with the first reason, the mean
total, and how many cases were taken over from an interrupted run. At most SHOWN_MAX sittings
are listed, so the attempts keep their room on a small window; a line says how many older ones
`tpi-sim results list --exams` shows.
"""

from __future__ import annotations

import pygame

from simulator.render import palette as pal
from simulator.render.text import badge, fit_text

SHOWN_MAX = 3
TITLE_H = 22
LINE_H = 24
BOTTOM_GAP = 8


def band_height(count: int) -> int:
    """The band's height for `count` sittings (0: no band)."""
    if count == 0:
        return 0
    more = 1 if count > SHOWN_MAX else 0
    return TITLE_H + (min(count, SHOWN_MAX) + more) * LINE_H + BOTTOM_GAP


def sitting_line(sitting) -> str:
    """What follows the verdict: mean, resumed cases, and the first reason (a pass has none)."""
    parts = [sitting.exam_id]
    if sitting.mean_total is not None:
        parts.append(f"mean {sitting.mean_total:.1f}")
    parts.append(f"{len(sitting.attempt_ids)} cases")
    if sitting.cases_resumed:
        parts.append(f"resumed: {sitting.cases_resumed} of {len(sitting.attempt_ids)} from an interrupted run")
    reasons = sitting.verdict.get("reasons") or []
    if reasons:
        parts.append(reasons[0] + (f" (+{len(reasons) - 1} more)" if len(reasons) > 1 else ""))
    return "  \u00b7  ".join(parts)


def draw_band(surface, fonts, rect: pygame.Rect, sittings: list, trainee: str) -> None:
    """The band in `rect` (as tall as band_height gives): `sittings` newest first."""
    if not sittings:
        return
    surface.blit(fonts.text(f"EXAM SITTINGS ({len(sittings)})", 12, pal.TEXT_FAINT, "bold"), (rect.x + 12, rect.y))
    y = rect.y + TITLE_H
    font = fonts.regular(13)
    for sitting in sittings[:SHOWN_MAX]:
        date = fonts.text(sitting.started_at.strftime("%Y-%m-%d %H:%M UTC"), 13, pal.TEXT_DIM, "mono")
        surface.blit(date, (rect.x + 12, y + 3))
        pill = badge(surface, fonts, "PASS" if sitting.passed else "FAIL", (rect.x + 182, y + 2),
                     pal.OK if sitting.passed else pal.DANGER)
        x = pill.right + 10
        surface.blit(font.render(fit_text(font, sitting_line(sitting), rect.right - 12 - x), True, pal.TEXT),
                     (x, y + 3))
        y += LINE_H
    if len(sittings) > SHOWN_MAX:
        older = len(sittings) - SHOWN_MAX
        text = (f"{older} older sitting{'s' if older != 1 else ''}: tpi-sim results list --exams "
                f"--trainee {trainee}")
        surface.blit(font.render(fit_text(font, text, rect.width - 24), True, pal.TEXT_DIM), (rect.x + 12, y + 3))
