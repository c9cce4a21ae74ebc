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


def test_a_name_too_long_for_the_column_falls_back_to_the_syringe_volume(make_app):
    app = _procedure(make_app)
    screen = app.screen
    key(app, pygame.K_F7)
    wait(app, 0.1)
    label = screen.view.drug_label(screen.state, fits=lambda text: len(text) < 10)
    assert label == f"DRUG  \u00b7  syringe {screen.state.syringe_ml:g} mL"


def test_the_short_name_keeps_an_epinephrine_ratio_whole(library):
    from simulator.ui.event_text import short_agent_name

    _, catalogue = library
    with_epi = next(a for a in catalogue.agents if any(c.with_epinephrine for c in a.components))
    assert "1:100,000" in with_epi.name
    assert short_agent_name(catalogue, with_epi.id).endswith("1:100,000")
