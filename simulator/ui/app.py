"""The app: one window, one pygame_gui manager, one screen at a time, and the frame loop.

Each frame: events (widgets first, then the screen), update (the screen steps its Session
on the fixed tick), draw (screen, widgets, overlays). Screens call back into the app to
move on: picker -> procedure -> debrief -> retry / next case / replay.
"""

from __future__ import annotations

import json
import statistics
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pygame
import pygame_gui

from simulator.render import palette as pal
from simulator.render.palette import Fonts
from simulator.render.window_limits import MIN_SIZE, size_problem
from simulator.ui.dropdowns import close_on_reselect
from simulator.ui.focus import FocusRing
from simulator.ui.key_repeat import KeyRepeat, stop_window_repeat
from simulator.ui.pacer import FRAME_RATE_HZ, FramePacer
from simulator.ui.screen_help import ScreenHelp
from simulator.ui.present import Presenter
from simulator.ui.sound import SoundCues
from simulator.ui.startup_probe import StartupProbe, frame_shows
from simulator.ui.theme import load_theme
from simulator.ui import warmup
from simulator.ui.background import BackgroundTask
from simulator.ui.ui_scale import effective_scale, logical_size, to_logical


@dataclass
class AppConfig:
    cases: list
    catalogue: object
    db_url: str | None = None  # the attempt store (records.store.open_store): None = TPI_SIM_DB, else SQLite
    key_file: Path | None = None  # the signing key (None: TPI_SIM_KEY, else the user config folder)
    mode: str = "practice"  # practice | assessment | exam
    trainee: str = ""
    size: tuple[int, int] = (1280, 800)
    seed: int | None = None  # None: a fresh seed per attempt (it is saved in the replay)
    sound: bool = True
    start_case: str | None = None  # case id to open straight away
    replay: Path | None = None  # replay file to open in the viewer
    fps_log: Path | None = None  # append one JSON line per second: screen, fps, median work ms
    exam: object | None = None  # a LoadedExam (tpi-sim exam run): the exam's screens instead of the picker
    guide_file: Path | None = None  # the guided case's progress (None: no guided case offered)
    ui_scale: float = 1.0  # text and layout scale (ui_scale.AUTO: follow the window); see ui/user_settings.py
    reduce_motion: bool = False  # no shaking drawing for the jump sign
    more_cases: Callable[[], list] | None = None  # the rest of the library, loaded after the first case opened
    extra: dict = field(default_factory=dict)


def set_minimum_size(size: tuple[int, int]) -> None:
    """Ask the window manager not to let the window shrink below `size` (the layouts' minimum)."""
    with warnings.catch_warnings():  # the display-module window is the one set_mode made
        warnings.simplefilter("ignore", DeprecationWarning)
        pygame.Window.from_display_module().minimum_size = size


class FpsLog:
    """Frames per second in the real window, one JSON line per second of wall time (for tuning)."""

    def __init__(self, path: Path):
        self.file = open(path, "a", encoding="utf-8")  # noqa: SIM115 - closed in close()
        self.start = time.perf_counter()
        self.work_s: list[float] = []

    def frame(self, screen: str, work_s: float) -> None:
        self.work_s.append(work_s)
        elapsed = time.perf_counter() - self.start
        if elapsed >= 1.0:
            line = {"screen": screen, "fps": round(len(self.work_s) / elapsed, 2),
                    "work_ms_median": round(1000 * statistics.median(self.work_s), 3)}
            self.file.write(json.dumps(line) + "\n")
            self.file.flush()
            self.start, self.work_s = time.perf_counter(), []

    def close(self) -> None:
        self.file.close()


