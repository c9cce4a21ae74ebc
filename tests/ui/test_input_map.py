"""input_map is pure: constructed pygame events and a hand-made context give the actions."""

import pygame
import pygame_gui
import pytest

from simulator.core import actions as A
from simulator.core.geometry import NeedleGeometry, ProbePose
from simulator.core.state import ScannerSettings
from simulator.render.transform import MmView
from simulator.ui.context import Choices, InputContext, PlannedNeedle
from simulator.ui.input_map import input_map


@pytest.fixture
def ctx():
    return InputContext(
        probe=ProbePose(60.0, 40.0, 0.0, 0.2), probe_on_skin=True,
        settings=ScannerSettings(4.0, 0.0, 10.0, 2.0, False), freq_range_mhz=(5.0, 12.0), region_mm=(120.0, 80.0),
        needle=None, plan=PlannedNeedle(36.0, 40.0, 30.0, 0.0), choices=Choices(agent_id="lidocaine_0_5"),
        palpation_view=MmView(100.0, 100.0, 2.0, 120.0, 80.0),
    )


def keydown(k, mod=0):
    return pygame.event.Event(pygame.KEYDOWN, key=k, mod=mod, unicode="", scancode=0)


def test_arrows_slide_the_probe_and_shift_moves_five_times_as_far(ctx):
    assert input_map(keydown(pygame.K_RIGHT), ctx) == [A.Probe(61.0, 40.0, 0.0, 0.2)]
    assert input_map(keydown(pygame.K_UP, pygame.KMOD_LSHIFT), ctx) == [A.Probe(60.0, 35.0, 0.0, 0.2)]
    assert input_map(keydown(pygame.K_e), ctx)[0].heading_deg == 5.0


def test_needle_keys_need_a_needle_and_insert_uses_the_plan(ctx):
    assert input_map(keydown(pygame.K_w), ctx) == []
    assert input_map(keydown(pygame.K_n), ctx) == [A.Insert(36.0, 40.0, 30.0, 0.0)]
    inserted = InputContext(**{**ctx.__dict__, "needle": NeedleGeometry(36.0, 40.0, 30.0, 0.0, 10.0)})
    assert input_map(keydown(pygame.K_w), inserted) == [A.Advance(1.0)]
    assert input_map(keydown(pygame.K_f), inserted) == [A.Advance(4.0), A.Withdraw(4.0)]
    assert input_map(keydown(pygame.K_d), inserted) == [A.Redirect(32.0, 0.0)]
    assert input_map(keydown(pygame.K_n), inserted) == []


def test_scanner_keys_stay_in_range(ctx):
    assert input_map(keydown(pygame.K_2), ctx) == [A.Settings(depth_cm=4.5, focus_cm=2.0)]
    top = InputContext(**{**ctx.__dict__, "settings": ScannerSettings(4.0, 0.0, 12.0, 2.0, False)})
    assert input_map(keydown(pygame.K_6), top) == []  # already at the probe's highest frequency
    assert input_map(keydown(pygame.K_c), ctx) == [A.Settings(doppler=True)]


def test_mouse_on_the_drawing_palpates_marks_and_snaps(ctx):
    down = pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(220, 180), button=1)
    assert input_map(down, ctx) == [A.Palpate(60.0, 40.0, 0.3)]
    assert input_map(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(220, 180), button=3), ctx) == [A.Mark(60.0, 40.0)]
    outside = pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(10, 10), button=1)
    assert input_map(outside, ctx) == []
    pressing = InputContext(**{**ctx.__dict__, "pressing": True, "pressure": 0.5, "finger_mm": (60.0, 40.0)})
    slow = pygame.event.Event(pygame.MOUSEMOTION, pos=(222, 180), rel=(2, 0), buttons=(1, 0, 0))
    assert input_map(slow, pressing) == [A.Palpate(61.0, 40.0, 0.5)]
    fast = pygame.event.Event(pygame.MOUSEMOTION, pos=(220, 210), rel=(0, 30), buttons=(1, 0, 0))
    snap = input_map(fast, pressing)
    assert len(snap) == 1 and isinstance(snap[0], A.Snap) and snap[0].direction_deg == pytest.approx(90.0)
    up = pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(220, 180), button=1)
    assert input_map(up, pressing) == [A.Release()]
    wheel = pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=1)
    assert input_map(wheel, pressing) == [A.Palpate(60.0, 40.0, 0.6)]


def test_a_button_press_maps_through_its_command(ctx):
    element = object()
    with_button = InputContext(**{**ctx.__dict__, "buttons": {element: "skin_prep"}})
    event = pygame.event.Event(pygame_gui.UI_BUTTON_PRESSED, ui_element=element)
    assert input_map(event, with_button) == [A.SkinPrep()]


def test_consent_is_a_dialog_not_an_action(ctx):
    """F2 and the Consent button open the consent dialog (the screen does that); they send nothing themselves."""
    element = object()
    with_button = InputContext(**{**ctx.__dict__, "buttons": {element: "consent"}})
    assert input_map(pygame.event.Event(pygame_gui.UI_BUTTON_PRESSED, ui_element=element), with_button) == []
    assert input_map(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_F2, mod=0), ctx) == []
