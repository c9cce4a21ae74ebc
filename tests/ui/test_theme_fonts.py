"""The theme's font sizes reach the widgets: '@small' buttons draw their labels in 13 px Noto Sans,
the size the procedure's button rows are fitted for (pygame_gui ignored numeric sizes)."""

import pygame
import pygame_gui
from pygame_gui.elements import UIButton

from simulator.ui.theme import load_theme


def test_small_buttons_draw_in_the_size_their_labels_were_fitted_for(fonts):
    manager = pygame_gui.UIManager((400, 200), load_theme())
    small = UIButton(pygame.Rect(0, 0, 200, 32), "Colour Doppler", manager, object_id="@small")
    normal = UIButton(pygame.Rect(0, 40, 200, 32), "Colour Doppler", manager)
    assert small.font.size("Colour Doppler") == fonts.regular(13).size("Colour Doppler")
    assert normal.font.size("Colour Doppler") == fonts.regular(14).size("Colour Doppler")
