"""InputContext: what the input map needs to know to turn an input event into actions.

The screen builds one per frame from the Session's state and its own widget choices; the
input map reads it and changes nothing, so it can be tested with hand-made contexts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from simulator.core import actions
from simulator.core.geometry import PROBE_FOOTPRINT_MM, NeedleGeometry, ProbePose
from simulator.core.state import ScannerSettings
from simulator.render.transform import MmView

# How far beyond the probe's end the default in-plane entry point sits (mm).
ENTRY_BEYOND_PROBE_MM = 5.0
DEFAULT_ANGLE_DEG = 30.0  # shallow in-plane approach for tip visibility ([89][87])


@dataclass(frozen=True)
class PlannedNeedle:
    """Where and how the next insertion goes; the UI's plan, sent as an Insert action."""

    x_mm: float
    y_mm: float
    angle_deg: float
    heading_deg: float


def default_plan(probe: ProbePose, probe_kind: str, angle_deg: float = DEFAULT_ANGLE_DEG) -> PlannedNeedle:
    """In plane: enter on the probe's axis just beyond its −heading end, travelling along +heading."""
    half_mm = PROBE_FOOTPRINT_MM.get(probe_kind, 38.0) / 2 + ENTRY_BEYOND_PROBE_MM
    ax, ay = probe.axis
    return PlannedNeedle(probe.x_mm - half_mm * ax, probe.y_mm - half_mm * ay, angle_deg, probe.heading_deg)


def plan_from_entry(x_mm: float, y_mm: float, probe: ProbePose, angle_deg: float) -> PlannedNeedle:
    """A chosen entry point, aimed at the probe centre."""
    heading = math.degrees(math.atan2(probe.y_mm - y_mm, probe.x_mm - x_mm))
    return PlannedNeedle(x_mm, y_mm, angle_deg, heading)


PARK_FRACTION = 0.08  # where the probe rests before a scored attempt: near the region's lower-left corner


def start_off_skin(case) -> list:
    """The opening actions of a scored attempt (assessment, exam): the probe is moved to a corner of
    the region, away from the case's preset pose over the target, and lifted. Sent as actions at
    t = 0, so the replay starts the same way and re-scores to the same result; placing the probe
    again (L) then puts it at the corner, not over the answer."""
    region = case.body_region
    pose = region.default_probe
    x_mm = round(region.width_mm * PARK_FRACTION, 1)
    y_mm = round(region.height_mm * (1 - PARK_FRACTION), 1)
    return [actions.Probe(x_mm=x_mm, y_mm=y_mm, heading_deg=pose.heading_deg, pressure=0.2), actions.LiftProbe()]


@dataclass(frozen=True)
class Choices:
    """The widget choices that actions carry (position, needle, agent, volumes)."""

    position: str = "prone"
    needle_gauge: int = 25
    needle_length_mm: float = 38.0
    agent_id: str | None = None
    volume_ml: float = 1.0
    inject_ml: float = 0.5


@dataclass(frozen=True)
class InputContext:
    probe: ProbePose
    probe_on_skin: bool
    settings: ScannerSettings
    freq_range_mhz: tuple[float, float]
    region_mm: tuple[float, float]  # width, height of the body region
    needle: NeedleGeometry | None
    plan: PlannedNeedle
    choices: Choices = field(default_factory=Choices)
    palpation_view: MmView | None = None
    pressing: bool = False  # left button held on the palpation view
    pressure: float = 0.0  # current finger pressure 0..1
    finger_mm: tuple[float, float] | None = None  # last finger position
    grip: str = "flat"  # flat | pincer, toggled with G
    buttons: dict = field(default_factory=dict)  # pygame_gui element -> command name
    mods: int = 0  # keyboard modifiers held now (mouse events do not carry them)
    probe_tilt_deg: float = 0.0  # heel-toe tilt now
