"""`tpi-sim bench --ui`: render the whole procedure window headless while a scripted needle moves.

Prints one JSON line per phase; the last line has ui_frame_ms (median over the frames).
"""

from __future__ import annotations

import json
import os
import statistics
import time

FRAMES = 300


def run(args) -> int:
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    import pygame

    from simulator.core import actions as A
    from simulator.scenario import load_agents, load_library
    from simulator.ui.app import App, AppConfig

    catalogue = load_agents()
    cases = load_library(catalogue=catalogue)
    wanted = getattr(args, "case", None)
    case = next((c for c in cases if c.id == wanted), cases[0])
    frames = max(FRAMES, int(getattr(args, "frames", 0) or 0))
    config = AppConfig(cases=cases, catalogue=catalogue, sound=False, seed=1,
                       start_case=case.id)
    app = App(config)
    screen = app.screen
    screen.submit([A.Consent(), A.ChooseNeedle(gauge=25, length_mm=38.0)])
    plan = screen.plan()
    screen.submit([A.Insert(x_mm=plan.x_mm, y_mm=plan.y_mm, angle_deg=20.0, heading_deg=plan.heading_deg)])
    app.frame(1 / 60)
    times_ms = []
    for i in range(frames):
        step = A.Advance(mm=0.1) if (i // 100) % 2 == 0 else A.Withdraw(mm=0.1)
        screen.submit([step])
        start = time.perf_counter()
        app.frame(1 / 60)
        times_ms.append((time.perf_counter() - start) * 1000.0)
    app.close()
    print(json.dumps({"bench": "ui", "case": case.id, "frames": frames, "size": list(config.size),
                      "ui_frame_ms": round(statistics.median(times_ms), 3),
                      "ui_frame_ms_p95": round(sorted(times_ms)[int(0.95 * len(times_ms))], 3)}))
    _ = pygame
    return 0
