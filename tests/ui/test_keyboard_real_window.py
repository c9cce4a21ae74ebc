"""A whole practice case with the keyboard alone, in a real X window, by real key events only.

Xvfb runs the trainer as a user would start it (a fresh user data folder and a private
attempt store); xdotool sends key presses and releases through XTEST, the path a keyboard's
own keys take, so the window's focus, the X server's key repeat and SDL's key translation are
all on the way. No pointer event at all: the picker's list and trainee field, the keyboard
finger (P, arrows, Space held, K), the consent dialog and the preparation buttons reached
with Tab and pressed with Enter, the probe slid with the arrows, the needle (A/D, N, W, F),
draw-up, aspiration, injection, aftercare and End with its confirmation.

The outcome is what the user sees afterwards: the stored practice attempt, filed under the
trainee id typed, which passes; and a new user's picker offers the guided case first, a
user with an attempt stored does not.

The test waits for states (the screen named in the app's frame log, the attempt store),
not for guessed wall times, except to hold a key down. Screenshots of the key moments go to
test-artifacts/keyboard/.
"""

from __future__ import annotations

import math
import shutil
import subprocess
import time

import numpy as np
import pygame

from simulator.core.aftercare import AFTERCARE, expected_aftercare
from simulator.core.preparation import applicable_consent_topics
from simulator.core.session import Session
from simulator.records.attempt import AttemptFilter
from simulator.records.store import open_store
from simulator.render import palette as pal
from simulator.render.layout import PickerLayout
from simulator.ui.care_items import AFTERCARE_KEYS
from simulator.ui.commands import NEEDLE_TURN_DEG, PROBE_STEP_MM
from simulator.ui.context import default_plan
from simulator.ui.keyboard_finger import COARSE_STEP_MM, STEP_MM
from simulator.ui.screens.consent_dialog import ConsentDialog, consent_order
from simulator.ui.screens.modal import dialog_rect
from tests.ui.test_real_window_guided import _control_rects
from tests.ui.xwindow import real_app, screen_of, screenshot, wait_for

SIZE = (1280, 800)
CASE_ID = "s1_upper_trapezius_thin"
SEED = 1  # real_app starts the trainer with --seed 1
TRAINEE = "res-7"
HOLD_S = 1.6  # Space held this long: the press firms up from light to firm (about 1.5 s)
FAST_IN_OUT_TRIES = 8


def ring_box(pixels: np.ndarray) -> pygame.Rect | None:
    """Where the keyboard focus ring is in a screenshot (its bounding box), or None when none shows."""
    xs, ys = np.nonzero((np.abs(pixels - np.array(pal.FOCUS)) <= 3).all(axis=2))
    if xs.size < 40:
        return None
    return pygame.Rect(int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1))


def amber_pixels(pixels: np.ndarray, area) -> int:
    """Pixels of the offer box's amber in `area` (x, y, w, h) of a screenshot (indexed [x, y])."""
    x, y, w, h = area
    return int((np.abs(pixels[x:x + w, y:y + h] - np.array(pal.WARN)) <= 3).all(axis=2).sum())


class Keys:
    """xdotool key events to the focused window (XTEST): no pointer is ever moved or clicked."""

    def __init__(self, env: dict):
        self.env = env

    def run(self, *args: str) -> None:
        subprocess.run(["xdotool", *args], env=self.env, check=True, timeout=30, capture_output=True)

    def press(self, *names: str, delay_ms: int = 60) -> None:
        if names:
            self.run("key", "--delay", str(delay_ms), *names)

    def hold(self, name: str, seconds: float) -> None:
        self.run("keydown", name)
        time.sleep(seconds)  # holding a key is a duration: the press firms up while it is held
        self.run("keyup", name)


