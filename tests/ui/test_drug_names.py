"""The feed and the syringe label name the drug by its catalogue name, never by a mangled id."""

import pygame

from tests.ui.driving import key, start_procedure, wait

CASE_ID = "s1_upper_trapezius_thin"


def _procedure(make_app):
    app = make_app()
    start_procedure(app, CASE_ID)
    return app


def test_drawing_up_names_the_catalogue_agent_in_the_feed_and_on_the_syringe(make_app):
    app = _procedure(make_app)
    screen = app.screen
    agent = app.config.catalogue.get(screen.choices.agent_id)
    key(app, pygame.K_F7)  # draw up the chosen agent and volume
    wait(app, 0.1)
    lines = [text for _, text, _ in screen.feed if text.startswith("Drew up")]
    assert lines == [f"Drew up {screen.choices.volume_ml:g} mL of {agent.name}"]
    assert agent.id.replace("_", " ") not in lines[0]  # e.g. not "lidocaine 0 5"
    label = screen.view.drug_label(screen.state)
    assert agent.name.split(" (")[0] in label
    assert agent.id.replace("_", " ") not in label


def test_the_syringe_label_reads_empty_until_drawn_up(make_app):
    app = _procedure(make_app)
    screen = app.screen
    assert "syringe empty" in screen.view.drug_label(screen.state)
    key(app, pygame.K_F7)
    wait(app, 0.1)
    assert "syringe empty" not in screen.view.drug_label(screen.state)
