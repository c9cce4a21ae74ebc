"""`tpi-sim preview CASE [--agents FILE] [--size WxH] [--seed N] [--screenshot OUT.png]`.

Opens a window beside the author's editor: the palpation view, the ultrasound under a probe
that the mouse and keys move, and the labelled cross-section of the same plane. Every save of
the file is picked up within a second; a save with problems shows them in the window, and
the next good save brings the pictures back. `--screenshot` draws one frame to a PNG and
exits (no display needed), for documentation and scripts.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from simulator.commands import AGENTS_HELP, failing
from simulator.commands.play import _size
from simulator.commands.render import _probe

DEFAULT_SIZE = (1500, 760)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("case", metavar="CASE", help="case file (YAML) or the id of a shipped case")
    parser.add_argument("--agents", metavar="PATH", help=AGENTS_HELP)
    parser.add_argument("--size", type=_size, default=DEFAULT_SIZE, metavar="WxH",
                        help=f"window size (default {DEFAULT_SIZE[0]}x{DEFAULT_SIZE[1]})")
    parser.add_argument("--probe", type=_probe, metavar="X,Y,HEADING",
                        help="start with the probe here, in mm and degrees (default: the case's probe pose)")
    parser.add_argument("--seed", type=int, default=0, help="speckle seed (default 0)")
    parser.add_argument("--screenshot", metavar="OUT.png",
                        help="draw one frame into OUT.png and exit instead of opening a window")


_error = failing("preview", 2, tagged=True)


def run(args: argparse.Namespace) -> int:
    from simulator.scenario.loader import find_case_file

    path = find_case_file(args.case)
    if path is None:
        return _error(f"no case file or shipped case called {args.case!r}")
    if args.agents is not None and not Path(args.agents).is_file():
        return _error(f"--agents {args.agents}: no such file")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    if args.screenshot:
        os.environ.setdefault("SDL_VIDEODRIVER", "dummy")  # a picture needs no screen
        pygame.display.init()
        pygame.font.init()
        surface = pygame.Surface(args.size)
    else:
        from simulator.commands.play import display_problem

        problem = display_problem()
        if problem:
            return _error(problem)
        from simulator.ui.preview import open_window

        surface = open_window(args.size)

    from simulator.ui.preview import PreviewWindow

    window = PreviewWindow(path, args.agents, surface, seed=args.seed)
    if args.probe is not None:
        window.place_probe(*args.probe)
    if args.screenshot:
        window.draw()
        try:
            pygame.image.save(surface, args.screenshot)
        except pygame.error as exc:
            return _error(f"cannot write {args.screenshot}: {exc}")
        print(f"wrote {args.screenshot}: {window.status}")
        return 0 if window.loaded is not None else 1
    try:
        return window.run()
    finally:
        pygame.quit()
