"""The image-control keys: TGC sliders (Shift+1..6), heel-toe tilt (T / Y), colour steer (Shift+C),
speckle reduction (P); their actions, the help that lists them and the readout that shows them."""

import dataclasses

import pygame

from simulator.core import actions as A
from simulator.core.geometry import ProbePose
from simulator.core.state import ScannerSettings
from simulator.render.transform import MmView
from simulator.ui.context import Choices, InputContext, PlannedNeedle
from simulator.ui.input_map import input_map
from simulator.ui.keys import BINDINGS, HELP

from .driving import key, start_procedure, wait

SHIFT = pygame.KMOD_LSHIFT


def _ctx(**changes):
    ctx = InputContext(
        probe=ProbePose(60.0, 40.0, 0.0, 0.2), probe_on_skin=True,
        settings=ScannerSettings(4.0, 0.0, 10.0, 2.0, False), freq_range_mhz=(5.0, 12.0), region_mm=(120.0, 80.0),
        needle=None, plan=PlannedNeedle(36.0, 40.0, 30.0, 0.0), choices=Choices(agent_id="lidocaine_0_5"),
        palpation_view=MmView(100.0, 100.0, 2.0, 120.0, 80.0),
    )
    return dataclasses.replace(ctx, **changes)


def keydown(k, mod=0):
    return pygame.event.Event(pygame.KEYDOWN, key=k, mod=mod, unicode="", scancode=0)


def test_shift_digits_move_the_tgc_sliders_and_plain_digits_keep_their_knobs():
    ctx = _ctx()
    assert input_map(keydown(pygame.K_6, SHIFT), ctx) == [A.Settings(tgc_far_db=2.0)]
    assert input_map(keydown(pygame.K_1, SHIFT), ctx) == [A.Settings(tgc_near_db=-2.0)]
    assert input_map(keydown(pygame.K_4, SHIFT), ctx) == [A.Settings(tgc_mid_db=2.0)]
    assert input_map(keydown(pygame.K_4), ctx) == [A.Settings(gain_db=2.0)]  # gain as before
    at_top = _ctx(settings=dataclasses.replace(ctx.settings, tgc_db=(0.0, 0.0, 20.0)))
    assert input_map(keydown(pygame.K_6, SHIFT), at_top) == []  # the slider's end: nothing to send


def test_brackets_tilt_the_probe_in_5_degree_steps_only_on_the_skin():
    assert input_map(keydown(pygame.K_RIGHTBRACKET), _ctx()) == [A.TiltProbe(tilt_deg=5.0)]
    assert input_map(keydown(pygame.K_LEFTBRACKET), _ctx(probe_tilt_deg=-25.0)) == [A.TiltProbe(tilt_deg=-30.0)]
    assert input_map(keydown(pygame.K_LEFTBRACKET), _ctx(probe_tilt_deg=-30.0)) == []
    assert input_map(keydown(pygame.K_RIGHTBRACKET), _ctx(probe_on_skin=False)) == []


def test_shift_c_steps_the_colour_steer_and_b_toggles_speckle_reduction():
    ctx = _ctx()
    assert input_map(keydown(pygame.K_c, SHIFT), ctx) == [A.Settings(doppler_steer_deg=-20.0)]
    assert input_map(keydown(pygame.K_c), ctx) == [A.Settings(doppler=True)]
    assert input_map(keydown(pygame.K_b), ctx) == [A.Settings(speckle_reduction=False)]


def test_the_help_lists_the_new_keys_and_every_command_is_bound():
    rows = dict(HELP[1][1])
    assert rows["[ / ], B"] == "tilt heel / toe, speckle reduction"
    assert rows["Shift+1-6"] == "TGC near, mid, far - / +"
    assert rows["C, Shift+C"] == "colour Doppler, its steer"
    commands = {b.command for b in BINDINGS}
    for name in ("tgc_near_less", "tgc_far_more", "tilt_heel", "tilt_toe", "doppler_steer", "speckle_reduction"):
        assert name in commands


def test_the_keys_change_the_session_and_the_panel_shows_it(make_app, artifacts):
    app = make_app()
    screen = start_procedure(app, app.config.cases[0].id)
    key(app, pygame.K_RIGHTBRACKET)
    key(app, pygame.K_6, SHIFT)
    key(app, pygame.K_b)
    wait(app, 0.1)
    state = screen.session.state
    assert state.probe_tilt_deg == 5.0
    assert state.settings.tgc_db == (0.0, 0.0, 2.0) and state.settings.speckle_reduction is False
    surface = pygame.display.get_surface()
    pygame.image.save(surface, str(artifacts / "scanner_image_keys.png"))
    # the readout line sits above the needle line at the ultrasound panel's bottom
    rect = screen.view.layout.ultrasound
    strip = pygame.surfarray.array3d(surface)[rect.x + 12: rect.x + 400, rect.bottom - 40: rect.bottom - 25]
    assert strip.max() > 150  # text, not an empty strip
