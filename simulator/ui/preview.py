"""`tpi-sim preview`: a window that follows a case file as its author edits it.

The file (and the agents catalogue it is checked against) is polled a few times a second
(scenario.watch); every save is loaded with the same loader `validate` uses. A case that
loads is drawn under a movable probe (render.preview); one that does not shows its problems
in the window, and the next good save brings the pictures back, at the same probe pose, so
the author can keep looking at the spot they are working on.

The window is driven by `frame(dt_s, events)`, which never flips the display: the real loop
(`run`) adds the flip and the pacing, and tests drive the same method headless. A held arrow or
Q / E repeats by the trainer's own key repeat (key_repeat.py), made at the frames the window
runs: the window's timer repeat would keep moving the probe while a reload stalls the loop.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pygame

from simulator import paths
from simulator.core.anatomy import AnatomyModel
from simulator.core.geometry import ProbePose
from simulator.core.ultrasound import ScanSettings, UltrasoundEngine
from simulator.render import palette as pal
from simulator.render.preview import PreviewLayout, PreviewPanels, draw_footer, draw_header, draw_problems
from simulator.scenario import CaseError
from simulator.scenario.loader import agents_file_for, open_case
from simulator.scenario.watch import FileWatcher
from simulator.ui.key_repeat import KeyRepeat, stop_window_repeat

IMAGE_PX = 384  # the preview's ultrasound frame: enough for the panel, cheap to redraw per probe move
STEP_MM, BIG_STEP_MM = 1.0, 5.0
TURN_DEG, FINE_TURN_DEG = 5.0, 1.0
FRAME_S = 1 / 30


@dataclass(frozen=True)
class LoadedCase:
    """A case that loaded, with what the pictures are made from."""

    case: object
    model: AnatomyModel
    engine: UltrasoundEngine
    settings: ScanSettings


def load_for_preview(path: Path, agents: Path | None, seed: int) -> LoadedCase | list[str]:
    """The case ready to draw, or its problems as `validate` prints them (one line each)."""
    try:
        _, case, _ = open_case(str(path), agents)
    except CaseError as exc:
        return [str(d) for d in exc.diagnostics]
    us = case.ultrasound
    try:
        model = AnatomyModel(case)
        settings = ScanSettings(depth_cm=us.depth_cm, gain_db=us.gain_db, freq_mhz=us.freq_mhz,
                                focus_cm=us.focus_cm or 0.0)
    except ValueError as exc:  # limits the schema does not know (too many muscles, scanner ranges)
        return [f"{path}:1:1: {exc}"]
    return LoadedCase(case, model, UltrasoundEngine(model, seed=seed, size_px=(IMAGE_PX, IMAGE_PX)), settings)


class PreviewWindow:
    """The preview's state and input handling, drawn into any surface (the window, or a test's)."""

    def __init__(self, path: Path, agents: Path | None, surface: pygame.Surface, seed: int = 0):
        self.path = Path(path)
        self.agents = Path(agents) if agents is not None else None
        self.surface = surface
        self.seed = seed
        self.fonts = pal.Fonts()
        self.layout = PreviewLayout.for_size(surface.get_size())
        self.loads = 0  # how many times the file was read (the header counts reloads)
        self.loaded: LoadedCase | None = None
        self.problems: list[str] = []
        self.pose: ProbePose | None = None
        self.running = True
        self._panels: PreviewPanels | None = None
        self._frame_key = None
        self._frame = None
        self._dragging = False
        self.key_repeat = KeyRepeat()
        self.watcher = FileWatcher(self._watched())
        self.reload()

    # ------------------------------------------------------------------ loading
    def _watched(self) -> list[Path]:
        """The case, the catalogue it is checked against, and the place a catalogue beside it would
        be (so one that appears there, or goes, is noticed like a save)."""
        catalogue = agents_file_for(self.path, self.agents)
        beside = self.path.parent / paths.AGENTS_FILE.name
        return list(dict.fromkeys([self.path, beside] + ([catalogue] if catalogue is not None else [])))

    def reload(self) -> None:
        """Read the file again: new pictures if it loads, its problems if not (the last pose is kept)."""
        self.loads += 1
        result = load_for_preview(self.path, self.agents, self.seed)
        self.watcher.watch(self._watched())  # an agents.yaml may have appeared or gone beside the case
        if isinstance(result, list):
            self.loaded, self.problems, self._panels = None, result, None
            return
        self.loaded, self.problems = result, []
        self._panels = PreviewPanels(result, self.fonts, self.layout)
        self._frame_key = None
        if self.pose is None:
            self._default_pose()
        else:
            self.place_probe(self.pose.x_mm, self.pose.y_mm, self.pose.heading_deg)  # the region may have shrunk

    @property
    def status(self) -> str:
        if self.loaded is None:
            return f"NOT LOADED: {len(self.problems)} problem{'s' if len(self.problems) != 1 else ''}"
        reloads = self.loads - 1
        return f"loaded{f' (reload {reloads})' if reloads else ''}"

    # ------------------------------------------------------------------ probe
    def place_probe(self, x_mm: float, y_mm: float, heading_deg: float) -> None:
        """Put the probe here (kept on the body region; 0.01 mm and 0.01 deg steps)."""
        region = self.loaded.case.body_region if self.loaded else None
        if region is not None:
            x_mm = min(max(x_mm, 0.0), region.width_mm)
            y_mm = min(max(y_mm, 0.0), region.height_mm)
        self.pose = ProbePose(round(x_mm, 2), round(y_mm, 2), round(heading_deg % 360.0, 2))

    def _default_pose(self) -> None:
        if self.loaded is not None:
            pose = self.loaded.case.body_region.default_probe
            self.place_probe(pose.x_mm, pose.y_mm, pose.heading_deg)

    def _move(self, dx: float, dy: float) -> None:
        if self.pose is not None:
            self.place_probe(self.pose.x_mm + dx, self.pose.y_mm + dy, self.pose.heading_deg)

    def _turn(self, ddeg: float) -> None:
        if self.pose is not None:
            self.place_probe(self.pose.x_mm, self.pose.y_mm, self.pose.heading_deg + ddeg)

    def _probe_to_px(self, pos) -> None:
        """Put the probe's centre where the mouse is on the body (ignored off the body)."""
        renderer = self._panels.palpation if self._panels is not None else None
        if renderer is None or not renderer.visible.collidepoint(pos):
            return
        x_mm, y_mm = renderer.view.clamp_mm(*renderer.view.to_mm(*pos))
        self.place_probe(x_mm, y_mm, self.pose.heading_deg)

    # ------------------------------------------------------------------ events
    def handle_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.QUIT:
            self.running = False
        elif event.type == pygame.VIDEORESIZE:
            self.resize((event.w, event.h))
        elif event.type == pygame.KEYDOWN:
            self._key(event)
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            self._dragging = True
            self._probe_to_px(event.pos)
        elif event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            self._dragging = False
        elif event.type == pygame.MOUSEMOTION and self._dragging:
            self._probe_to_px(event.pos)
        elif event.type == pygame.MOUSEWHEEL:
            self._turn(-event.y * TURN_DEG)

    def _key(self, event: pygame.event.Event) -> None:
        shift = bool(event.mod & pygame.KMOD_SHIFT)
        step = BIG_STEP_MM if shift else STEP_MM
        turn = FINE_TURN_DEG if shift else TURN_DEG
        moves = {pygame.K_LEFT: (-step, 0), pygame.K_RIGHT: (step, 0), pygame.K_UP: (0, -step),
                 pygame.K_DOWN: (0, step)}
        if event.key == pygame.K_ESCAPE:
            self.running = False
        elif event.key in moves:
            self._move(*moves[event.key])
        elif event.key == pygame.K_q:
            self._turn(-turn)
        elif event.key == pygame.K_e:
            self._turn(turn)
        elif event.key == pygame.K_r:
            self._default_pose()

    def resize(self, size: tuple[int, int]) -> None:
        window = pygame.display.get_surface()
        if window is not None and window.get_size() == tuple(size):
            self.surface = window
        self.layout = PreviewLayout.for_size(size)
        if self.loaded is not None:
            self._panels = PreviewPanels(self.loaded, self.fonts, self.layout)

    # ------------------------------------------------------------------ frame
    def _ultrasound_frame(self):
        """The engine's frame under the current pose, recomputed only when the pose or case changed."""
        key = (id(self.loaded), self.pose)
        if key != self._frame_key:
            self._frame = self.loaded.engine.frame(self.pose, self.loaded.settings)
            self._frame_key = key
        return self._frame

    def draw(self) -> pygame.Surface:
        surface = self.surface
        surface.fill(pal.BG)
        title = f"Preview: {self.path.name}"
        if self.loaded is not None:
            pose = self.pose
            title += (f"  |  case {self.loaded.case.id}  |  probe x {pose.x_mm:g}, y {pose.y_mm:g} mm, "
                      f"heading {pose.heading_deg:g} deg")
        draw_header(surface, self.layout, self.fonts, title, self.status, self.loaded is not None)
        if self.loaded is None:
            draw_problems(surface, self.layout, self.fonts, self.problems)
        else:
            self._panels.draw(surface, self.pose, self._ultrasound_frame())
        draw_footer(surface, self.layout, self.fonts)
        return surface

    def frame(self, dt_s: float, events=()) -> pygame.Surface:
        """Handle input (and the repeats of the keys still held), reload after a save, draw; no
        display flip (tests call this directly)."""
        for event in events:
            self.key_repeat.see(event)
            self.handle_event(event)
        for event in self.key_repeat.tick(dt_s, typing=False, adjusting=True):  # the arrows and Q / E
            self.handle_event(event)
        if self.watcher.tick(dt_s):
            self.reload()
        return self.draw()

    def run(self) -> int:
        """The real window's loop: about 30 frames a second, idle between them."""
        last = time.perf_counter()
        while self.running:
            now = time.perf_counter()
            self.frame(now - last, pygame.event.get())
            last = now
            pygame.display.flip()
            time.sleep(max(0.0, FRAME_S - (time.perf_counter() - now)))
        return 0


def open_window(size: tuple[int, int]) -> pygame.Surface:
    pygame.display.init()
    pygame.font.init()
    window = pygame.display.set_mode(size, pygame.RESIZABLE)
    pygame.display.set_caption("TPI Sim: case preview")
    stop_window_repeat()  # held keys repeat by the window's frames (PreviewWindow.frame)
    return window
