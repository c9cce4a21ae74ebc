"""Readable colours: WCAG 2.1 contrast of every text colour on every surface it is drawn on,
of control edges against the panels, and of the pygame_gui theme; status cues that stay apart
under protanopia, deuteranopia and tritanopia."""

import itertools

import pytest

from simulator.render import palette as pal
from simulator.render.contrast import (LARGE_OR_CONTROL_MIN_RATIO, TEXT_MIN_RATIO, contrast_ratio, cvd_distance,
                                       theme_pairs)
from simulator.ui.theme import load_theme

CVD_KINDS = ("protanopia", "deuteranopia", "tritanopia")
# sRGB units apart after simulation: "done" must never pass for "done, not recommended" or harm
# (the old green sat 61-74 from amber and red; the new blue 130 or more).
OK_MIN_DISTANCE = 120


def test_contrast_ratio_matches_the_wcag_reference_values():
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast_ratio((255, 255, 255), (255, 255, 255)) == pytest.approx(1.0)
    # The audit's figure for the old small-label grey on the panel.
    assert contrast_ratio((0x60, 0x6E, 0x7E), (0x16, 0x1C, 0x24)) == pytest.approx(3.29, abs=0.01)


@pytest.mark.parametrize("text_name,surface_name",
                         list(itertools.product(pal.TEXT_COLOURS, pal.TEXT_SURFACES)))
def test_every_text_colour_is_readable_on_every_panel(text_name, surface_name):
    ratio = contrast_ratio(pal.TEXT_COLOURS[text_name], pal.TEXT_SURFACES[surface_name])
    assert ratio >= TEXT_MIN_RATIO, f"{text_name} on {surface_name}: {ratio:.2f}:1"


@pytest.mark.parametrize("control_name,surface_name",
                         list(itertools.product(pal.CONTROL_COLOURS, pal.TEXT_SURFACES)))
def test_control_edges_stand_out_from_the_panels(control_name, surface_name):
    ratio = contrast_ratio(pal.CONTROL_COLOURS[control_name], pal.TEXT_SURFACES[surface_name])
    assert ratio >= LARGE_OR_CONTROL_MIN_RATIO, f"{control_name} on {surface_name}: {ratio:.2f}:1"


@pytest.mark.parametrize("name", list(pal.ON_SKIN))
def test_what_is_drawn_on_the_skin_stands_out_from_it(name):
    for skin in (pal.SKIN, pal.SKIN_SHADE):
        ratio = contrast_ratio(pal.ON_SKIN[name], skin)
        assert ratio >= LARGE_OR_CONTROL_MIN_RATIO, f"{name} on skin: {ratio:.2f}:1"


def test_the_old_red_point_on_skin_was_faint():
    assert contrast_ratio((239, 83, 80), pal.SKIN) < LARGE_OR_CONTROL_MIN_RATIO


def test_every_theme_text_and_border_pair_passes():
    pairs = list(theme_pairs(load_theme(), window_bg="#161c24"))
    assert len(pairs) > 20  # every block and state was looked at
    failing = [f"{where}: {contrast_ratio(fg, bg):.2f}:1 < {minimum}" for where, fg, bg, minimum in pairs
               if contrast_ratio(fg, bg) < minimum]
    assert not failing, "\n".join(failing)


def test_theme_check_catches_the_old_disabled_grey():
    theme = {"defaults": {"colours": {"disabled_text": "#5f6e7e", "disabled_bg": "#161c24"}}}
    [(where, fg, bg, minimum)] = list(theme_pairs(theme, window_bg="#161c24"))
    assert contrast_ratio(fg, bg) < minimum


@pytest.mark.parametrize("kind", CVD_KINDS)
def test_ok_stays_apart_from_warning_and_harm_with_colour_blindness(kind):
    for name in ("WARN", "DANGER"):
        distance = cvd_distance(pal.OK, pal.STATUS_CUES[name], kind)
        assert distance >= OK_MIN_DISTANCE, f"OK and {name} look alike with {kind} ({distance:.0f})"


def test_the_old_green_and_amber_looked_alike_with_deuteranopia():
    assert cvd_distance((102, 200, 120), (245, 180, 60), "deuteranopia") < OK_MIN_DISTANCE
