"""input_map(event, ctx) -> list[Action]: the one place input becomes actions. Pure.

It reads a pygame event and the InputContext and returns actions; it changes nothing, so
tests feed it hand-made `pygame.event.Event`s. Window-only keys (help, mute) and the UI's
own choices (dropdowns, the needle plan) are handled by the screen, not here.
"""

from __future__ import annotations

import math

import pygame
import pygame_gui

from simulator.core import actions as a
from simulator.ui.commands import command_actions
from simulator.ui.context import InputContext
from simulator.ui.keys import command_for_key

START_PRESSURE = 0.3  # a press starts light and firms up with the hold (see PalpationHold)
WHEEL_PRESSURE_STEP = 0.1
WHEEL_TURN_DEG = 5.0
# A finger that moves this far (mm) between two motion events while pressing is a flick
# across the band: a snap rather than a slide.
SNAP_MM_PER_EVENT = 6.0
SLIDE_MIN_MM = 0.5


def _mods(event, ctx: InputContext) -> int:
    """Key events carry their modifiers; mouse events take them from the context."""
    mod = getattr(event, "mod", None)
    return ctx.mods if mod is None else mod


def command_of(event, ctx: InputContext) -> str | None:
    """The command a key press or a button stands for, if any."""
    if event.type == pygame.KEYDOWN:
        return command_for_key(event.key, bool(_mods(event, ctx) & pygame.KMOD_SHIFT))
    if event.type == pygame_gui.UI_BUTTON_PRESSED:
        return ctx.buttons.get(event.ui_element)
    return None


def _grip(ctx: InputContext) -> str | None:
    """The Palpate grip field: None for the usual flat press, so replay lines stay as they were."""
    return None if ctx.grip == "flat" else ctx.grip


def _palpation_mm(event, ctx: InputContext) -> tuple[float, float] | None:
    view = ctx.palpation_view
    if view is None or not hasattr(event, "pos") or not view.contains_px(*event.pos):
        return None
    return view.to_mm(*event.pos)


def _mouse(event, ctx: InputContext) -> list:
    mods = _mods(event, ctx)
    if event.type == pygame.MOUSEBUTTONDOWN:
        where = _palpation_mm(event, ctx)
        if where is None:
            return []
        x, y = where
        if event.button == 1:
            if mods & pygame.KMOD_CTRL:
                return [a.Probe(x_mm=x, y_mm=y, heading_deg=ctx.probe.heading_deg, pressure=ctx.probe.pressure)]
            if mods & pygame.KMOD_SHIFT:
                return []  # the screen moves its needle plan; no action
            return [a.Palpate(x_mm=x, y_mm=y, pressure=START_PRESSURE, grip=_grip(ctx))]
        if event.button == 3:
            return [a.EraseMark(x_mm=x, y_mm=y)] if mods & pygame.KMOD_SHIFT else [a.Mark(x_mm=x, y_mm=y)]
        return []
    if event.type == pygame.MOUSEBUTTONUP:
        return [a.Release()] if event.button == 1 and ctx.pressing else []
    if event.type == pygame.MOUSEMOTION and ctx.pressing and ctx.palpation_view is not None:
        view = ctx.palpation_view
        x, y = view.clamp_mm(*view.to_mm(*event.pos))
        dx_mm, dy_mm = event.rel[0] / view.px_per_mm, event.rel[1] / view.px_per_mm
        moved_mm = math.hypot(dx_mm, dy_mm)
        if moved_mm >= SNAP_MM_PER_EVENT:
            return [a.Snap(x_mm=x, y_mm=y, direction_deg=math.degrees(math.atan2(dy_mm, dx_mm)))]
        if ctx.finger_mm is None or math.dist(ctx.finger_mm, (x, y)) >= SLIDE_MIN_MM:
            return [a.Palpate(x_mm=x, y_mm=y, pressure=ctx.pressure, grip=_grip(ctx))]
        return []
    if event.type == pygame.MOUSEWHEEL:
        if mods & pygame.KMOD_CTRL and ctx.probe_on_skin:
            p = ctx.probe
            return [a.Probe(x_mm=p.x_mm, y_mm=p.y_mm, heading_deg=p.heading_deg + WHEEL_TURN_DEG * event.y,
                            pressure=p.pressure)]
        if ctx.pressing and ctx.finger_mm is not None:
            pressure = min(1.0, max(0.05, ctx.pressure + WHEEL_PRESSURE_STEP * event.y))
            return [a.Palpate(x_mm=ctx.finger_mm[0], y_mm=ctx.finger_mm[1], pressure=round(pressure, 3),
                               grip=_grip(ctx))]
    return []


def input_map(event, ctx: InputContext) -> list:
    """The actions an input event asks for, given what is on screen now."""
    command = command_of(event, ctx)
    if command is not None:
        return command_actions(command, ctx)
    if event.type in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION, pygame.MOUSEWHEEL):
        return _mouse(event, ctx)
    return []
