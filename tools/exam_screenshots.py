"""Screenshots of the exam screens for docs/exams.md, made headless from the shipped exam.

The app is driven as a candidate and an examiner would (key presses and text input): the
candidate screen, a case with its countdown, the screen between cases, the end screen, the
offer to resume a sitting interrupted after its first case, then "My attempts" and the rating
dialog for the attempts just stored. Attempts go to a throwaway
SQLite file with a throwaway signing key. Run: python tools/exam_screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402

from simulator import paths  # noqa: E402
from simulator.core import actions as A  # noqa: E402
from simulator.scenario import load_agents, load_library  # noqa: E402
from simulator.scenario.exam_loader import load_exam  # noqa: E402
from simulator.ui.app import App, AppConfig  # noqa: E402

OUT = ROOT / "docs" / "exams"
EXAM = paths.SCENARIOS_DIR / "exams" / "foundation.yaml"
SIZE = (1280, 800)


def wait(app, seconds: float) -> None:
    for _ in range(max(1, round(seconds * 60))):
        app.frame(1 / 60)


def key(app, k: int) -> None:
    app.handle_event(pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode="", scancode=0))
    app.handle_event(pygame.event.Event(pygame.KEYUP, key=k, mod=0, unicode="", scancode=0))


def type_text(app, text: str) -> None:
    for char in text:
        app.handle_event(pygame.event.Event(pygame.TEXTINPUT, text=char))


def save(app, name: str) -> None:
    app.draw()
    pygame.image.save(app.window, str(OUT / f"{name}.png"))
    print(f"wrote docs/exams/{name}.png")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    loaded = load_exam(EXAM)
    with tempfile.TemporaryDirectory() as folder:
        db_url, key_file = f"sqlite:///{Path(folder) / 'exam.db'}", Path(folder) / "signing.key"
        catalogue = load_agents()
        app = App(AppConfig(cases=list(loaded.cases), catalogue=loaded.catalogue, exam=loaded,
                            mode="exam", db_url=db_url, key_file=key_file, size=SIZE, sound=False))
        wait(app, 0.1)
        type_text(app, "r2-kim")
        save(app, "candidate")
        key(app, pygame.K_RETURN)
        wait(app, 0.1)
        screen = app.screen
        region = screen.case.body_region
        screen.submit([A.Probe(x_mm=region.default_probe.x_mm, y_mm=region.default_probe.y_mm,
                               heading_deg=region.default_probe.heading_deg, pressure=0.3)])
        wait(app, 12.0)
        save(app, "case")
        key(app, pygame.K_END)
        wait(app, 0.1)
        save(app, "finish_dialog")
        key(app, pygame.K_RETURN)
        wait(app, 1.0)
        save(app, "between")
        for _ in range(2):
            key(app, pygame.K_RETURN)
            wait(app, 0.2)
            key(app, pygame.K_END)
            key(app, pygame.K_RETURN)
            wait(app, 1.0)
        key(app, pygame.K_RETURN)
        wait(app, 0.1)
        save(app, "end")
        app.close()

        for step in ("interrupted", "resumed"):  # a second candidate's sitting stops after case 1
            again = App(AppConfig(cases=list(loaded.cases), catalogue=loaded.catalogue, exam=loaded,
                                  mode="exam", db_url=db_url, key_file=key_file, size=SIZE, sound=False))
            wait(again, 0.1)
            type_text(again, "r3-ito")
            key(again, pygame.K_RETURN)
            wait(again, 0.2)
            if step == "interrupted":
                key(again, pygame.K_END)
                key(again, pygame.K_RETURN)
                wait(again, 1.0)
            else:
                save(again, "resume")
            again.close()

        library = App(AppConfig(cases=load_library(catalogue=catalogue), catalogue=catalogue,
                                db_url=db_url, key_file=key_file, size=SIZE, sound=False, trainee="r2-kim"))
        wait(library, 0.1)
        key(library, pygame.K_F2)
        wait(library, 0.1)
        save(library, "my_attempts")
        key(library, pygame.K_p)
        wait(library, 2.0)
        key(library, pygame.K_r)
        for score in (3, 2, 3, 3, 2, 3):
            key(library, pygame.K_0 + score)
        library.screen.rating_dialog.examiner.focus()
        type_text(library, "dr-lee")
        wait(library, 0.1)
        save(library, "rating")
        library.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
