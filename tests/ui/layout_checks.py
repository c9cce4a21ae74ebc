"""What a screen must never do at any supported size: put a widget outside the window, let two
widgets overlap, or cut a label's text without an ellipsis. Read from the live pygame_gui widgets."""

from __future__ import annotations

import itertools

import pygame
from pygame_gui.core import UIContainer
from pygame_gui.elements import UIButton, UIDropDownMenu, UILabel, UISelectionList, UITextEntryLine, UIWindow

ELLIPSIS = "\u2026"
TEXT_PAD_PX = 8  # a button's border and the least padding its text needs


def _text_cut(element) -> str | None:
    """The element's text when it does not fit its rectangle and does not end in an ellipsis."""
    if isinstance(element, UIDropDownMenu):
        element = element.menu_states["closed"].selected_option_button
    if not isinstance(element, (UIButton, UILabel)) or not element.text or not element.visible:
        return None
    width = element.font.size(element.text)[0]
    if width + TEXT_PAD_PX <= element.rect.width or element.text.endswith(ELLIPSIS):
        return None
    return f"{element.text!r} needs {width + TEXT_PAD_PX} px in {element.rect.width}"


def _children(container) -> list:
    return [e for e in container.elements if e.visible]


def _check_group(elements, bounds: pygame.Rect, where: str) -> list[str]:
    problems = []
    for e in elements:
        if not bounds.contains(e.rect):
            problems.append(f"{where}: {type(e).__name__} {getattr(e, 'text', '')!r} {e.rect} leaves {bounds}")
        cut = _text_cut(e)
        if cut:
            problems.append(f"{where}: text cut: {cut}")
        if isinstance(e, UISelectionList):
            for item in e.item_list:
                button = item.get("button_element")
                if button is not None and button.visible and e.rect.contains(button.rect):
                    cut = _text_cut(button)
                    if cut:
                        problems.append(f"{where}: list row cut: {cut}")
    # A dialog floats over the screen on purpose; containers are structure, not widgets.
    for a, b in itertools.combinations([e for e in elements if not isinstance(e, (UIWindow, UIContainer))], 2):
        if a.rect.colliderect(b.rect):
            problems.append(f"{where}: {getattr(a, 'text', type(a).__name__)!r} {a.rect} overlaps "
                            f"{getattr(b, 'text', type(b).__name__)!r} {b.rect}")
    return problems


def widget_problems(app) -> list[str]:
    """Every widget on screen (and in an open dialog) inside the window, apart, and its text whole."""
    window = pygame.Rect((0, 0), app.size)
    top = _children(app.manager.get_root_container())
    problems = _check_group(top, window, app.screen.name)
    for dialog in (e for e in top if isinstance(e, UIWindow)):
        inner = dialog.get_container()
        problems += _check_group(_children(inner), inner.get_rect(), f"dialog {dialog.window_display_title!r}")
    return problems


def rects_problems(named: dict[str, pygame.Rect], size: tuple[int, int]) -> list[str]:
    """Layout panels inside the window and not overlapping each other."""
    window = pygame.Rect((0, 0), size)
    problems = [f"{name} {rect} leaves the window {size}" for name, rect in named.items() if not window.contains(rect)]
    problems += [f"{a} {named[a]} overlaps {b} {named[b]}" for a, b in itertools.combinations(named, 2)
                 if named[a].colliderect(named[b])]
    return problems


__all__ = ["widget_problems", "rects_problems", "UITextEntryLine"]
