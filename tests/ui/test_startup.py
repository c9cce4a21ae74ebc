"""Start-up without a frozen window: light --help, kernels warmed in the background, screens that wait visibly.

The warm-up tasks here are real background threads; where a test must see the "still
preparing" state it hands the app a task that waits for the test's go-ahead, so what is on
screen does not depend on how fast this machine compiles.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import numpy as np
import pygame

from simulator.ui.warmup import BackgroundTask
from tests.ui.driving import wait

HEAVY = ("scipy", "numba", "pygame", "pygame_gui", "simulator.scenario", "numpy")


def modules_after(argv: list[str]) -> set[str]:
    """Top-level modules (and simulator.scenario) imported by `tpi-sim ARGV` in a fresh interpreter."""
    code = (
        "import sys\n"
        "from simulator.cli import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('\\n'.join(sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    return {m for m in done.stderr.split() if m in HEAVY}


def test_help_imports_no_heavy_module():
    for argv in (["--help"], ["play", "--help"], ["bench", "--help"], ["render", "--help"], ["validate", "--help"]):
        assert modules_after(argv) == set(), argv
    # the check can fail: a command that loads a case does import them
    assert "numpy" in modules_after(["inspect", "no-such-case-file.yaml", "1", "1"]) | modules_after(["validate", "."])


def held_task(release: threading.Event, fraction: float = 0.4) -> BackgroundTask:
    """A warm-up that reports `fraction` done and finishes only once `release` is set."""

    def work(progress):
        progress(fraction, "linear probe")
        release.wait(60)

    return BackgroundTask("held", work)


def info_pixels(surface, rect) -> int:
    """Pixels of the progress colour (palette INFO) inside a rect."""
    from simulator.render import palette as pal

    pixels = pygame.surfarray.array3d(surface.subsurface(rect)).reshape(-1, 3)
    return int(np.all(np.abs(pixels.astype(int) - pal.INFO) <= 2, axis=1).sum())


def test_picker_shows_the_warm_up_and_start_waits_for_it(make_app, artifacts):
    app = make_app()
    release = threading.Event()
    app.background, app.kernels = True, held_task(release)
    wait(app, 0.05)
    picker = app.screen
    d = picker.layout.details
    strip = pygame.Rect(d.x, picker.trainee_entry.rect.bottom, d.width, picker.start_button.rect.y
                        - picker.trainee_entry.rect.bottom)
    assert info_pixels(app.window, strip) > 50, "no 'preparing the ultrasound' line above Start"
    pygame.image.save(app.window, str(artifacts / "picker_warming.png"))

    picker.start()  # as the Start button does
    wait(app, 0.1)
    assert app.screen is picker and picker.pending_start is not None, "the case opened before the kernels were ready"
    centre = pygame.Rect(0, 0, 300, 60)
    centre.center = app.window.get_rect().center
    pygame.image.save(app.window, str(artifacts / "picker_start_waits.png"))
    grey = pygame.surfarray.array3d(app.window.subsurface(centre)).astype(float)
    assert grey.std() > 10, "no progress box in the middle of the window"

    release.set()
    assert app.kernels.wait(10)
    wait(app, 0.05)
    assert app.screen.name == "procedure"


def test_esc_cancels_a_waiting_start(make_app):
    app = make_app()
    release = threading.Event()
    app.background, app.kernels = True, held_task(release)
    app.screen.start()
    wait(app, 0.05)
    app.handle_event(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_ESCAPE, mod=0, unicode="", scancode=0))
    release.set()
    app.kernels.wait(10)
    wait(app, 0.05)
    assert app.screen.name == "picker" and app.screen.pending_start is None


def test_the_procedure_screen_answers_while_its_first_image_is_prepared(make_app, artifacts):
    app = make_app()
    release = threading.Event()
    app.background, app.kernels = True, held_task(release, 0.5)
    case = app.config.cases[0]
    start = time.perf_counter()
    app.start_case(case, "practice", "")
    wait(app, 0.5)  # 30 frames: the session's clock runs and input is handled meanwhile
    assert time.perf_counter() - start < 20, "the event loop waited for the image"
    screen = app.screen
    assert screen.name == "procedure"
    assert screen.ultrasound_pending() is not None, "the image was built on the UI thread"
    assert screen.state.time_s > 0.3, "the session did not advance while the image was prepared"
    pygame.image.save(app.window, str(artifacts / "procedure_preparing.png"))
    image_rect = screen.layout.ultrasound
    assert info_pixels(app.window, image_rect) == 0  # no image yet: the gauge (accent colour) instead
    task = screen.ultrasound_pending()
    release.set()
    assert task.wait(60) and task.error is None, task.error
    assert screen.ultrasound_pending() is None
    wait(app, 0.05)
    view = screen.view.ultrasound.image_view.rect
    pixels = pygame.surfarray.array3d(app.window.subsurface(view)).astype(float)
    assert pixels.std() > 15, "no ultrasound image once it was prepared"


def test_after_the_warm_up_no_kernel_compiles_on_first_use():
    """Every compiled kernel the engine can reach has its signatures after warm_up: a case with the
    other probe, a needle, injectate, twitch, Doppler and a pneumothorax compile nothing new."""
    import math

    from numba.core.registry import CPUDispatcher

    from simulator import paths
    from simulator.core.anatomy import AnatomyModel
    from simulator.core.geometry import NeedleGeometry, ProbePose
    from simulator.core.ultrasound import Bolus, ScanSettings, UltrasoundEngine
    from simulator.core.ultrasound.warmup import warm_up
    from simulator.scenario import load_case
    from simulator.scenario.loader import case_files

    files = case_files(paths.SCENARIOS_DIR)
    steps = []
    # warmed up on a case with no artery in view: the arterial pulse must be ready all the same
    warm_up(load_case(next(f for f in files if "levator" in f.name)), lambda fraction, what: steps.append(fraction))
    assert steps[0] == 0.0 and steps[-1] == 1.0 and steps == sorted(steps)

    def dispatchers():
        found = {}
        for name, module in list(sys.modules.items()):
            if name.startswith("simulator."):
                for attr, value in vars(module).items():
                    if isinstance(value, CPUDispatcher):
                        found[f"{name}.{attr}"] = len(value.signatures)
        return found

    before = dispatchers()
    for path in files[:: max(1, len(files) // 4)] + [f for f in files if "piriformis" in f.name]:
        case = load_case(path)
        engine = UltrasoundEngine(AnatomyModel(case), seed=3, size_px=(96, 80))
        pose = case.body_region.default_probe
        tp = case.trigger_points[0]
        h = math.radians(pose.heading_deg)
        needle = NeedleGeometry(tp.x_mm - 20 * math.cos(h), tp.y_mm - 20 * math.sin(h), 30.0, pose.heading_deg, 18.0)
        for doppler in (False, True):
            settings = ScanSettings(depth_cm=case.ultrasound.depth_cm, gain_db=case.ultrasound.gain_db,
                                    freq_mhz=case.ultrasound.freq_mhz, doppler=doppler)
            engine.frame(ProbePose(pose.x_mm, pose.y_mm, pose.heading_deg), settings, needle=needle,
                         boluses=[Bolus(tp.x_mm, tp.y_mm, tp.depth_mm, 0.3, "muscle")], twitch=0.6, time_s=0.4,
                         pneumothorax=doppler)
            at_systole = 0.12 / (case.patient.heart_rate_bpm / 60.0)  # an artery in view swells (s1 has one)
            engine.frame(ProbePose(pose.x_mm, pose.y_mm, pose.heading_deg), settings, time_s=at_systole)
    after = dispatchers()
    grew = {name: (before.get(name, 0), n) for name, n in after.items() if n > before.get(name, 0)}
    assert not grew, f"kernels compiled after the warm-up: {grew}"
    assert len(before) > 10  # the check sees the kernels at all
