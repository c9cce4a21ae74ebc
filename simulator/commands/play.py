"""`tpi-sim play [CASE] [--replay FILE] [--mode practice|assessment] [--trainee ID] [--db URL] [--key FILE] [--size WxH]
[--seed N] [--mute] [--fps-log FILE]`.

Opens the trainer window: the case picker, or straight into CASE (a case file or id), or
the replay viewer with --replay. `tpi-sim` with no command runs this.
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import sys
from pathlib import Path

from simulator.commands import AGENTS_HELP, add_store_arguments
from simulator.commands.errors import failing, open_or_report, report_problems
from simulator.render.window_limits import size_problem


def _size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d+)\s*[xX\u00d7]\s*(\d+)\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT such as 1280x800, got {text!r}")
    w, h = int(match.group(1)), int(match.group(2))
    if not (640 <= w <= 7680 and 480 <= h <= 4320):  # any window (tpi-sim preview shares this parser)
        raise argparse.ArgumentTypeError(f"window size {w}x{h} is outside 640x480 .. 7680x4320")
    return w, h


def _scale(text: str) -> float:
    from simulator.ui.user_settings import parse_scale

    try:
        return parse_scale(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("case", nargs="?", metavar="CASE", help="a case file or id to open straight away")
    parser.add_argument("--agents", metavar="PATH", help=AGENTS_HELP)
    parser.add_argument("--replay", metavar="FILE", help="watch a saved replay (.jsonl)")
    parser.add_argument("--mode", choices=("practice", "assessment"), default="practice",
                        help="practice gives hints; assessment saves a scored result and replay")
    parser.add_argument("--trainee", default="", help="trainee id (required to start an assessment; keeps practice attempts)")
    add_store_arguments(parser)
    parser.add_argument("--size", type=_size, default=(1280, 800), metavar="WxH", help="window size (default 1280x800)")
    parser.add_argument("--seed", type=int, default=None, help="fixed random seed (default: a new one per attempt)")
    parser.add_argument("--mute", action="store_true", help="start with sound off")
    parser.add_argument("--ui-scale", type=_scale, metavar="SCALE",
                        help="text and layout scale: auto (follow the window), 1, 1.1, 1.25 or 1.5; remembered")
    parser.add_argument("--reduce-motion", action=argparse.BooleanOptionalAction, default=None,
                        help="no shaking drawing for the jump sign (a label says it); remembered")
    parser.add_argument("--settings", metavar="FILE",
                        help="the settings file that remembers --ui-scale and --reduce-motion "
                             "(default: settings.json in the user config folder)")
    parser.add_argument("--fps-log", metavar="FILE",
                        help="append the frame rate once a second as JSON lines (also: TPI_SIM_FPS_LOG=FILE)")


HEADLESS_DRIVERS = ("offscreen", "dummy")
DISPLAY_HINT = "set DISPLAY to a running X server (or start it from a desktop session), or SDL_VIDEODRIVER=dummy for headless use"


_error = failing("play")


def build_config(args: argparse.Namespace):
    """The trainer's AppConfig from the command line, or an exit status after printing why not.

    `play FILE` plays that file: a shipped case with the same id is replaced by it, not preferred.
    A case whose agents come from another catalogue (--agents, or an agents.yaml beside it) is
    offered alone: the shipped cases name agents of the shipped catalogue.
    """
    from simulator import paths
    from simulator.scenario import CaseError, load_agents, load_library
    from simulator.scenario.loader import agents_file_for, find_case_file, open_case

    start, more = None, None
    if args.case and find_case_file(args.case) is None:
        return _error(f"{args.case}: no such case file, and no case with this id in the scenarios folder")
    try:
        if args.case:
            path, case, catalogue = open_case(args.case, args.agents)
            own = agents_file_for(path, args.agents)
            shipped = own is not None and own.resolve() == paths.AGENTS_FILE.resolve()
            cases = [case]
            if shipped:  # the rest of the library after the case has opened (a third of a second less to wait)
                more = functools.partial(load_library, catalogue=catalogue)
            start = case.id
        else:
            catalogue = load_agents(args.agents) if args.agents else load_agents()
            cases = load_library(catalogue=catalogue)
    except CaseError as exc:
        return report_problems(exc)
    replay = Path(args.replay) if args.replay else None
    if replay is not None:
        from simulator.records import read_replay

        if open_or_report(read_replay, replay, say=_error) is None:
            return 1
    size_message = size_problem(*args.size)  # the trainer's screens are laid out from 1024x640 up
    if size_message:
        return _error(size_message)
    if args.seed is not None and args.seed < 0:
        return _error(f"--seed must be 0 or more, got {args.seed}")
    if args.trainee:
        from simulator.records.attempt import check_trainee_id

        try:
            args.trainee = check_trainee_id(args.trainee)
        except ValueError as exc:
            return _error(f"--trainee: {exc}")
    fps_log = args.fps_log or os.environ.get("TPI_SIM_FPS_LOG") or None
    if fps_log:
        try:
            Path(fps_log).open("a", encoding="utf-8").close()
        except OSError as exc:
            return _error(f"cannot write the fps log {fps_log}: {exc.strerror or exc}")
    settings = _settings(args)
    if isinstance(settings, int):
        return settings
    from simulator.ui.app import AppConfig
    from simulator.ui.guide_store import default_guide_file

    return AppConfig(cases=cases, catalogue=catalogue, db_url=args.db, key_file=Path(args.key) if args.key else None, mode=args.mode, trainee=args.trainee,
                     size=args.size, seed=args.seed, sound=not args.mute, start_case=start, replay=replay,
                     fps_log=Path(fps_log) if fps_log else None, ui_scale=settings.ui_scale, guide_file=default_guide_file(),
                     reduce_motion=settings.reduce_motion, more_cases=more)


def _settings(args: argparse.Namespace):
    """The remembered display settings, changed and saved when --ui-scale or --reduce-motion is given."""
    from dataclasses import replace

    from simulator.ui.user_settings import default_settings_file, load_settings, save_settings

    path = Path(args.settings) if args.settings else default_settings_file()
    settings = load_settings(path)
    changes = {name: value for name, value in (("ui_scale", args.ui_scale), ("reduce_motion", args.reduce_motion))
               if value is not None}
    if changes:
        settings = replace(settings, **changes)
        try:
            save_settings(settings, path)
        except OSError as exc:
            return _error(f"cannot save the settings to {path}: {exc.strerror or exc}")
    return settings


def display_problem() -> str | None:
    """Why no window can be shown, or None. With no display SDL quietly falls back to a driver
    that draws nowhere, and the trainer would run unseen until killed: say so instead, unless
    that driver is what SDL_VIDEODRIVER asked for."""
    asked = [name.strip() for name in os.environ.get("SDL_VIDEODRIVER", "").split(",") if name.strip()]
    if sys.platform.startswith(("linux", "freebsd")) and not asked and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):  # said before SDL probes the drivers and prints its own noise
        return f"no display found (neither DISPLAY nor WAYLAND_DISPLAY is set); {DISPLAY_HINT}"
    import pygame

    try:
        pygame.display.init()
    except pygame.error as exc:
        return f"cannot open a window ({exc}); {DISPLAY_HINT}"
    driver = pygame.display.get_driver()
    if driver in HEADLESS_DRIVERS and driver not in asked:
        pygame.display.quit()
        return f"no display found (SDL fell back to its '{driver}' driver, which shows nothing); {DISPLAY_HINT}"
    return None


def run(args: argparse.Namespace) -> int:
    config = build_config(args)
    if isinstance(config, int):
        return config
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    problem = display_problem()
    if problem:
        return _error(problem)
    from simulator.ui import warmup

    warmup.use_disk_caches()  # before the first attempt picks its seed (seed_reserve.py)
    if config.cases and config.replay is None and config.exam is None:
        # kernels load on the other core while the window opens (the case's first image before the rest)
        warmup.warm_kernels(config.cases[0], image_first=config.start_case is not None)
    return run_app(config, _error)


def run_app(config, fail) -> int:
    """Open the trainer window for `config` and run it; a window that cannot be opened is one
    line through `fail` (the command's error printer) instead of a traceback."""
    from simulator.ui.app import App

    try:
        app = App(config)
    except Exception as exc:
        import pygame

        if isinstance(exc, pygame.error) and pygame.display.get_surface() is None:
            return fail(f"cannot open a window ({exc}); {DISPLAY_HINT}")
        raise  # anything else is a bug, not a missing display: do not blame the display for it
    return app.run()
