"""A new user completes the guided first case in a real X window, by real input events only.

Xvfb, and xdotool for the mouse and the keys (XTEST: the same path as a person's hands). The
app starts with an empty user data folder (XDG_DATA_HOME), so the picker offers the guided case
first; G starts it. Each step's instruction card and highlighted control are saved as a
screenshot in test-artifacts/guided/ (NN_step.png). The test knows a step is done from the
progress file the app writes at each step, never from a guess at wall time.
"""

import json
import math
import shutil
import subprocess
import time

import numpy as np
import pygame
import pygame_gui

from simulator.core.aftercare import AFTERCARE, expected_aftercare
from simulator.core.coaching.steps import STEP_IDS
from simulator.core.geometry import ProbePose
from simulator.core.preparation import applicable_consent_topics
from simulator.render import palette as pal
from simulator.render.layout import PickerLayout, ProcedureLayout
from simulator.render.palpation import PalpationRenderer
from simulator.ui.care_items import AFTERCARE_KEYS
from simulator.ui.context import Choices, default_plan
from simulator.ui.screens.consent_dialog import consent_order
from simulator.ui.screens.procedure_widgets import build_widgets
from simulator.ui.theme import load_theme
from tests.ui.xwindow import real_app, screenshot, wait_for

SIZE = (1280, 800)
CASE_ID = "s1_upper_trapezius_thin"


class Window:
    """xdotool on one window: real pointer and key events through XTEST."""

    def __init__(self, window: str, env: dict):
        self.window, self.env = window, env

    def run(self, *args):
        subprocess.run(["xdotool", *args], env=self.env, check=True, timeout=20, capture_output=True)

    def keys(self, *names, pause_s=0.15):
        for name in names:
            self.run("key", "--delay", "30", name)
            time.sleep(pause_s)

    def at(self, pos, *then):
        self.run("mousemove", "--window", self.window, str(pos[0]), str(pos[1]), *then)


def _highlight_pixels(pixels: np.ndarray, rect: pygame.Rect, width=8) -> int:
    """Pixels of the highlight colour in the band just outside `rect` (pixels indexed [x, y])."""
    outer = rect.inflate(2 * width, 2 * width)
    band = pixels[outer.x:outer.right, outer.y:outer.bottom].copy()
    band[width:-width, width:-width] = 0
    return int(np.all(np.abs(band - np.array(pal.WARN)) < 3, axis=2).sum())


def _control_rects(case, catalogue) -> dict:
    """Where the procedure screen puts each control at this size: the same layout code the app runs."""
    layout = ProcedureLayout.for_size(SIZE)
    manager = pygame_gui.UIManager(SIZE, load_theme())
    from simulator.render.palette import Fonts

    fonts = Fonts()
    agent = case.agent_policy.preferred[0].agent
    widgets = build_widgets(manager, layout, catalogue, Choices(position=case.patient.position, agent_id=agent), case,
                            fonts)
    rects = {command: button.rect.copy() for button, command in widgets.buttons.items()}
    palpation = PalpationRenderer(case, fonts, layout.palpation_box, show_muscles=True)
    return rects, layout, palpation.view


