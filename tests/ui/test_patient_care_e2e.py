"""A vasovagal episode driven through the app with pygame events (headless).

The patient with a history of fainting is sat up (the position dropdown), prepared and
needled; she has the prodrome at the skin puncture (a seed where she does). The monitor
turns red when she faints; Stop (H), the Emergency panel (F10) with legs raised and a
vital-signs check, then observing bring her round; the debrief credits the management
and draws her vital signs. Screenshots at 1280x800 and 1024x680 go to test-artifacts/.
"""

import pygame
import pytest

from simulator.core import actions as A
from simulator.core import events as E
from simulator.core.session import Session
from simulator.render import palette as pal
from tests.ui.driving import click_element, give_consent, has, finish, key, list_row, press_button, wait

CASE_ID = "s6_masseter_fainting"


def fainting_seed(case, catalogue) -> int:
    """A seed whose vasovagal draw at the first skin puncture (seated) comes up: the draw is the
    first of the physiology stream, so the other actions before it do not matter."""
    for seed in range(200):
        s = Session(case, catalogue, seed)
        s.step([A.Position(position="seated"), A.ChooseNeedle(gauge=25, length_mm=38)])
        if any(isinstance(e, E.VasovagalEpisode) for e in s.step([A.Insert(x_mm=50, y_mm=40, angle_deg=30,
                                                                             heading_deg=102)])):
            return seed
    raise AssertionError("no seed gave a faint")


def red_share(app, rect) -> float:
    pixels = pygame.surfarray.array3d(app.window.subsurface(rect)).reshape(-1, 3).astype(int)
    near = (abs(pixels - pal.DANGER).sum(axis=1) < 40)
    return float(near.mean())


@pytest.mark.parametrize("size", [(1280, 800), (1024, 680)])
def test_a_faint_is_seen_on_the_monitor_and_managed_through_the_ui(make_app, library, artifacts, size):
    cases, catalogue = library
    case = next(c for c in cases if c.id == CASE_ID)
    app = make_app(seed=fainting_seed(case, catalogue), size=size)
    app.frame(1 / 60)
    app.start_case(case, "practice", "")
    app.frame(1 / 60)
    screen = app.screen
    session = screen.session
    click_element(app, screen.widgets.position)  # sit her up: the riskier position
    click_element(app, list_row(app, screen.widgets.position.current_state.options_selection_list, "Seated"))
    assert screen.choices.position == "seated"
    give_consent(app)
    for k in (pygame.K_F3, pygame.K_F4, pygame.K_F5):
        key(app, k)
    wait(app, 0.1)
    key(app, pygame.K_n)
    wait(app, 0.2)
    assert has(session, E.VasovagalEpisode)
    assert any("going grey" in text for _, text, _ in screen.feed)
    monitor = screen.view.monitor_rect
    assert red_share(app, monitor) == 0  # all in range before the faint

    wait(app, 22)  # nobody acts: she faints
    assert session.state.vitals.consciousness == "unresponsive"
    assert red_share(app, monitor) > 0.02  # the low blood pressure and the UNRESPONSIVE pill in alarm red
    pygame.image.save(app.window, str(artifacts / f"faint_{size[0]}x{size[1]}.png"))

    key(app, pygame.K_h)  # stop: the needle comes out
    wait(app, 0.1)
    assert session.state.needle is None and has(session, E.ProcedureStopped)
    key(app, pygame.K_F10)
    wait(app, 0.1)
    dialog = screen.dialogs.dialog
    assert screen.dialogs.kind == "emergency"
    assert dialog.window.rect.width <= size[0] and dialog.window.rect.height <= size[1]
    key(app, pygame.K_4)  # lie flat with the legs raised
    wait(app, 0.1)
    click_element(app, next(b for b, item in dialog.buttons.items() if item.label == "Check vital signs"))
    wait(app, 2)
    pygame.image.save(app.window, str(artifacts / f"emergency_panel_{size[0]}x{size[1]}.png"))
    assert session.state.posture == "legs_raised"
    assert [e.stage for e in session.events if isinstance(e, E.ComplicationChanged)] == ["prodrome", "syncope",
                                                                                          "recovering"]
    key(app, pygame.K_o)  # observe: she comes round
    wait(app, 0.2)
    key(app, pygame.K_ESCAPE)
    wait(app, 10)
    assert not screen.dialogs.is_open
    assert session.state.complications == (("vasovagal", "resolved"),)
    assert red_share(app, monitor) == 0
    finish(app)
    wait(app, 1.0)
    assert app.screen.name == "debrief"
    row = next(r for r in app.screen.result["criteria"] if r["id"] == "complications")
    assert "vasovagal reaction began" in row["evidence"] and row["points"] > 0
    assert app.screen.vitals_chart is not None
    pygame.image.save(app.window, str(artifacts / f"debrief_vitals_{size[0]}x{size[1]}.png"))


def test_the_aftercare_panel_gives_items_by_key_and_by_click(make_app, library):
    cases, _catalogue = library
    app = make_app(size=(1024, 680))
    app.frame(1 / 60)
    app.start_case(next(c for c in cases if c.id == CASE_ID), "practice", "")
    app.frame(1 / 60)
    screen = app.screen
    press_button(app, "aftercare")  # the Aftercare... button in the procedure panel
    wait(app, 0.1)
    dialog = screen.dialogs.dialog
    assert screen.dialogs.kind == "aftercare"
    key(app, pygame.K_0)  # follow-up visit
    click_element(app, next(b for b, item in dialog.buttons.items() if item.label == "When to seek help"))
    wait(app, 0.1)
    given = [e.item for e in screen.session.events if isinstance(e, E.AftercareGiven)]
    assert given == ["follow_up", "safety_net"]
    assert dialog.status.text == "Done: When to seek help"
    assert [line for _, line, _ in screen.feed if line.startswith("Aftercare: ")] == ["Aftercare: follow up",
                                                                                     "Aftercare: safety net"]
    key(app, pygame.K_ESCAPE)
    wait(app, 0.1)
    assert not screen.dialogs.is_open
