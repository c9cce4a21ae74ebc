"""Commands (from keys and buttons) -> actions. Pure: reads the InputContext, returns actions.

Step sizes are the knob clicks of a scanner and the millimetre steps of a hand; ranges are
the case's probe range and the schema's limits, so an action never asks for the impossible.
"""

from __future__ import annotations

from simulator.core import actions as a
from simulator.ui.context import InputContext
from simulator.ui.scanner_commands import scanner_actions

PROBE_STEP_MM = 1.0
PROBE_TURN_DEG = 5.0
PROBE_PRESSURE_STEP = 0.1
NEEDLE_STEP_MM = 1.0
NEEDLE_TURN_DEG = 2.0
FAST_IN_OUT_MM = 4.0
DEPTH_STEP_CM, DEPTH_RANGE_CM = 0.5, (1.0, 12.0)
GAIN_STEP_DB, GAIN_RANGE_DB = 2.0, (-30.0, 30.0)
FREQ_STEP_MHZ = 1.0
FOCUS_STEP_CM = 0.25
ANGLE_RANGE_DEG = (5.0, 85.0)


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def _probe(ctx: InputContext, dx_mm=0.0, dy_mm=0.0, turn_deg=0.0, dpressure=0.0) -> list:
    p = ctx.probe
    w, h = ctx.region_mm
    heading = (p.heading_deg + turn_deg + 180.0) % 360.0 - 180.0
    return [a.Probe(x_mm=_clamp(p.x_mm + dx_mm, 0.0, w), y_mm=_clamp(p.y_mm + dy_mm, 0.0, h),
                    heading_deg=heading, pressure=round(_clamp(p.pressure + dpressure, 0.0, 1.0), 3))]


def _settings(ctx: InputContext, **change) -> list:
    s = ctx.settings
    if "depth_cm" in change:
        depth = _clamp(s.depth_cm + change["depth_cm"], *DEPTH_RANGE_CM)
        focus = min(s.focus_cm, depth)
        return [a.Settings(depth_cm=depth, focus_cm=focus)] if depth != s.depth_cm else []
    if "gain_db" in change:
        gain = _clamp(s.gain_db + change["gain_db"], *GAIN_RANGE_DB)
        return [a.Settings(gain_db=gain)] if gain != s.gain_db else []
    if "freq_mhz" in change:
        freq = _clamp(s.freq_mhz + change["freq_mhz"], *ctx.freq_range_mhz)
        return [a.Settings(freq_mhz=freq)] if freq != s.freq_mhz else []
    if "focus_cm" in change:
        focus = _clamp(s.focus_cm + change["focus_cm"], FOCUS_STEP_CM, s.depth_cm)
        return [a.Settings(focus_cm=focus)] if focus != s.focus_cm else []
    return [a.Settings(doppler=not s.doppler)]


def _redirect(ctx: InputContext, dangle=0.0, dheading=0.0) -> list:
    n = ctx.needle
    if n is None:
        return []
    return [a.Redirect(angle_deg=_clamp(n.angle_deg + dangle, *ANGLE_RANGE_DEG), heading_deg=n.heading_deg + dheading)]


