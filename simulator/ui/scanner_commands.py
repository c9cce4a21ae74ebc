"""Commands for the scanner's image controls -> actions: TGC sliders, heel-toe tilt, the colour
Doppler steer and speckle reduction. Pure, like commands.py; kept apart so the main command
table stays one screen long.
"""

from __future__ import annotations

from simulator.core import actions as a
from simulator.core.state import DOPPLER_STEERS_DEG, MAX_TILT_DEG, TGC_LIMIT_DB
from simulator.ui.context import InputContext

TGC_STEP_DB = 2.0
TILT_STEP_DEG = 5.0
TGC_SLIDERS = ("tgc_near_db", "tgc_mid_db", "tgc_far_db")


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def _tgc(ctx: InputContext, slider: int, step_db: float) -> list:
    current = ctx.settings.tgc_db[slider]
    value = _clamp(current + step_db, -TGC_LIMIT_DB, TGC_LIMIT_DB)
    return [a.Settings(**{TGC_SLIDERS[slider]: value})] if value != current else []


def _tilt(ctx: InputContext, step_deg: float) -> list:
    if not ctx.probe_on_skin:
        return []
    value = _clamp(ctx.probe_tilt_deg + step_deg, -MAX_TILT_DEG, MAX_TILT_DEG)
    return [a.TiltProbe(tilt_deg=value)] if value != ctx.probe_tilt_deg else []


def _next_steer(ctx: InputContext) -> list:
    steers = DOPPLER_STEERS_DEG
    current = ctx.settings.doppler_steer_deg
    index = steers.index(current) if current in steers else len(steers) - 1
    return [a.Settings(doppler_steer_deg=steers[(index + 1) % len(steers)])]


SCANNER_COMMANDS = {
    "tgc_near_less": lambda ctx: _tgc(ctx, 0, -TGC_STEP_DB), "tgc_near_more": lambda ctx: _tgc(ctx, 0, TGC_STEP_DB),
    "tgc_mid_less": lambda ctx: _tgc(ctx, 1, -TGC_STEP_DB), "tgc_mid_more": lambda ctx: _tgc(ctx, 1, TGC_STEP_DB),
    "tgc_far_less": lambda ctx: _tgc(ctx, 2, -TGC_STEP_DB), "tgc_far_more": lambda ctx: _tgc(ctx, 2, TGC_STEP_DB),
    "tilt_heel": lambda ctx: _tilt(ctx, -TILT_STEP_DEG), "tilt_toe": lambda ctx: _tilt(ctx, TILT_STEP_DEG),
    "doppler_steer": _next_steer,
    "speckle_reduction": lambda ctx: [a.Settings(speckle_reduction=not ctx.settings.speckle_reduction)],
}


def scanner_actions(command: str, ctx: InputContext) -> list:
    """The actions of one image-control command right now (empty for any other command)."""
    make = SCANNER_COMMANDS.get(command)
    return make(ctx) if make else []
