"""Panel rectangles for each screen, computed from the window size (the window is resizable).

The ultrasound image is the centre of the procedure screen; the palpation view (with the
case card in a second tab) sits on the left, the procedure controls and event feed on the right.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from simulator.render.body_map import width_for_height
from simulator.render.window_limits import MIN_SIZE

GAP = 8
TOP_BAR_H = 46


TAB_STRIP_H = 34
ALERT_STRIP_H = 26
LEGEND_STRIP_H = 20
BODY_MAP_MIN_W = 144
CONTROL_ROWS = 10  # rows of the procedure controls between the title and the finish button


@dataclass(frozen=True)
class ProcedureLayout:
    top_bar: pygame.Rect
    palpation: pygame.Rect  # the left tabbed panel (palpation view or case card)
    palpation_info: pygame.Rect  # feel and pressure gauges, pain, body map
    body_map: pygame.Rect  # the referred-pain body map, to the right of the gauges in palpation_info
    case_card: pygame.Rect  # the case card's tab: the same panel as the palpation view
    ultrasound: pygame.Rect  # panel with the image, the depth scale and the readouts
    scanner_bar: pygame.Rect  # scanner controls under the image
    needle_bar: pygame.Rect  # needle controls under the scanner controls
    controls: pygame.Rect  # checklist, agent, aspirate/inject/finish
    feed: pygame.Rect  # event feed
    tab_strip: pygame.Rect  # the tab headers along the top of the left panel
    palpation_box: pygame.Rect  # where the body region drawing is fitted
    alert_strip: pygame.Rect  # the chart's alerts under the drawing
    palpation_legend: pygame.Rect  # the symbols of the palpation view, between the drawing and the alerts
    card_box: pygame.Rect  # the case card's scrolling viewport
    control_row_h: int = 32  # the procedure controls' rows: lower in a short window so the feed keeps room
    control_gap: int = 6

    @classmethod
    def for_size(cls, size: tuple[int, int]) -> "ProcedureLayout":
        w, h = max(size[0], MIN_SIZE[0]), max(size[1], MIN_SIZE[1])
        # The palpation view is the main hands-on view: the left column gets a third of the width.
        left_w = round(w * (0.37 if w >= 1200 else 0.33))
        right_w = max(280, round(w * 0.25))  # the procedure controls need about 280 px
        centre_w = w - left_w - right_w - 4 * GAP
        top = TOP_BAR_H + GAP
        x_left, x_centre = GAP, GAP + left_w + GAP
        x_right = x_centre + centre_w + GAP

        # The patient-response panel holds the gauges and a body map tall enough to read (figures 120-190 px).
        info_h = min(250, max(180, round(h * 0.25)))
        info = pygame.Rect(x_left, h - GAP - info_h, left_w, info_h)
        map_h = info_h - 12
        map_w = min(max(width_for_height(map_h), BODY_MAP_MIN_W), left_w // 2)  # its legend needs 140 px
        body_map = pygame.Rect(info.right - 8 - map_w, info.y + 6, map_w, map_h)
        left = pygame.Rect(x_left, top, left_w, info.y - GAP - top)
        tabs = pygame.Rect(left.x + 8, left.y + 6, left.width - 16, TAB_STRIP_H - 6)
        alerts = pygame.Rect(left.x + 10, left.bottom - 6 - ALERT_STRIP_H, left.width - 20, ALERT_STRIP_H)
        legend = pygame.Rect(left.x + 10, alerts.y - 2 - LEGEND_STRIP_H, left.width - 20, LEGEND_STRIP_H)
        palpation_box = pygame.Rect(left.x + 6, tabs.bottom + 4, left.width - 12, legend.y - 2 - (tabs.bottom + 4))
        card_box = pygame.Rect(left.x + 10, tabs.bottom + 8, left.width - 14, left.bottom - 8 - (tabs.bottom + 8))

        bar_h = 2 * 34 + 4  # two rows of buttons each
        needle_bar = pygame.Rect(x_centre, h - GAP - bar_h, centre_w, bar_h)
        scanner_bar = pygame.Rect(x_centre, needle_bar.y - GAP - bar_h, centre_w, bar_h)
        ultrasound = pygame.Rect(x_centre, top, centre_w, scanner_bar.y - GAP - top)

        # Checklist, drug, counsel/decline and care rows (ten), and the finish button.
        row_h, row_gap = (32, 6) if h >= 720 else (28, 4)
        controls_h = CONTROL_ROWS * (row_h + row_gap) + 106
        controls = pygame.Rect(x_right, top, right_w, controls_h)
        feed = pygame.Rect(x_right, controls.bottom + GAP, right_w, h - GAP - (controls.bottom + GAP))
        return cls(top_bar=pygame.Rect(0, 0, w, TOP_BAR_H), palpation=left, palpation_info=info, body_map=body_map,
                   case_card=left, ultrasound=ultrasound, scanner_bar=scanner_bar, needle_bar=needle_bar,
                   controls=controls, feed=feed, tab_strip=tabs, palpation_box=palpation_box, alert_strip=alerts,
                   palpation_legend=legend, card_box=card_box, control_row_h=row_h, control_gap=row_gap)


@dataclass(frozen=True)
class PickerLayout:
    top_bar: pygame.Rect
    cases: pygame.Rect  # the list of case cards
    details: pygame.Rect  # the chosen case, mode and trainee, start button

    @classmethod
    def for_size(cls, size: tuple[int, int]) -> "PickerLayout":
        w, h = max(size[0], MIN_SIZE[0]), max(size[1], MIN_SIZE[1])
        top = TOP_BAR_H + GAP
        details_w = round(w * 0.34)
        cases = pygame.Rect(GAP, top, w - details_w - 3 * GAP, h - top - GAP)
        details = pygame.Rect(cases.right + GAP, top, details_w, h - top - GAP)
        return cls(pygame.Rect(0, 0, w, TOP_BAR_H), cases, details)


@dataclass(frozen=True)
class DebriefLayout:
    top_bar: pygame.Rect
    score: pygame.Rect  # total, pass/fail, criteria with evidence
    critical: pygame.Rect  # critical errors
    needle_path: pygame.Rect  # ultrasound frame with the needle path
    marks: pygame.Rect  # skin marks beside the true points
    teaching: pygame.Rect  # teaching points
    buttons: pygame.Rect

    @classmethod
    def for_size(cls, size: tuple[int, int], critical_h: int = 130) -> "DebriefLayout":
        w, h = max(size[0], MIN_SIZE[0]), max(size[1], MIN_SIZE[1])
        top = TOP_BAR_H + GAP
        buttons_h = 44
        left_w = round(w * 0.46)
        body_bottom = h - GAP - buttons_h - GAP
        crit_h = critical_h
        score = pygame.Rect(GAP, top, left_w, body_bottom - top - crit_h - GAP)
        critical = pygame.Rect(GAP, score.bottom + GAP, left_w, crit_h)
        x2 = score.right + GAP
        right_w = w - x2 - GAP
        half = (right_w - GAP) // 2
        pic_h = round((body_bottom - top) * 0.58)
        needle_path = pygame.Rect(x2, top, half, pic_h)
        marks = pygame.Rect(needle_path.right + GAP, top, right_w - half - GAP, pic_h)
        teaching = pygame.Rect(x2, needle_path.bottom + GAP, right_w, body_bottom - needle_path.bottom - GAP)
        buttons = pygame.Rect(GAP, h - GAP - buttons_h, w - 2 * GAP, buttons_h)
        return cls(pygame.Rect(0, 0, w, TOP_BAR_H), score, critical, needle_path, marks, teaching, buttons)
