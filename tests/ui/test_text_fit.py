"""Text that does not fit says so: a wrapped paragraph cut by its box ends its last line with an
ellipsis, a title too long for its row is shortened with one, and text that fits is left alone."""

import pygame

from simulator.render import palette as pal
from simulator.render.text import ELLIPSIS, blit_wrapped, fit_text, wrap

SUMMARY = ("Right masseter trigger point in a woman who faints at needles and has had a normal "
           "fasting blood test this morning; she asks whether it will hurt.")


def test_a_cut_paragraph_ends_with_an_ellipsis(fonts):
    font = fonts.regular(13)
    surface = pygame.Surface((300, 200))
    height = font.get_linesize() + 2
    all_lines = wrap(font, SUMMARY, 280)
    assert len(all_lines) >= 2
    bottom = blit_wrapped(surface, font, SUMMARY, (0, 0), 280, pal.TEXT, max_y=height)  # room for one line
    assert bottom == height
    shown = fit_text(font, all_lines[0].rstrip(",;:.") + ELLIPSIS, 280)
    assert shown.endswith(ELLIPSIS) and font.size(shown)[0] <= 280
    expected = pygame.Surface((300, 200))
    expected.blit(font.render(shown, True, pal.TEXT), (0, 0))
    assert pygame.surfarray.array3d(surface).tolist() == pygame.surfarray.array3d(expected).tolist()


def test_text_that_fits_is_left_alone_and_a_long_title_is_shortened(fonts):
    font = fonts.bold(16)
    assert fit_text(font, "Jaw pain", 300) == "Jaw pain"
    title = "Jaw pain and a history of fainting at the dentist's"
    short = fit_text(font, title, 200)
    assert short.endswith(ELLIPSIS) and font.size(short)[0] <= 200
    assert title.startswith(short[:-1].rstrip())
