"""Screenshots of every screen (to test-artifacts/) and their structure: panels are not blank,
distinct regions differ. No exact pixel comparisons."""

import numpy as np
import pygame

from simulator.render.layout import ProcedureLayout
from simulator.core import actions as A
from simulator.render import palette as pal
from tests.ui.driving import click, key, wait


def region_std(surface, rect):
    pixels = pygame.surfarray.array3d(surface.subsurface(rect)).astype(float)
    return float(pixels.std())


def test_picker_procedure_help_and_replay_screens(make_app, artifacts):
    app = make_app()
    app.frame(1 / 60)
    pygame.image.save(app.window, str(artifacts / "picker.png"))
    assert app.screen.name == "picker"
    assert region_std(app.window, app.screen.layout.cases) > 10
    case = app.config.cases[0]
    app.start_case(case, "practice", "")
    wait(app, 0.2)
    pygame.image.save(app.window, str(artifacts / "procedure.png"))
    layout = ProcedureLayout.for_size(app.size)
    image = app.screen.view.ultrasound.image_view.rect
    assert region_std(app.window, image) > 15  # speckle, layers: not a flat fill
    assert region_std(app.window, app.screen.view.palpation.view.rect) > 10
    mean_image = pygame.surfarray.array3d(app.window.subsurface(image)).mean()
    key(app, pygame.K_TAB)  # the case card shares the left panel with the palpation view
    wait(app, 0.05)
    pygame.image.save(app.window, str(artifacts / "case_card.png"))
    assert region_std(app.window, layout.card_box) > 5
    mean_card = pygame.surfarray.array3d(app.window.subsurface(layout.card_box)).mean()
    assert abs(mean_image - mean_card) > 5  # distinct regions look different
    key(app, pygame.K_TAB)
    before = pygame.surfarray.array3d(app.window).mean()
    key(app, pygame.K_F1)
    wait(app, 0.05)
    pygame.image.save(app.window, str(artifacts / "help.png"))
    assert app.screen.help_visible
    assert pygame.surfarray.array3d(app.window).mean() != before
    key(app, pygame.K_ESCAPE)
    assert not app.screen.help_visible


def test_replay_timeline_plays_pauses_and_seeks(make_app, artifacts):
    app = make_app()
    case = app.config.cases[0]
    timed = [(0.2, A.Consent()), (0.6, A.Position(position=case.patient.position)), (1.0, A.SkinPrep()),
             (1.4, A.ChooseNeedle(gauge=25, length_mm=38.0))]
    app.open_replay(({"case": case.id, "seed": 3}, timed))
    screen = app.screen
    wait(app, 0.8)
    assert screen.name == "replay" and screen.playing and 0.5 < screen.play_s < screen.duration_s
    pygame.image.save(app.window, str(artifacts / "replay.png"))  # mid-playback
    timeline = screen.timeline
    pixels = pygame.surfarray.pixels3d(app.window)
    handle = (timeline.x_of(screen.play_s), timeline.track.centery)
    assert tuple(pixels[handle]) == pal.ACCENT  # the handle sits at the playback position
    consent_x = timeline.x_of(next(t for t, tone in screen.ticks if tone == "ok"))
    assert tuple(pixels[consent_x, timeline.track.y - 1]) == pal.OK  # a green tick where consent was obtained
    assert region_std(app.window, timeline.rect) > 10
    del pixels
    key(app, pygame.K_SPACE)
    paused_at = screen.play_s
    wait(app, 0.3)
    assert not screen.playing and screen.play_s == paused_at
    click(app, (timeline.x_of(0.05), timeline.track.centery))
    assert screen.play_s < 0.1 and not screen.session.state.checklist.consent  # back in time: re-simulated
    click(app, (timeline.x_of(1.2), timeline.track.centery))
    assert abs(screen.play_s - 1.2) < 0.05 and screen.session.state.checklist.skin_prep
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(timeline.x_of(0.1), timeline.track.centery), button=1))
    app.handle_event(pygame.event.Event(pygame.MOUSEMOTION, pos=(timeline.x_of(2.0), timeline.track.centery),
                                        rel=(1, 0), buttons=(1, 0, 0)))
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(timeline.x_of(2.0), timeline.track.centery), button=1))
    assert abs(screen.play_s - 2.0) < 0.05 and screen.session.state.checklist.needle  # dragged forward
    key(app, pygame.K_4)
    key(app, pygame.K_SPACE)
    wait(app, 1.0)
    assert screen.ended and not screen.playing
