"""The help overlay's measured layout: no piece of text overlaps another, all stay in the box."""

import itertools

import pygame
import pytest

from simulator.render.help import help_box, help_layout
from simulator.render.palette import Fonts
from simulator.ui.keys import HELP


@pytest.fixture(scope="module")
def fonts():
    pygame.font.init()
    return Fonts()


@pytest.mark.parametrize("size", [(1280, 800), (1024, 640), (1920, 1080)])
def test_help_text_never_overlaps_and_stays_in_the_box(fonts, size):
    box = help_box(size)
    items = help_layout(fonts, HELP, box)
    texts = [i.text for i in items]
    for _, rows in HELP:
        for key, desc in rows:
            assert key.split()[0] in " ".join(texts)
            assert desc.split()[-1] in " ".join(texts)
    for a, b in itertools.combinations(items, 2):
        assert not a.rect.colliderect(b.rect), f"{a.text!r} overlaps {b.text!r}"
    for item in items:
        assert box.contains(item.rect), f"{item.text!r} leaves the help box"


def test_a_long_key_wraps_instead_of_running_into_its_description(fonts):
    groups = [("G", [("Shift+right click, or Backspace, or Delete, or something", "erase")])]
    box = pygame.Rect(0, 0, 700, 500)
    items = help_layout(fonts, groups, box)
    keys = [i for i in items if i.kind == "key"]
    desc = next(i for i in items if i.kind == "desc")
    assert len(keys) >= 2
    assert all(k.rect.right < desc.rect.x for k in keys)