def command_actions(command: str, ctx: InputContext) -> list:
    """The actions one command stands for right now (may be empty)."""
    c = ctx.choices
    step = PROBE_STEP_MM
    simple = {
        "position": lambda: [a.Position(position=c.position)],
        "skin_prep": lambda: [a.SkinPrep()],
        "choose_needle": lambda: [a.ChooseNeedle(gauge=c.needle_gauge, length_mm=c.needle_length_mm)],
        "skin_wheal": lambda: [a.SkinWheal()],
        "select_agent": lambda: [a.SelectAgent(agent_id=c.agent_id, volume_ml=c.volume_ml)] if c.agent_id else [],
        "aspirate": lambda: [a.Aspirate()],
        "inject": lambda: [a.Inject(volume_ml=c.inject_ml)],
        "finish": lambda: [a.Finish()],
        "stop": lambda: [a.Stop()],
        "check_vitals": lambda: [a.CheckVitals()],
        "probe_left": lambda: _probe(ctx, dx_mm=-step), "probe_right": lambda: _probe(ctx, dx_mm=step),
        "probe_up": lambda: _probe(ctx, dy_mm=-step), "probe_down": lambda: _probe(ctx, dy_mm=step),
        "probe_left_5": lambda: _probe(ctx, dx_mm=-5 * step), "probe_right_5": lambda: _probe(ctx, dx_mm=5 * step),
        "probe_up_5": lambda: _probe(ctx, dy_mm=-5 * step), "probe_down_5": lambda: _probe(ctx, dy_mm=5 * step),
        "probe_ccw": lambda: _probe(ctx, turn_deg=-PROBE_TURN_DEG),
        "probe_cw": lambda: _probe(ctx, turn_deg=PROBE_TURN_DEG),
        "probe_softer": lambda: _probe(ctx, dpressure=-PROBE_PRESSURE_STEP),
        "probe_firmer": lambda: _probe(ctx, dpressure=PROBE_PRESSURE_STEP),
        "probe_toggle": lambda: [a.LiftProbe()] if ctx.probe_on_skin else _probe(ctx),
        "depth_less": lambda: _settings(ctx, depth_cm=-DEPTH_STEP_CM),
        "depth_more": lambda: _settings(ctx, depth_cm=DEPTH_STEP_CM),
        "gain_less": lambda: _settings(ctx, gain_db=-GAIN_STEP_DB),
        "gain_more": lambda: _settings(ctx, gain_db=GAIN_STEP_DB),
        "freq_less": lambda: _settings(ctx, freq_mhz=-FREQ_STEP_MHZ),
        "freq_more": lambda: _settings(ctx, freq_mhz=FREQ_STEP_MHZ),
        "focus_up": lambda: _settings(ctx, focus_cm=-FOCUS_STEP_CM),
        "focus_down": lambda: _settings(ctx, focus_cm=FOCUS_STEP_CM),
        "doppler": lambda: _settings(ctx),
        "insert": lambda: [] if ctx.needle is not None else [a.Insert(
            x_mm=ctx.plan.x_mm, y_mm=ctx.plan.y_mm, angle_deg=ctx.plan.angle_deg, heading_deg=ctx.plan.heading_deg)],
        "advance": lambda: [a.Advance(mm=NEEDLE_STEP_MM)] if ctx.needle else [],
        "withdraw": lambda: [a.Withdraw(mm=NEEDLE_STEP_MM)] if ctx.needle else [],
        "advance_5": lambda: [a.Advance(mm=5 * NEEDLE_STEP_MM)] if ctx.needle else [],
        "withdraw_5": lambda: [a.Withdraw(mm=5 * NEEDLE_STEP_MM)] if ctx.needle else [],
        "fast_in_out": lambda: [a.Advance(mm=FAST_IN_OUT_MM), a.Withdraw(mm=FAST_IN_OUT_MM)] if ctx.needle else [],
        "angle_less": lambda: _redirect(ctx, dangle=-NEEDLE_TURN_DEG),
        "angle_more": lambda: _redirect(ctx, dangle=NEEDLE_TURN_DEG),
        "heading_less": lambda: _redirect(ctx, dheading=-NEEDLE_TURN_DEG),
        "heading_more": lambda: _redirect(ctx, dheading=NEEDLE_TURN_DEG),
        "remove_needle": lambda: [a.RemoveNeedle()] if ctx.needle else [],
        "mark": lambda: [a.Mark(x_mm=ctx.finger_mm[0], y_mm=ctx.finger_mm[1])] if ctx.finger_mm else [],
        "erase_mark": lambda: [a.EraseMark(x_mm=ctx.finger_mm[0], y_mm=ctx.finger_mm[1])]
        if ctx.finger_mm else [a.EraseMark()],
    }
    make = simple.get(command)
    return make() if make else scanner_actions(command, ctx)


# Commands that, with no needle in, change the UI's insertion plan instead of sending actions.
PLAN_COMMANDS = {"angle_less": (-NEEDLE_TURN_DEG, 0.0), "angle_more": (NEEDLE_TURN_DEG, 0.0),
                 "heading_less": (0.0, -NEEDLE_TURN_DEG), "heading_more": (0.0, NEEDLE_TURN_DEG)}
