"""What the finger feels and the patient reports when the trainee presses or snaps the skin.

Each trigger point sits in a taut band (a cord 1-4 mm wide, domain.md §1.1 [6]). Pressing
over the point gives spot tenderness, the criterion used most often (§1.1 [21]); along the
rest of the band it is mildly tender and firm, beside it soft. An active point reproduces
the complaint and the patient recognises it; a latent one is tender but not recognised
(§1.2 [2][3]). Recognition and the jump sign are among the more reproducible findings, the
palpated twitch among the least (§1.3 [18][19]), so snapping gives an LTR only now and then.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from simulator.core import speech
from simulator.core.events import PalpationFelt
from simulator.core.state import PalpationFeedback
from simulator.scenario.schema import Case, TriggerPoint

# Authoring choices (not measured figures): a fingertip pad about 8 mm across blurs what is
# felt; full tenderness needs firm pressure; deeper points are harder to reach from the skin.
FINGER_RADIUS_MM = 4.0
FIRM_PRESSURE = 0.7  # pressure (0..1) at and above which a point gives its full tenderness
DEPTH_FELT_FULLY_MM = 20.0
DEPTH_FALLOFF_MM = 30.0
BAND_TENDERNESS_FRACTION = 0.25  # the band away from the spot is only mildly tender
JUMP_SIGN_PAIN = 7  # pain (0-10) above which the patient winces out of proportion (§1.1 [6])
RECOGNITION_PAIN = 4  # an active point must hurt at least this much to be recognised
REFERRAL_PAIN = 5  # referral appears with a strong stimulus of the point
BASE_FIRMNESS = 0.2  # relaxed muscle under the finger
BAND_FIRMNESS = 0.55
NODULE_FIRMNESS = 0.2
SNAP_MAX_ANGLE_FROM_PERPENDICULAR_DEG = 45.0  # the flick must cross the band, not run along it


@dataclass(frozen=True)
class PalpationResult:
    firmness: float  # 0 soft .. 1 hard
    pain: int  # 0..10
    jump_sign: bool
    point_id: str | None
    referred_regions: tuple[str, ...]
    recognised: bool


def band_coords(point: TriggerPoint, x_mm: float, y_mm: float) -> tuple[float, float]:
    """(along, across) distances in mm from the point centre in the band's own axes."""
    h = math.radians(point.taut_band.direction_deg)
    dx, dy = x_mm - point.x_mm, y_mm - point.y_mm
    return dx * math.cos(h) + dy * math.sin(h), -dx * math.sin(h) + dy * math.cos(h)


def _depth_factor(point: TriggerPoint) -> float:
    return math.exp(-max(0.0, point.depth_mm - DEPTH_FELT_FULLY_MM) / DEPTH_FALLOFF_MM)


def _along_window(point: TriggerPoint, along_mm: float) -> float:
    """1 along the palpable length of the band, fading over a finger width beyond its ends."""
    beyond = abs(along_mm) - point.taut_band.length_mm / 2
    if beyond <= 0:
        return 1.0
    return math.exp(-0.5 * (beyond / FINGER_RADIUS_MM) ** 2)


def _spot(point: TriggerPoint, along_mm: float, across_mm: float) -> float:
    """Spot tenderness: a bump the size of the point blurred by the fingertip."""
    sigma_along = math.hypot(FINGER_RADIUS_MM, point.size.length_mm / 2)
    sigma_across = math.hypot(FINGER_RADIUS_MM, point.size.width_mm / 2)
    return math.exp(-0.5 * ((along_mm / sigma_along) ** 2 + (across_mm / sigma_across) ** 2))


def _on_band(point: TriggerPoint, along_mm: float, across_mm: float) -> float:
    sigma = math.hypot(point.taut_band.width_mm / 2, FINGER_RADIUS_MM / 2)
    return math.exp(-0.5 * (across_mm / sigma) ** 2) * _along_window(point, along_mm)


def point_pain(point: TriggerPoint, x_mm: float, y_mm: float, pressure: float) -> float:
    """Pain (0-10, unrounded) this one point gives under the finger."""
    along, across = band_coords(point, x_mm, y_mm)
    press = min(1.0, max(0.0, pressure) / FIRM_PRESSURE)
    local = max(_spot(point, along, across), BAND_TENDERNESS_FRACTION * _on_band(point, along, across))
    return point.tenderness * press * local * _depth_factor(point)


