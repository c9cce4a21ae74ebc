"""The procedure screen's pygame_gui widgets: checklist, drug, scanner and needle controls.

Each button carries a command name (the same names the keyboard uses), so a click and its
shortcut go through one path: `command_actions`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pygame
from pygame_gui.elements import UIButton, UIDropDownMenu

# Needles offered (docs/sources.md [6][10][145]): superficial 25-27G 32-38 mm, 22G x 1.5 in,
# 21G x 2 in for thick subcutaneous tissue, 21G x 3 in and a 22G x 3.5 in spinal for the deepest,
# and a 22G x 5 in spinal for deep targets in large patients (UNSOURCED length; [147]: in obesity
# a 1.5 in needle may not reach the muscle).
NEEDLES = [(27, 32.0), (25, 38.0), (22, 38.0), (21, 50.0), (21, 76.0), (22, 89.0), (22, 127.0)]
POSITIONS = ["prone", "seated", "side_lying", "supine"]
VOLUMES_ML = [0.5, 1.0, 2.0, 3.0, 5.0]
INJECT_STEPS_ML = [0.25, 0.5, 1.0]

BAR_LABEL_W = 26  # the vertical SCANNER / NEEDLE caption left of each button bar
DROPDOWN_ARROW_PX = 44  # a dropdown's arrow button and padding
BUTTON_PAD_PX = 14  # a button's text padding and border

SCANNER_BUTTONS = [
    [("Depth \u2212  1", "depth_less"), ("Depth +  2", "depth_more"), ("Gain \u2212  3", "gain_less"),
     ("Gain +  4", "gain_more"), ("Freq \u2212  5", "freq_less"), ("Freq +  6", "freq_more")],
    [("Focus up  7", "focus_up"), ("Focus down  8", "focus_down"), ("Colour Doppler  C", "doppler"),
     ("Probe on/off  L", "probe_toggle")],
]
NEEDLE_BUTTONS = [
    [("Insert  N", "insert"), ("Advance  W", "advance"), ("Withdraw  S", "withdraw"),
     ("Fast in-out  F", "fast_in_out"), ("Remove  R", "remove_needle")],
    [("Flatter  A", "angle_less"), ("Steeper  D", "angle_more"), ("Turn left  ,", "heading_less"),
     ("Turn right  .", "heading_more")],
]


def needle_label(gauge: int, length_mm: float) -> str:
    return f"{gauge}G \u00d7 {length_mm:g} mm"


def volume_label(volume_ml: float) -> str:
    return f"Syringe {volume_ml:g} mL"


def position_label(position: str) -> str:
    return position.replace("_", " ").capitalize()


@dataclass
class ProcedureWidgets:
    buttons: dict = field(default_factory=dict)  # element -> command
    rows: dict = field(default_factory=dict)  # checklist item -> y of its row (status lights)
    position: object = None
    needle: object = None
    agent: object = None
    volume: object = None
    inject_step: object = None
    agent_ids: dict = field(default_factory=dict)  # label -> agent id
    all: list = field(default_factory=list)


def fit_label(label: str, width_px: int, measure) -> str:
    """The label, or without its trailing key hint ("Depth +  2" -> "Depth +") when the button is too narrow."""
    if measure is None or measure(label)[0] + BUTTON_PAD_PX <= width_px or "  " not in label:
        return label
    return label.rsplit("  ", 1)[0].rstrip()


def _row_of_buttons(manager, rect: pygame.Rect, items, widgets: ProcedureWidgets, object_id=None,
                    measure=None) -> None:
    """Buttons side by side, each as wide as its label needs plus an equal share of what is left."""
    n = len(items)
    gap = 4
    room = rect.width - gap * (n - 1)
    needs = [measure(label)[0] + BUTTON_PAD_PX if measure else 0 for label, _ in items]
    if sum(needs) > room:  # too narrow for the key hints: drop them, then share out what is left
        items = [(fit_label(label, 0, measure), command) for label, command in items]
        needs = [measure(label)[0] + BUTTON_PAD_PX for label, _ in items]
    if sum(needs) > room:
        needs = [need * room / sum(needs) for need in needs]
    spare = max(0, room - sum(needs))
    x = float(rect.x)
    for i, (label, command) in enumerate(items):
        w = needs[i] + spare / n
        r = pygame.Rect(round(x), rect.y, round(x + w) - round(x), rect.height)
        x += w + gap
        button = UIButton(r, label, manager, object_id=object_id or "@small")
        widgets.buttons[button] = command
        widgets.all.append(button)


def agent_labels(agents, measure, width_px: int) -> dict[str, str]:
    """Display label -> agent id; long names lose their trailing details until they fit the control."""
    out: dict[str, str] = {}
    for agent in agents:
        name = agent.name.replace(", preservative-free", " PF")
        while measure(name)[0] > width_px and "(" in name:
            name = name[:name.rindex("(")].rstrip(" ,")
        while measure(name)[0] > width_px and " " in name:
            name = name.rstrip("\u2026").rsplit(" ", 1)[0] + "\u2026"
        out[name if name not in out else f"{name} [{agent.id}]"] = agent.id
    return out


def build_widgets(manager, layout, catalogue, choices, case, fonts=None) -> ProcedureWidgets:
    widgets = ProcedureWidgets()
    measure = fonts.regular(13).size if fonts else None  # @small buttons: Noto Sans 13
    measure_dropdown = fonts.regular(14).size if fonts else (lambda text: (7 * len(text), 14))
    c = layout.controls
    x, w = c.x + 34, c.width - 44
    row_h, gap = layout.control_row_h, layout.control_gap
    y = c.y + 30

    def button(rect, label, command, object_id="@small"):
        b = UIButton(rect, fit_label(label, rect.width, measure), manager, object_id=object_id)
        widgets.buttons[b] = command
        widgets.all.append(b)
        return b

    def dropdown(rect, options, start):
        d = UIDropDownMenu(options, start, rect, manager)
        widgets.all.append(d)
        return d

    right_w = 96
    left = pygame.Rect(x, y, w - right_w - gap, row_h)
    right = pygame.Rect(x + w - right_w, y, right_w, row_h)

    def advance_row():
        nonlocal left, right
        left = left.move(0, row_h + gap)
        right = right.move(0, row_h + gap)

    widgets.rows["consent"] = left.centery
    button(pygame.Rect(x, y, w, row_h), "Consent the patient\u2026   F2", "consent")
    advance_row()
    widgets.rows["position"] = left.centery
    widgets.position = dropdown(left, [position_label(p) for p in POSITIONS], position_label(choices.position))
    button(right, "Position  F3", "position")
    advance_row()
    widgets.rows["skin_prep"] = left.centery
    button(pygame.Rect(x, left.y, w, row_h), "Skin prep   F4", "skin_prep")
    advance_row()
    widgets.rows["needle"] = left.centery
    widgets.needle = dropdown(left, [needle_label(g, mm) for g, mm in NEEDLES],
                              needle_label(choices.needle_gauge, choices.needle_length_mm))
    button(right, "Take  F5", "choose_needle")
    advance_row()
    widgets.rows["wheal"] = left.centery
    button(pygame.Rect(x, left.y, w, row_h), "Skin wheal (optional)   F6", "skin_wheal")
    advance_row()
    y_drug = left.y + 14
    left = left.move(0, 14)
    right = right.move(0, 14)
    widgets.rows["drug_title"] = y_drug - 8
    widgets.agent_ids = agent_labels(catalogue.agents, measure_dropdown, w - DROPDOWN_ARROW_PX)
    names = list(widgets.agent_ids)
    start = next((n for n, i in widgets.agent_ids.items() if i == choices.agent_id), names[0])
    widgets.rows["agent"] = left.centery
    widgets.agent = dropdown(pygame.Rect(x, left.y, w, row_h), names, start)
    advance_row()
    widgets.rows["draw_up"] = left.centery
    widgets.volume = dropdown(left, [volume_label(v) for v in VOLUMES_ML], volume_label(choices.volume_ml))
    button(right, "Draw up  F7", "select_agent")
    advance_row()
    widgets.rows["inject"] = left.centery
    step_w = 84
    half = (w - step_w - 2 * gap) // 2
    widgets.inject_step = dropdown(pygame.Rect(x, left.y, step_w, row_h), [f"{v:g} mL" for v in INJECT_STEPS_ML],
                                   f"{choices.inject_ml:g} mL")
    button(pygame.Rect(x + step_w + gap, left.y, half, row_h), "Aspirate  Spc", "aspirate")
    button(pygame.Rect(x + step_w + half + 2 * gap, left.y, w - step_w - half - 2 * gap, row_h), "Inject  I", "inject")
    advance_row()
    widgets.rows["talk"] = left.centery
    counsel_w = (w - gap) * 2 // 5
    button(pygame.Rect(x, left.y, counsel_w, row_h), "Counsel\u2026  F8", "counsel")
    button(pygame.Rect(x + counsel_w + gap, left.y, w - counsel_w - gap, row_h), "Decline to inject\u2026  F9",
           "decline")
    advance_row()
    widgets.rows["care"] = left.centery
    stop_w = (w - 2 * gap) // 4
    care_w = (w - stop_w - 2 * gap) // 2
    button(pygame.Rect(x, left.y, stop_w, row_h), "Stop  H", "stop", "@danger")
    button(pygame.Rect(x + stop_w + gap, left.y, care_w, row_h), "Emergency\u2026  F10", "emergency")
    button(pygame.Rect(x + stop_w + care_w + 2 * gap, left.y, w - stop_w - care_w - 2 * gap, row_h),
           "Aftercare\u2026  F11", "aftercare")
    advance_row()
    button(pygame.Rect(c.x + 10, c.bottom - 44, c.width - 20, 36), "Finish procedure   End", "finish", "@danger")

    for bar, rows in ((layout.scanner_bar, SCANNER_BUTTONS), (layout.needle_bar, NEEDLE_BUTTONS)):
        for i, items in enumerate(rows):
            row = pygame.Rect(bar.x + BAR_LABEL_W, bar.y + i * (bar.height // 2), bar.width - BAR_LABEL_W,
                              bar.height // 2 - 4)
            _row_of_buttons(manager, row, items, widgets, measure=measure)
    return widgets


def choice_from_dropdowns(widgets: ProcedureWidgets, choices):
    """The Choices after a dropdown changed (reads every dropdown; cheap and simple)."""
    from dataclasses import replace

    def selected(dropdown):
        option = dropdown.selected_option
        return option[0] if isinstance(option, tuple) else option

    position = POSITIONS[[position_label(p) for p in POSITIONS].index(selected(widgets.position))]
    needle = NEEDLES[[needle_label(g, mm) for g, mm in NEEDLES].index(selected(widgets.needle))]
    agent_id = widgets.agent_ids.get(selected(widgets.agent), choices.agent_id)
    volume = VOLUMES_ML[[volume_label(v) for v in VOLUMES_ML].index(selected(widgets.volume))]
    step = float(selected(widgets.inject_step).split()[0])
    return replace(choices, position=position, needle_gauge=needle[0], needle_length_mm=needle[1],
                   agent_id=agent_id, volume_ml=volume, inject_ml=step)
