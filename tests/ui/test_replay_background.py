"""The replay viewer prepares its ultrasound image in the background, on opening and after a seek back
(seeking back re-simulates from a fresh session, which has no image tables yet): the timeline plays and
the keys answer meanwhile, and the ultrasound panel shows a progress bar instead of an image."""

from __future__ import annotations

import threading
import time

import pygame

from simulator.core import actions as A
from simulator.core.session import Session
from tests.ui.driving import key, wait
from tests.ui.test_startup import held_task, info_pixels

CASE_ID = "s1_upper_trapezius_thin"


def _open(app):
    case = next(c for c in app.config.cases if c.id == CASE_ID)
    pose = Session(case, app.config.catalogue, 3).world.probe
    probe = A.Probe(x_mm=pose.x_mm, y_mm=pose.y_mm, heading_deg=pose.heading_deg, pressure=0.3)
    app.open_replay(({"case": case.id, "seed": 3}, [(0.1, probe), (4.0, A.SkinPrep())]))
    return app.screen


def test_the_replay_plays_and_answers_keys_while_its_image_is_prepared(make_app, artifacts):
    app = make_app()
    release = threading.Event()
    app.background, app.kernels = True, held_task(release, 0.5)
    start = time.perf_counter()
    screen = _open(app)
    wait(app, 0.5)
    assert time.perf_counter() - start < 20, "the event loop waited for the image"
    assert screen.ultrasound_pending() is not None, "the image was built on the UI thread"
    assert screen.play_s > 0.3, "the timeline did not play while the image was prepared"
    pygame.image.save(app.window, str(artifacts / "replay_preparing.png"))
    assert info_pixels(app.window, screen.layout.ultrasound) == 0  # the gauge (accent colour), not an image
    key(app, pygame.K_SPACE)
    assert not screen.playing, "Space did not pause while the image was prepared"
    task = screen.ultrasound_pending()
    release.set()
    assert task.wait(60) and task.error is None, task.error
    wait(app, 0.05)
    assert screen.ultrasound_pending() is None
    view = screen.view.ultrasound.image_view.rect
    assert pygame.surfarray.array3d(app.window.subsurface(view)).astype(float).std() > 15, "no image once prepared"

    # seeking back starts a fresh session: its image is prepared in the background again
    again = threading.Event()
    app.kernels = held_task(again, 0.5)
    key(app, pygame.K_HOME)
    key(app, pygame.K_SPACE)
    start = time.perf_counter()
    wait(app, 0.5)
    assert time.perf_counter() - start < 20
    assert screen.ultrasound_pending() is not None, "after the seek the image was built on the UI thread"
    assert screen.play_s > 0.3 and screen.playing
    again.set()
    assert screen.ultrasound_pending().wait(60)
    wait(app, 0.05)
    assert screen.ultrasound_pending() is None
    assert pygame.surfarray.array3d(app.window.subsurface(view)).astype(float).std() > 15
