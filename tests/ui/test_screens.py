"""Screenshots of every screen (to test-artifacts/) and their structure: panels are not blank,
distinct regions differ. No exact pixel comparisons."""

import numpy as np
import pygame

from simulator.render.layout import ProcedureLayout
from tests.ui.driving import key, wait


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
    timed = [(0.1, __import__("simulator.core.actions", fromlist=["Consent"]).Consent())]
    app.open_replay(({"case": case.id, "seed": 3}, timed))
    wait(app, 0.5)
    pygame.image.save(app.window, str(artifacts / "replay.png"))
    assert app.screen.name == "replay" and app.screen.session.state.checklist.consent
    app.screen.seek(0.05)
    assert not app.screen.session.state.checklist.consent  # seeking back re-simulates from the start
    app.screen.seek(0.3)
    assert app.screen.session.state.checklist.consent