class App:
    def __init__(self, config: AppConfig):
        self.config = config
        problem = size_problem(*config.size)
        if problem:
            raise ValueError(problem)
        pygame.display.init()
        pygame.font.init()
        self.display = pygame.display.set_mode(config.size, pygame.RESIZABLE)
        set_minimum_size(MIN_SIZE)
        pygame.display.set_caption("TPI Sim")
        stop_window_repeat()  # the app makes its own repeats, frame by frame (key_repeat.py)
        self.key_repeat = KeyRepeat()
        self.scale = 1.0
        self.window = self.display  # what the screens draw on: the display, or a smaller canvas when scaled
        self.manager = pygame_gui.UIManager(config.size, load_theme())
        self._apply_scale(config.size)
        self.fonts = Fonts()
        self.sound = SoundCues(enabled=config.sound)
        self.focus = FocusRing()
        self.screen_help = ScreenHelp()  # F1 on the screens without a help of their own
        self.keys_from_before: set[int] = set()  # keys held down while the screen changed (see handle_event)
        self.running = True
        self.last_result: dict | None = None
        # heavy work (compiling the ultrasound kernels, a case's first image) runs in background threads
        # once the window loop runs (start_background); driven frame by frame (tests), it runs in line
        self.background = False
        self.kernels = None  # the kernel warm-up task
        self._library = None  # the task loading the rest of the case library (config.more_cases)
        self.screen = None
        self._store = None
        self._open_first_screen()

    def start_background(self) -> None:
        """Warm every ultrasound kernel in a background thread (the picker shows the progress) and let
        screens prepare their images off the UI thread from now on."""
        from simulator.ui.warmup import use_disk_caches, warm_kernels

        use_disk_caches()
        self.background = True
        if self.config.cases and self.kernels is None:
            self.kernels = warm_kernels(self.config.cases[0])
        if self.config.more_cases is not None and self._library is None:
            self._library = BackgroundTask("case-library", self._load_library)

    def _load_library(self, progress) -> None:
        """The rest of the library (`play CASE` opened its case first), after the kernels: not in their way."""
        if self.kernels is not None:
            self.kernels.wait()
        loader, self.config.more_cases = self.config.more_cases, None
        known = {case.id for case in self.config.cases}
        self.config.cases.extend(case for case in loader() if case.id not in known)

    def complete_library(self) -> list:
        """Every case, once the deferred rest of the library is in (screens that list or pick cases ask)."""
        if self._library is not None:
            self._library.wait()
            if self._library.error:
                raise RuntimeError(f"loading the case library failed: {self._library.error}")
        elif self.config.more_cases is not None:  # driven frame by frame: load it now
            self._load_library(None)
        return self.config.cases

    @property
    def size(self) -> tuple[int, int]:
        """The logical window size the screens lay out for (the display's size unless scaled)."""
        return self.window.get_size()

    def _apply_scale(self, display_size: tuple[int, int]) -> None:
        self.scale = effective_scale(self.config.ui_scale, display_size)
        if self.scale == 1.0:
            self.window = self.display
        else:
            self.window = pygame.Surface(logical_size(display_size, self.scale)).convert()
        self.manager.set_window_resolution(self.window.get_size())
        self.manager.mouse_pos_scale_factor = [1 / self.scale, 1 / self.scale]

    # ------------------------------------------------------------------ navigation
    def switch(self, screen) -> None:
        if self.screen is not None:
            self.screen.close()
        self.screen = screen
        self.focus.focused = None
        self.screen_help.visible = False
        self.keys_from_before = set(self.key_repeat.held)  # the keys pressed and not yet released

    def _open_first_screen(self) -> None:
        from simulator.ui.screens.picker import PickerScreen

        if self.config.exam is not None:
            from simulator.ui.exam_flow import ExamFlow

            ExamFlow(self, self.config.exam).start()
        elif self.config.replay is not None:
            self.open_replay(self.config.replay)
        elif self.config.start_case:
            case = next(c for c in self.config.cases if c.id == self.config.start_case)
            self.start_case(case, self.config.mode, self.config.trainee)
        else:
            self.switch(PickerScreen(self))

    def attempt_store(self):
        """The attempt store (records.store), opened on first use; StoreError says why it cannot be."""
        if self._store is None:
            from simulator.records.store import open_store

            self._store = open_store(self.config.db_url, self.config.key_file)
        return self._store

    def new_seed(self, mode: str = "practice") -> int:
        """--seed; else for practice the seed reserved a launch ahead with its tables ready (seed_reserve.py),
        else a fresh one. A scored attempt (assessment) always draws a fresh seed: the reserved one sat in
        the user cache folder before the attempt, where a candidate could learn its speckle."""
        from simulator.ui import seed_reserve

        if self.config.seed is not None:
            return self.config.seed
        return seed_reserve.new_seed() if mode == "practice" else seed_reserve.fresh_seed()

    def show_picker(self, selected_case=None) -> None:
        from simulator.ui.screens.picker import PickerScreen

        self.complete_library()
        index = self.config.cases.index(selected_case) if selected_case in self.config.cases else 0
        self.switch(PickerScreen(self, index))

    def start_case(self, case, mode: str, trainee: str = "") -> None:
        from simulator.ui.screens.procedure import ProcedureScreen

        self.config.mode, self.config.trainee = mode, trainee
        self.switch(ProcedureScreen(self, case, mode, trainee, self.new_seed(mode)))

    def start_guided(self) -> None:
        """The guided first case: resumed where it was left, or from the start (also after it was completed)."""
        from simulator.core.coaching.tutorial import GUIDED_CASE_ID
        from simulator.ui.guide_store import load_progress
        from simulator.ui.screens.tutorial import TutorialScreen

        case = next((c for c in self.complete_library() if c.id == GUIDED_CASE_ID), None)
        if case is None:
            return
        saved = load_progress(self.config.guide_file)
        if saved is not None and saved[0] == case.id and not saved[3]:
            self.switch(TutorialScreen(self, case, saved[1], saved[2]))
        else:
            self.switch(TutorialScreen(self, case, self.new_seed()))

    def show_debrief(self, case, session, timed, saved: dict | None = None, mode: str = "practice") -> None:
        from simulator.ui.screens.debrief import DebriefScreen

        self.switch(DebriefScreen(self, case, session, timed, saved or {}, mode))

    def next_case(self, case) -> None:
        cases = self.complete_library()
        index = (cases.index(case) + 1) % len(cases) if case in cases else 0
        self.start_case(cases[index], self.config.mode, self.config.trainee)

    def open_replay(self, path_or_data, back_to=None) -> None:
        """The replay viewer; closing it returns to `back_to` (the debrief that opened it) when given."""
        from simulator.ui.screens.replay import ReplayScreen

        self.complete_library()  # the replay names its case by id
        self.switch(ReplayScreen(self, path_or_data, back_to))

    def reopen(self, screen) -> None:
        """Show a screen that was closed earlier (its widgets are rebuilt for the current window size)."""
        screen.build(self.size)
        self.switch(screen)

    # ------------------------------------------------------------------ frame
    def handle_event(self, event: pygame.event.Event) -> None:
        """One event to the widgets and the screen. Scaled, pygame_gui takes the display's mouse
        positions (it scales them itself) and the screen the logical ones."""
        raw, event = event, to_logical(event, self.scale)
        self.key_repeat.see(event)
        if event.type == pygame.QUIT:
            keeps_open = getattr(self.screen, "on_quit", None)  # an exam case asks to finish first
            if keeps_open is None or not keeps_open():
                self.running = False
            return
        if event.type == pygame.VIDEORESIZE:
            self.resize((event.w, event.h))
            return
        if self._held_over(event):
            return
        if self.screen_help.handle(event, getattr(self.screen, "help_groups", None)):
            return
        if event.type == pygame.KEYDOWN:
            used, produced = self.focus.handle(event, self.screen.focus_order(), self.manager)
            if used:  # Tab moved the focus, or a key acted on the focused widget (as a click would)
                for made in produced:
                    self.handle_event(made)
                return
        elif event.type == pygame.MOUSEBUTTONDOWN:
            self.focus.focused = None  # the mouse took over
        if event.type == pygame.KEYDOWN and event.key == pygame.K_m and not self._typing():
            self.sound.toggle()
        consumed = self.manager.process_events(raw)
        if close_on_reselect(event, self.manager.get_root_container().elements):
            return
        self.screen.handle_event(event, consumed)

    def _held_over(self, event) -> bool:
        """True for a key event of a key that was already down when the screen changed: the new screen
        ignores it until the key is released. Why: a key held a little long repeats (key_repeat.py),
        and the key that left one screen must not act on the next, e.g. N ("next case" on
        the debrief) held into the next case would insert the needle there at once."""
        if event.type == pygame.KEYDOWN:
            return event.key in self.keys_from_before
        if event.type == pygame.KEYUP:
            if event.key in self.keys_from_before:
                self.keys_from_before.discard(event.key)
                return True
        return False

    def repeat_keys(self, dt_s: float) -> None:
        """After a frame's events: the repeats of the keys still held (key_repeat.py says which)."""
        adjusting = bool(getattr(self.screen, "adjusts_by_key", False))
        for event in self.key_repeat.tick(dt_s, self._typing(), adjusting):
            self.handle_event(event)

    def _typing(self) -> bool:
        focused = self.manager.get_focus_set()
        return any(isinstance(w, pygame_gui.elements.UITextEntryLine) for w in (focused or ()))

    def resize(self, size: tuple[int, int]) -> None:
        """Lay the screen out for a new size; a window manager that ignores the minimum is held to it."""
        size = (max(size[0], MIN_SIZE[0]), max(size[1], MIN_SIZE[1]))
        self.display = pygame.display.set_mode(size, pygame.RESIZABLE)
        set_minimum_size(MIN_SIZE)
        self._apply_scale(size)
        self.screen.resize(self.size)

    def update(self, dt_s: float) -> None:
        self.screen.update(dt_s)
        self.manager.update(dt_s)

    def draw(self) -> pygame.Surface:
        if not getattr(self.screen, "covers_window", False):
            self.window.fill(pal.BG)
        self.screen.draw(self.window)
        self.manager.draw_ui(self.window)
        self.focus.draw(self.window)
        self.screen.draw_overlay(self.window)
        self.screen_help.draw(self.window, self.fonts, getattr(self.screen, "help_groups", None),
                              f"{self.screen.name.capitalize()}: keys")
        if self.window is not self.display:  # scaled: the logical frame enlarged onto the display
            pygame.transform.smoothscale(self.window, self.display.get_size(), self.display)
        return self.window

    def frame(self, dt_s: float, events=()) -> None:
        """One frame without the display flip (tests and the benchmark drive the app this way)."""
        for event in events:
            self.handle_event(event)
        self.repeat_keys(dt_s)
        self.update(dt_s)
        self.draw()

    def run(self) -> int:
        self.start_background()
        pacer = FramePacer(FRAME_RATE_HZ)
        meter = FpsLog(self.config.fps_log) if self.config.fps_log else None
        presenter = Presenter()
        probe = StartupProbe.from_env()  # tpi-sim bench --startup: log when the first frames were shown
        while self.running:
            dt_s = pacer.wait()
            start = time.perf_counter()
            for event in pygame.event.get():
                self.handle_event(event)
            self.repeat_keys(dt_s)
            self.update(dt_s)
            shows = frame_shows(self.screen) if probe is not None else None
            self.draw()
            presenter.present(self.display)
            if probe is not None and probe.presented(shows) and not warmup.busy():
                self.running = False  # the benchmark's launch is over once the background work is done too
            if meter is not None:
                meter.frame(self.screen.name, time.perf_counter() - start)
        if meter is not None:
            meter.close()
        self.close()
        return 0

    def close(self) -> None:
        if self.screen is not None:
            self.screen.close()
        if self._store is not None:
            self._store.close()
        self.sound.close()
        pygame.quit()
