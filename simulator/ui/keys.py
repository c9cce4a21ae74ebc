"""The keyboard shortcuts: one table that the input map reads and the help overlay prints.

Each entry maps a key (with an optional Shift) to a command name; `commands.py` turns a
command into actions. Keeping one table means the help can never list a key that does nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame


@dataclass(frozen=True)
class Binding:
    key: int
    command: str
    shift: bool = False  # True: only with Shift held (the coarse version of a command)


# (group, [(key label, description)]) for the help overlay, in display order.
HELP: list[tuple[str, list[tuple[str, str]]]] = [
    ("Palpation (mouse on the body drawing)", [
        ("Hold left button", "press; the press firms up while you hold"),
        ("Wheel while pressing", "press harder / softer"),
        ("Drag slowly across the fibres", "stroke: feel for the ropy band"),
        ("Drag fast across", "snap the band"),
        ("G / O", "pincer grip / muscle outlines (practice)"),
        ("Right click, or K", "mark the skin at the finger"),
        ("Shift+right click, or Backspace", "erase the nearest mark"),
        ("Ctrl+click", "put the probe there"),
        ("Shift+click", "choose the needle entry point"),
        ("T / U", "hint / anatomy overlay (practice)"),
        ("P, then arrows, hold Space", "keyboard finger: move 2 mm (Shift 10), press; P or Esc puts it away"),
    ]),
    ("Probe and scanner", [
        ("Arrows (Shift: 5 mm)", "slide the probe 1 mm"),
        ("Q / E", "rotate the probe"),
        ("Z / X", "probe pressure less / more"),
        ("L", "place / lift the probe"),
        ("1 / 2, 3 / 4", "depth, gain - / +"),
        ("5 / 6, 7 / 8", "frequency, focus depth - / +"),
        ("Shift+1-6", "TGC near, mid, far - / +"),
        ("C, Shift+C", "colour Doppler, its steer"),
        ("[ / ], B", "tilt heel / toe, speckle reduction"),
    ]),
    ("Needle", [
        ("N", "insert at the entry point"),
        ("W / S (Shift: 5 mm)", "advance / withdraw 1 mm"),
        ("A / D", "angle flatter / steeper"),
        (", / .", "turn the needle left / right"),
        ("F", "fast in-out (seek a twitch)"),
        ("R", "remove the needle"),
    ]),
    ("Procedure", [
        ("F2", "consent: tick topics (click or A-L), Enter"),
        ("F3", "position the patient (chosen position)"),
        ("F4", "skin prep"),
        ("F5", "take the chosen needle"),
        ("F6", "skin wheal"),
        ("F7", "draw up the chosen agent and volume"),
        ("Space", "aspirate"),
        ("I", "inject (the chosen step)"),
        ("F8", "counsel: pick a topic (Up/Down), Enter"),
        ("F9", "decline: pick or type a reason, Enter"),
        ("End", "finish (Enter confirms)"),
        ("H / V", "stop (needle out) / check vital signs"),
        ("F10 / F11", "emergency / aftercare panel"),
    ]),
    ("Window", [
        ("F1 or ?", "this help"),
        ("Tab / Ctrl+Tab", "focus ring / case card"),
        ("M", "sound on / off"),
        ("Esc", "close / back"),
    ]),
]

# The picker's own keys (its help overlay lists exactly these).
PICKER_HELP: list[tuple[str, list[tuple[str, str]]]] = [
    ("Case list", [
        ("Up / Down", "previous / next case"),
        ("Page Up / Page Down", "a page of cases"),
        ("Home / End", "first / last case"),
        ("Click", "select a case"),
        ("Double click", "start the selected case"),
        ("Wheel", "scroll the list"),
    ]),
    ("Start", [
        ("Practice / Assessment", "choose the mode (click, or Tab to it and Enter)"),
        ("Tab / Shift+Tab", "mode, trainee field, start button"),
        ("Trainee field", "name or id, for assessment"),
        ("Enter", "start the case (also in the trainee field)"),
        ("F2", "my attempts: the trainee's stored attempts"),
        ("G", "the guided first case (start or resume)"),
    ]),
    ("Window", [
        ("F1 or ?", "this help"),
        ("M", "sound on / off"),
        ("Esc", "close help"),
    ]),
]

WINDOW_KEYS = ("Window", [
    ("F1 or ?", "this help"),
    ("Tab, Enter", "focus a button, press it"),
    ("M", "sound on / off"),
])
DEBRIEF_HELP: list[tuple[str, list[tuple[str, str]]]] = [
    ("Debrief", [
        ("R", "retry the case"),
        ("N", "next case"),
        ("P", "watch the replay"),
        ("Up / Down, Page Up / Down", "scroll the score"),
        ("Wheel", "scroll the panel under the pointer"),
        ("Esc", "case list"),
    ]),
    WINDOW_KEYS,
]
REPLAY_HELP: list[tuple[str, list[tuple[str, str]]]] = [
    ("Replay", [
        ("Space", "play / pause"),
        ("Left / Right", "back / forward 5 s"),
        ("Home", "back to the start"),
        ("1 / 4", "speed 1\u00d7 / 4\u00d7"),
        ("Drag the timeline", "seek"),
        ("Esc", "back"),
    ]),
    WINDOW_KEYS,
]

K = pygame
BINDINGS: list[Binding] = [
    Binding(K.K_LEFT, "probe_left"), Binding(K.K_RIGHT, "probe_right"),
    Binding(K.K_UP, "probe_up"), Binding(K.K_DOWN, "probe_down"),
    Binding(K.K_LEFT, "probe_left_5", True), Binding(K.K_RIGHT, "probe_right_5", True),
    Binding(K.K_UP, "probe_up_5", True), Binding(K.K_DOWN, "probe_down_5", True),
    Binding(K.K_q, "probe_ccw"), Binding(K.K_e, "probe_cw"),
    Binding(K.K_z, "probe_softer"), Binding(K.K_x, "probe_firmer"),
    Binding(K.K_l, "probe_toggle"),
    Binding(K.K_1, "depth_less"), Binding(K.K_2, "depth_more"),
    Binding(K.K_3, "gain_less"), Binding(K.K_4, "gain_more"),
    Binding(K.K_5, "freq_less"), Binding(K.K_6, "freq_more"),
    Binding(K.K_7, "focus_up"), Binding(K.K_8, "focus_down"),
    Binding(K.K_c, "doppler"), Binding(K.K_c, "doppler_steer", True),
    Binding(K.K_1, "tgc_near_less", True), Binding(K.K_2, "tgc_near_more", True),
    Binding(K.K_3, "tgc_mid_less", True), Binding(K.K_4, "tgc_mid_more", True),
    Binding(K.K_5, "tgc_far_less", True), Binding(K.K_6, "tgc_far_more", True),
    Binding(K.K_LEFTBRACKET, "tilt_heel"), Binding(K.K_RIGHTBRACKET, "tilt_toe"), Binding(K.K_b, "speckle_reduction"),
    Binding(K.K_n, "insert"),
    Binding(K.K_w, "advance"), Binding(K.K_s, "withdraw"),
    Binding(K.K_w, "advance_5", True), Binding(K.K_s, "withdraw_5", True),
    Binding(K.K_a, "angle_less"), Binding(K.K_d, "angle_more"),
    Binding(K.K_COMMA, "heading_less"), Binding(K.K_PERIOD, "heading_more"),
    Binding(K.K_f, "fast_in_out"), Binding(K.K_r, "remove_needle"),
    Binding(K.K_k, "mark"), Binding(K.K_BACKSPACE, "erase_mark"), Binding(K.K_DELETE, "erase_mark"),
    Binding(K.K_F2, "consent"), Binding(K.K_F3, "position"), Binding(K.K_F4, "skin_prep"),
    Binding(K.K_F5, "choose_needle"), Binding(K.K_F6, "skin_wheal"), Binding(K.K_F7, "select_agent"),
    Binding(K.K_SPACE, "aspirate"), Binding(K.K_i, "inject"), Binding(K.K_END, "finish"),
    Binding(K.K_F8, "counsel"), Binding(K.K_F9, "decline"),  # open dialogs (the screen handles these)
    Binding(K.K_F10, "emergency"), Binding(K.K_F11, "aftercare"),
    Binding(K.K_h, "stop"), Binding(K.K_v, "check_vitals"),
]

# Keys handled by the window rather than turned into actions.
UI_KEYS = {K.K_F1: "help", K.K_m: "mute", K.K_ESCAPE: "escape", K.K_g: "grip", K.K_o: "outlines", K.K_t: "hint",
           K.K_u: "anatomy"}


def list_move(key: int, index: int, count: int, page: int) -> int | None:
    """The row Up/Down, Page Up/Down, Home or End move a list's selection to (clamped), or None for
    any other key. `page` is how many rows a page holds."""
    moves = {K.K_DOWN: index + 1, K.K_UP: index - 1, K.K_PAGEDOWN: index + page, K.K_PAGEUP: index - page,
             K.K_HOME: 0, K.K_END: count - 1}
    return min(max(0, moves[key]), max(0, count - 1)) if key in moves else None


def command_for_key(key: int, shift: bool) -> str | None:
    """The command bound to a key press; Shift picks the coarse binding when there is one."""
    plain = None
    for binding in BINDINGS:
        if binding.key != key:
            continue
        if binding.shift == shift:
            return binding.command
        if not binding.shift:
            plain = binding.command
    return plain
