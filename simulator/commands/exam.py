"""`tpi-sim exam run EXAM.yaml [--db URL] [--key FILE] [--size WxH] [--mute] [--fps-log FILE]`: run an exam in the trainer window.

The exam file is checked first (as `tpi-sim validate` would: every problem, line:col), and
the attempt store is opened before the window, so a candidate never starts an exam whose
cases could not be saved. The window then shows the exam's screens (ui/exam_flow.py). Run
again after an interruption, the same command offers the same candidate to resume the sitting
at its first unsaved case.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from simulator.commands import add_store_arguments
from simulator.commands.play import DISPLAY_HINT, _size, display_problem


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="exam_command", metavar="run", required=True, parser_class=type(parser))
    run_parser = sub.add_parser("run", help="run an exam: candidate id, the cases in turn, the result",
                                description="Run an exam: candidate id, the cases in turn, the result.")
    run_parser.add_argument("exam", metavar="EXAM.yaml", help="the exam file (docs/exams.md)")
    add_store_arguments(run_parser)
    run_parser.add_argument("--size", type=_size, default=(1280, 800), metavar="WxH",
                            help="window size (default 1280x800)")
    run_parser.add_argument("--mute", action="store_true", help="start with sound off")
    run_parser.add_argument("--fps-log", metavar="FILE",
                            help="append the frame rate and the screen shown once a second as JSON lines")


def _error(message: str) -> int:
    print(f"tpi-sim exam: {message}", file=sys.stderr)
    return 1


def run(args: argparse.Namespace) -> int:
    from simulator.records.store import StoreError, open_store
    from simulator.scenario import CaseError
    from simulator.scenario.exam_loader import load_exam

    try:
        loaded = load_exam(args.exam)
    except CaseError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic, file=sys.stderr)
        return 1
    try:
        open_store(args.db, key_file=args.key).close()  # reachable and writable before a candidate sits down
    except StoreError as exc:
        return _error(f"cannot open the attempt store: {exc}")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    problem = display_problem()
    if problem:
        return _error(problem)
    from simulator.ui.app import App, AppConfig

    config = AppConfig(cases=list(loaded.cases), catalogue=loaded.catalogue,
                       mode="exam", size=args.size, sound=not args.mute, exam=loaded, db_url=args.db,
                       key_file=Path(args.key) if args.key else None,
                       fps_log=Path(args.fps_log) if args.fps_log else None)
    try:
        app = App(config)
    except Exception as exc:  # the window could not be opened: say so instead of a traceback
        import pygame

        if isinstance(exc, pygame.error) and pygame.display.get_surface() is None:
            return _error(f"cannot open a window ({exc}); {DISPLAY_HINT}")
        raise
    return app.run()