def arrow_presses(here_mm: float, there_mm: float, minus: str, plus: str, coarse_mm: float, fine_mm: float):
    """The arrow key names (Shift for the coarse step) that bring one coordinate from here to there."""
    distance = there_mm - here_mm
    name = plus if distance > 0 else minus
    coarse = int(abs(distance) // coarse_mm)
    fine = round((abs(distance) - coarse * coarse_mm) / fine_mm)
    return [f"shift+{name}"] * coarse + [name] * fine, here_mm + math.copysign(coarse * coarse_mm + fine * fine_mm,
                                                                                 distance)


def test_a_whole_practice_case_with_real_key_events_only(tmp_path, artifacts, library):
    cases, catalogue = library
    case = next(c for c in cases if c.id == CASE_ID)
    tp = next(t for t in case.trigger_points if t.activity == "active")
    region = case.body_region
    shots = artifacts / "keyboard"
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir()
    data = tmp_path / "data"

    with real_app(tmp_path, SIZE, {"XDG_DATA_HOME": str(data)}) as real:
        keys, fps_log, display = Keys(real.env), real.fps_log, real.display

        def shown(name: str, timeout_s: float = 60) -> None:
            wait_for(lambda: screen_of(fps_log) == name or real.process.poll() is not None, timeout_s,
                     f"the {name} screen")
            assert real.process.poll() is None, real.process.stderr.read().decode(errors="replace")[-2000:]

        def shot(name: str):
            return screenshot(display, shots / f"{name}.png")

        keys.run("windowfocus", "--sync", real.window)
        pygame.display.init()
        pygame.font.init()
        pygame.display.set_mode((64, 64))  # the same layout code the app runs, for where its buttons are
        rects, layout, _ = _control_rects(case, catalogue)
        shown("picker")
        # A new user: the guided case is offered first, its button focused (Enter would start it).
        details = PickerLayout.for_size(SIZE).details
        offer_edge = (details.x + 6, details.y + 24, 4, 104)
        wait_for(lambda: amber_pixels(shot("01_picker_offer"), offer_edge) > 150, 30, "the guided-case offer")
        # Choosing in the list takes the focus off the offer: down and back up, then Enter starts the case chosen.
        index = next(i for i, c in enumerate(cases) if c.id == CASE_ID)
        keys.press("Down", *["Down"] * index, "Up", *(["Up"] * index if index else []), *["Down"] * index)
        # The trainee id: Shift+Tab back from Start past "My attempts" to the field, type it, Enter starts.
        keys.press("shift+Tab", "shift+Tab", "shift+Tab")
        keys.run("type", "--delay", "60", TRAINEE)
        shot("01_picker_trainee")
        keys.press("Return")
        shown("procedure")
        # The first image is prepared in the background: wait for its speckle before going on.
        image = layout.ultrasound.inflate(-40, -120).move(0, layout.ultrasound.height // 4)
        wait_for(lambda: shot("02_case_open")[image.x:image.right, image.y:image.bottom].std() > 12, 60,
                 "the first ultrasound image")

        # Palpate with the keyboard finger: P, the arrows onto the spot, Space held, K marks, P away.
        keys.press("p")
        finger_x, finger_y = region.width_mm / 2, region.height_mm / 2
        walk_x, finger_x = arrow_presses(finger_x, tp.x_mm, "Left", "Right", COARSE_STEP_MM, STEP_MM)
        walk_y, finger_y = arrow_presses(finger_y, tp.y_mm, "Up", "Down", COARSE_STEP_MM, STEP_MM)
        assert math.dist((finger_x, finger_y), (tp.x_mm, tp.y_mm)) <= STEP_MM
        keys.press(*walk_x, *walk_y)
        keys.run("keydown", "space")
        time.sleep(HOLD_S)
        shot("02_palpating")
        keys.run("keyup", "space")
        keys.press("k")
        shot("03_marked")
        keys.press("p")

        def tab_until(on_target, what: str, most: int = 24) -> None:
            """Tab, as a user does, until the focus ring is where they want it (they look before each press)."""
            ring = ring_box(screenshot(display, tmp_path / "ring.png"))
            for _ in range(most):
                if ring is not None and on_target(ring):
                    return
                keys.press("Tab")
                before = ring
                ring = wait_for(lambda: (lambda now: now if now != before else None)(
                    ring_box(screenshot(display, tmp_path / "ring.png"))), 20, f"the focus ring to move towards {what}")
            raise AssertionError(f"Tab never brought the focus ring to {what}")

        # Consent: F2, the letters of the topics discussed, Tab to "Consent obtained", Enter.
        keys.press("F2")
        order = consent_order(case)
        keys.press(*(chr(ord("a") + order.index(t)) for t in applicable_consent_topics(case)))
        dialog = dialog_rect(SIZE, *ConsentDialog.size)
        tab_until(lambda ring: ring.right >= dialog.right - 40 and ring.bottom >= dialog.bottom - 60,
                  '"Consent obtained"')  # past Cancel
        shot("04_consent")
        keys.press("Return")

        # Prepare by Tab and Enter: Position, Skin prep, Take (the needle), Draw up; Esc drops the focus.
        for command in ("position", "skin_prep", "choose_needle", "select_agent"):
            tab_until(lambda ring, button=rects[command]: button.inflate(16, 16).contains(ring), f"the {command} button")
            if command == "select_agent":
                shot("05_draw_up_focused")
            keys.press("Return")
        keys.press("Escape")

        # Scan: slide the probe off the spot and back onto it with the arrows.
        start = Session(case, catalogue, SEED).state.probe
        away = ["shift+Left"] * 3
        back, probe_x = arrow_presses(start.x_mm - 3 * 5 * PROBE_STEP_MM, tp.x_mm, "Left", "Right",
                                      5 * PROBE_STEP_MM, PROBE_STEP_MM)
        along, probe_y = arrow_presses(start.y_mm, tp.y_mm, "Up", "Down", 5 * PROBE_STEP_MM, PROBE_STEP_MM)
        keys.press(*away, *back, *along)

        # The needle in plane: angle it at the spot (A/D), insert (N), advance (W), fast in-out (F).
        probe = start.__class__(probe_x, probe_y, start.heading_deg, start.pressure)
        plan = default_plan(probe, case.ultrasound.probe)
        horizontal = math.hypot(tp.x_mm - plan.x_mm, tp.y_mm - plan.y_mm)
        turns = round((math.degrees(math.atan2(tp.depth_mm, horizontal)) - plan.angle_deg) / NEEDLE_TURN_DEG)
        keys.press(*(["d"] if turns > 0 else ["a"]) * abs(turns), "n")
        # the tip starts at the skin: advance 1 mm a press to 4 mm short of the spot, then fast in-out
        advances = math.ceil(math.hypot(horizontal, tp.depth_mm) - 4)
        keys.press(*["w"] * advances, delay_ms=80)
        for _ in range(FAST_IN_OUT_TRIES):
            keys.press("f")
            time.sleep(0.3)  # a fast in-out takes its own time in the patient: one at a time
        shot("06_needle_in")

        # Aspirate, inject, needle out, aftercare (F11, the items' keys, Esc), End and Enter.
        keys.press("space", "i", "r", delay_ms=250)
        keys.press("F11")
        keys.press(*(AFTERCARE_KEYS[list(AFTERCARE).index(item)].lower() for item in expected_aftercare(case)))
        shot("07_aftercare")
        keys.press("Escape", "End")
        shot("08_finish_confirm")
        keys.press("Return")
        shown("debrief")
        wait_for(lambda: shot("09_debrief").std() > 20, 30, "the debrief to be drawn")
        # N ("next case") held a second: the key repeats, and none of it may reach the next case (N inserts there).
        keys.hold("n", 1.0)
        shown("procedure")
        keys.press("End")
        keys.press("Return")
        shown("debrief")
        keys.press("Escape")
        shown("picker")  # with an attempt stored, the normal picker: the offer is not pressed on the user again
        assert amber_pixels(shot("10_picker_after"), offer_edge) == 0

    store = open_store(f"sqlite:///{tmp_path / 'attempts.db'}", tmp_path / "signing.key")
    try:
        stored = {a.case_id: a for a in store.find(AttemptFilter(trainee_id=TRAINEE))}
    finally:
        store.close()
    next_id = cases[(index + 1) % len(cases)].id
    assert sorted(stored) == sorted([CASE_ID, next_id]), {k: [ln.get("type") for ln in a.replay] for k, a in stored.items()}
    attempt, after_n = stored[CASE_ID], stored[next_id]
    assert [line["type"] for line in after_n.replay[1:]] == ["finish"]  # the held N inserted nothing
    result = attempt.result
    by_id = {c["id"]: c for c in result["criteria"]}
    assert (attempt.mode, attempt.seed, attempt.trainee_id) == ("practice", SEED, TRAINEE)
    assert by_id["localization"]["points"] == by_id["localization"]["max"], by_id["localization"]["evidence"]
    assert result["passed"], [(c["id"], c["points"], c["max"], c["evidence"]) for c in result["criteria"]]
    typed = [line["type"] for line in attempt.replay if "type" in line]
    assert "palpate" in typed and "mark" in typed and "aftercare" in typed and typed[-1] == "finish"
