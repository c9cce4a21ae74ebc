"""Anatomy overlay names stay inside the ultrasound image: a long name that fits neither beside its
structure nor on the other side is shortened with an ellipsis instead of being cut by the image's edge
(seen at 1024x640: "transverse cervical artery (superficial bran")."""

from __future__ import annotations

import pytest

from simulator.render.anatomy_overlay import AnatomyOverlay

NAME = "transverse cervical artery (superficial branch)"


@pytest.mark.parametrize("left_px,right_px,width_px", [(150, 170, 280), (20, 40, 280), (240, 270, 280), (5, 275, 280)])
def test_a_long_name_is_placed_inside_the_image(fonts, left_px, right_px, width_px):
    x, label = AnatomyOverlay(fonts)._place(NAME, left_px, right_px, width_px)
    assert 0 <= x and x + label.get_width() <= width_px, (x, label.get_width())


def test_a_name_with_room_is_shown_whole_beside_its_structure(fonts):
    overlay = AnatomyOverlay(fonts)
    whole = overlay._place(NAME, 10, 20, 600)
    assert whole[0] == 24  # right of the structure
    shortened = overlay._place(NAME, 150, 170, 280)[1]
    assert shortened.get_width() < whole[1].get_width()  # the ellipsis version is the shorter one