def firmness_at(points: Sequence[TriggerPoint], x_mm: float, y_mm: float) -> float:
    """How hard the tissue feels: firmer on a band, firmest on its nodule."""
    extra = 0.0
    for point in points:
        along, across = band_coords(point, x_mm, y_mm)
        felt = BAND_FIRMNESS * _on_band(point, along, across) + NODULE_FIRMNESS * _spot(point, along, across)
        extra = max(extra, felt * _depth_factor(point))
    return min(1.0, BASE_FIRMNESS + extra)


def palpate(case: Case, x_mm: float, y_mm: float, pressure: float) -> PalpationResult:
    """Press at (x, y): firmness, pain, jump sign, and what the dominant point refers and reproduces."""
    best: TriggerPoint | None = None
    best_pain = 0.0
    for point in case.trigger_points:
        pain = point_pain(point, x_mm, y_mm, pressure)
        if pain > best_pain:
            best, best_pain = point, pain
    pain = int(min(10, round(best_pain)))
    firmness = firmness_at(case.trigger_points, x_mm, y_mm)
    if best is None or pain <= 0:
        return PalpationResult(firmness, 0, False, None, (), False)
    active = best.activity == "active"
    recognised = active and pain >= RECOGNITION_PAIN
    regions: tuple[str, ...] = ()
    if pain >= REFERRAL_PAIN:
        regions = tuple(best.referred_pain)
        if not regions and active:
            # An active point reproduces the complaint, so its zone is the complaint's (§1.2 [2]).
            regions = tuple(case.patient.chief_complaint.regions)
    return PalpationResult(
        firmness=firmness,
        pain=pain,
        jump_sign=pain >= JUMP_SIGN_PAIN,
        point_id=best.id,
        referred_regions=regions,
        recognised=recognised,
    )


def band_under_finger(case: Case, x_mm: float, y_mm: float, direction_deg: float) -> tuple[TriggerPoint | None, bool]:
    """The band a snap at (x, y) catches, and whether the flick goes across it.

    Returns (point, across). A flick along the band, or one that misses every band, catches
    nothing that can twitch.
    """
    nearest: TriggerPoint | None = None
    nearest_across = math.inf
    for point in case.trigger_points:
        along, across = band_coords(point, x_mm, y_mm)
        reach = point.taut_band.width_mm / 2 + FINGER_RADIUS_MM
        if abs(across) <= reach and abs(along) <= point.taut_band.length_mm / 2 and abs(across) < nearest_across:
            nearest, nearest_across = point, abs(across)
    if nearest is None:
        return None, False
    diff = (direction_deg - nearest.taut_band.direction_deg) % 180.0
    off_perpendicular = abs(diff - 90.0)
    return nearest, off_perpendicular <= SNAP_MAX_ANGLE_FROM_PERPENDICULAR_DEG


def press(case: Case, x_mm: float, y_mm: float, pressure: float, t_s: float,
          previous: PalpationFeedback | None) -> tuple[PalpationFeedback, PalpationFelt]:
    """A press as the UI shows it (feedback kept in state) and as the log records it (event)."""
    felt = palpate(case, x_mm, y_mm, pressure)
    phrase = case.patient.chief_complaint.recognition_phrase
    line = speech.palpation(felt.pain, felt.jump_sign, felt.recognised, phrase, felt.referred_regions)
    held = previous.jump_sign_t_s if previous is not None and previous.finger_down else None
    # A patient answers a change, not every instant of a steady press: repeat nothing while the
    # finger stays down and the answer is the same.
    repeated = previous is not None and previous.finger_down and previous.speech == line
    feedback = PalpationFeedback(
        x_mm=x_mm, y_mm=y_mm, pressure=pressure, pain=felt.pain, firmness=felt.firmness,
        jump_sign_t_s=t_s if felt.jump_sign else held, referred_regions=felt.referred_regions,
        recognised=felt.recognised, point_id=felt.point_id, speech=line, finger_down=True,
    )
    event = PalpationFelt(
        t_s=t_s, x_mm=x_mm, y_mm=y_mm, pressure=pressure, firmness=felt.firmness, pain=felt.pain,
        jump_sign=felt.jump_sign, point_id=felt.point_id, referred_regions=felt.referred_regions,
        recognised=felt.recognised, speech=None if repeated else line,
    )
    return feedback, event