def test_a_new_user_completes_the_guided_case_with_real_input(tmp_path, artifacts, library):
    cases, catalogue = library
    case = next(c for c in cases if c.id == CASE_ID)
    pygame.display.init()
    pygame.font.init()
    pygame.display.set_mode((64, 64))
    rects, layout, drawing = _control_rects(case, catalogue)
    shots = artifacts / "guided"
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir()

    data = tmp_path / "data"
    with real_app(tmp_path, SIZE, {"XDG_DATA_HOME": str(data)}) as real:
        display, fps_log = real.display, real.fps_log
        win = Window(real.window, real.env)
        win.run("windowfocus", "--sync", win.window)
        wait_for(lambda: fps_log.exists() and fps_log.stat().st_size > 0, 60, "the picker's first frames")

        # The picker offers the guided case first to a new user: its box and button sit above the case details.
        picker = PickerLayout.for_size(SIZE)
        offer = pygame.Rect(picker.details.x + 8, picker.details.y + 28, picker.details.width - 16, 96)
        # (it appears once the app has found no stored attempt: the store is asked in the background)
        wait_for(lambda: _highlight_pixels(screenshot(display, shots / "00_picker_offer.png"), offer.inflate(-4, -4),
                                           width=4) > 300, 30, "the guided-case offer on the picker")

        progress_file = data / "tpi-sim" / "guided.json"

        def progress():
            try:
                return json.loads(progress_file.read_text())
            except (OSError, ValueError):
                return {}

        def wait_step(step_id, what, timeout_s=30):
            wait_for(lambda: progress().get("step") == step_id, timeout_s, what)

        def retry_until_step(step_id, act, what):
            for attempt in range(3):
                act()
                try:
                    return wait_step(step_id, what, timeout_s=10 if attempt < 2 else 30)
                except AssertionError:
                    if attempt == 2:
                        raise

        def press_until_step_changes(step_id, key, most, pause_s):
            for _ in range(most):
                if progress().get("step") != step_id:
                    return
                win.keys(key, pause_s=pause_s)

        def shot(step_id, control: pygame.Rect):
            """Screenshot of the step: its instruction card (amber, on top of the image) and its control lit."""
            path = shots / f"{STEP_IDS.index(step_id) + 1:02d}_{step_id}.png"
            card = pygame.Rect(layout.ultrasound.x + 12, layout.ultrasound.y + 42, layout.ultrasound.width - 24, 40)

            def shown():  # the window has drawn this step: its card is up and its control lit
                pixels = screenshot(display, path)
                amber = np.all(np.abs(pixels[card.x:card.right, card.y:card.bottom] - np.array(pal.WARN)) < 3, axis=2)
                return amber.mean() > 0.5 and _highlight_pixels(pixels, control) > 150

            wait_for(shown, 30, f"step {step_id}'s instruction card and its highlighted control")

        win.keys("g")
        wait_step("find", "the guided case to start")
        tp = next(t for t in case.trigger_points if t.activity == "active")
        spot = drawing.to_px(tp.x_mm, tp.y_mm)
        shot("find", layout.palpation_box)
        # A person whose click did not take clicks again: the mouse steps are tried up to three times.
        retry_until_step("mark", lambda: win.at(spot, "mousedown", "1", "sleep", "1.6", "mouseup", "1"),
                         "the tender spot to be found")  # press and hold on the spot
        shot("mark", layout.palpation_box)
        retry_until_step("consent", lambda: win.at(spot, "click", "3"), "the mark")
        shot("consent", rects["consent"])
        win.keys("F2")
        order = consent_order(case)
        win.keys(*(chr(ord("a") + order.index(t)) for t in applicable_consent_topics(case)), "Return")
        for step_id, keys, command in (("position", "F3", "position"), ("skin_prep", "F4", "skin_prep"),
                                       ("needle", "F5", "choose_needle"), ("draw_up", "F7", "select_agent")):
            wait_step(step_id, f"the {step_id} step")
            shot(step_id, rects[command])
            win.keys(keys)
        # The probe starts over the spot in this case, so the scan step is already done: put it on the mark anyway.
        wait_step("insert", "the insert step")
        win.at(spot, "keydown", "ctrl", "click", "1", "keyup", "ctrl")
        shot("insert", rects["insert"])
        probe = ProbePose(*drawing.to_mm(*spot), heading_deg=case.body_region.default_probe.heading_deg)
        plan = default_plan(probe, case.ultrasound.probe)
        target_deg = math.degrees(math.atan2(tp.depth_mm, math.hypot(tp.x_mm - plan.x_mm, tp.y_mm - plan.y_mm)))
        presses = round((target_deg - plan.angle_deg) / 2)
        win.keys(*(["d"] if presses > 0 else ["a"]) * abs(presses), "n")
        wait_step("advance", "the needle to go in")
        shot("advance", rects["advance"])
        press_until_step_changes("advance", "w", 60, pause_s=0.2)
        wait_step("twitch", "the tip to reach the spot")
        shot("twitch", rects["fast_in_out"])
        press_until_step_changes("twitch", "f", 12, pause_s=0.5)
        for step_id, keys, command in (("aspirate", "space", "aspirate"), ("inject", "i", "inject"),
                                       ("remove", "r", "remove_needle"), ("aftercare", "F11", "aftercare")):
            wait_step(step_id, f"the {step_id} step")
            shot(step_id, rects[command])
            win.keys(keys)
        items = [AFTERCARE_KEYS[list(AFTERCARE).index(item)].lower() for item in expected_aftercare(case)]
        win.keys(*items, "Escape")
        wait_step("finish", "the aftercare")
        shot("finish", rects["finish"])
        win.keys("End", "Return")
        wait_for(lambda: progress().get("completed") is True, 30, "the guided case to be completed")
        try:
            wait_for(lambda: screenshot(display, shots / f"{len(STEP_IDS) + 1:02d}_debrief.png").std() > 20, 30,
                     "the debrief to be drawn")
        except AssertionError as exc:
            ended = real.process.poll()
            raise AssertionError(f"{exc}; the app {'exited with ' + str(ended) if ended is not None else 'runs'}: "
                                 f"{real.process.stderr.read().decode(errors='replace')[-2000:] if ended is not None else ''}")

        real.process.terminate()
        assert real.process.wait(timeout=30) == 0, real.process.stderr.read().decode(errors="replace")[-2000:]
        saved = progress()
        assert saved["step"] == "done" and saved["case"] == CASE_ID
