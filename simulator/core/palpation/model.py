"""The palpation model without chance: what a press or a stroke would give on average.

Each trigger point sits in a taut band (a cord 1-4 mm wide, Kishner/Medscape). The
examiner finds the band by sliding across the fibres, and the point as the most tender spot
along it (Kishner/Medscape; Li 2020). Around it the muscle is mildly tender over a broad area, so a
search that starts 10-20 mm away still has a slope to climb. How much reaches the finger
depends on the tissue above the muscle (the layer model, so habitus matters) and, for pain,
on how hard the finger presses: deep pressure still reproduces a deep point's complaint
while its band cannot be felt (the S5 piriformis case). The random part (where this session's patient feels
it, per-press noise, the patient's answers) is in `exam.py`; every constant is listed with
its source or marked as an authoring choice in docs/palpation.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from simulator.scenario.schema import TriggerPoint

# ---- the finger (authoring choices): a pad about 8 mm across blurs what is felt
FINGER_RADIUS_MM = 4.0
FIRM_PRESSURE = 0.7  # pressure (0..1) at and above which a shallow point gives its full tenderness
# ---- tenderness (authoring choices, shaped on the criteria in docs/palpation.md)
BAND_TENDERNESS_FRACTION = 0.35  # the band beside the spot is only mildly tender ...
BAND_TENDERNESS_SIGMA_MM = 12.0  # ... and less so further along it
BAND_TENDERNESS_FLOOR = 0.4  # share of that band tenderness left far along the band
REGIONAL_TENDERNESS_FRACTION = 0.35  # broad low-grade soreness over the affected muscle, of the point's tenderness
REGIONAL_SIGMA_ALONG_MM = 18.0  # along the fibres the soreness spreads further ...
REGIONAL_SIGMA_ACROSS_MM = 12.0  # ... than across them
SPREAD_PER_COVER = 0.25  # a deep point's tenderness is blurred by this much per mm of tissue above it
REACH_LIGHT_MM = 15.0  # tissue a light press reaches through without losing tenderness
REACH_PER_PRESSURE_MM = 60.0  # extra reach at full pressure (15 + 60 = 75 mm: deep pressure reaches piriformis under 7 cm)
DEPTH_FALLOFF_MM = 15.0  # beyond its reach tenderness fades with this length
# ---- firmness (authoring choices); the levels are what the finger reports
BASE_FIRMNESS = 0.2  # relaxed muscle
TONE_FIRMNESS = 0.08  # the affected muscle around the point is a little firmer
BAND_FIRMNESS = 0.32  # the ridge of a band under a stroke across it
NODULE_FIRMNESS = 0.12  # the harder knot at the point
STATIC_BAND_FRACTION = 0.35  # a press that does not slide feels only this much of the ridge
STROKE_FULL_MM = 3.0  # a slide this long or longer counts as a full stroke
BAND_COVER_HALF_MM = 25.0  # tissue above the muscle at which half the bands are still felt
BAND_COVER_SCALE_MM = 4.0  # how sharply band detection fades around that depth
PINCER_COVER_FACTOR = 0.3  # a pincer grip lifts the muscle: only this share of the cover is in the way
PINCER_MUSCLES = ("upper_trapezius", "sternocleidomastoid", "pectoralis_major", "latissimus_dorsi")  # Scholten 2017
FEEL_LEVELS = (("soft", 0.0), ("firm", 0.3), ("ropy band", 0.45), ("nodule", 0.65))  # level, lowest firmness


@dataclass(frozen=True)
class FeltPoint:
    """One trigger point as this session's finger finds it: shifted by the session's offset."""

    point: TriggerPoint
    x_mm: float  # where it is felt on the skin (the true centre plus this session's offset)
    y_mm: float
    cover_mm: float  # tissue above its muscle at the point, from the layer model
    pincer: bool  # its muscle can be lifted between thumb and fingers
    tension: float = 1.0  # how taut the band is in this session (scales the ridge the finger can feel)


def band_coords(fp: FeltPoint, x_mm: float, y_mm: float) -> tuple[float, float]:
    """(along, across) distances in mm from the felt centre in the band's own axes."""
    h = math.radians(fp.point.taut_band.direction_deg)
    dx, dy = x_mm - fp.x_mm, y_mm - fp.y_mm
    return dx * math.cos(h) + dy * math.sin(h), -dx * math.sin(h) + dy * math.cos(h)


def _along_window(fp: FeltPoint, along_mm: float) -> float:
    """1 along the palpable length of the band, fading over a finger width beyond its ends."""
    beyond = abs(along_mm) - fp.point.taut_band.length_mm / 2
    return 1.0 if beyond <= 0 else math.exp(-0.5 * (beyond / FINGER_RADIUS_MM) ** 2)


def _spot(fp: FeltPoint, along_mm: float, across_mm: float) -> float:
    """Spot tenderness: a bump the size of the point, blurred by the fingertip and the tissue above."""
    blur = SPREAD_PER_COVER * fp.cover_mm
    sigma_along = math.hypot(FINGER_RADIUS_MM, fp.point.size.length_mm / 2, blur)
    sigma_across = math.hypot(FINGER_RADIUS_MM, fp.point.size.width_mm / 2, blur)
    return math.exp(-0.5 * ((along_mm / sigma_along) ** 2 + (across_mm / sigma_across) ** 2))


def _on_band(fp: FeltPoint, along_mm: float, across_mm: float) -> float:
    sigma = math.hypot(fp.point.taut_band.width_mm / 2, FINGER_RADIUS_MM / 2)
    return math.exp(-0.5 * (across_mm / sigma) ** 2) * _along_window(fp, along_mm)


def regional(fp: FeltPoint, x_mm: float, y_mm: float) -> float:
    """0..1: the broad soreness and tone of the affected muscle around the point."""
    along, across = band_coords(fp, x_mm, y_mm)
    return math.exp(-0.5 * ((along / REGIONAL_SIGMA_ALONG_MM) ** 2 + (across / REGIONAL_SIGMA_ACROSS_MM) ** 2))


def reach_factor(cover_mm: float, pressure: float) -> float:
    """0..1: how much of a point's tenderness a press reaches through `cover_mm` of tissue."""
    reach_mm = REACH_LIGHT_MM + REACH_PER_PRESSURE_MM * min(1.0, max(0.0, pressure))
    return math.exp(-max(0.0, cover_mm - reach_mm) / DEPTH_FALLOFF_MM)


def expected_pain(fp: FeltPoint, x_mm: float, y_mm: float, pressure: float) -> float:
    """Pain (0-10, unrounded, before the patient's noise) this one point gives under the finger."""
    along, across = band_coords(fp, x_mm, y_mm)
    press = min(1.0, max(0.0, pressure) / FIRM_PRESSURE)
    # Along the band the tenderness grows towards the spot, so sliding along it leads somewhere (Kishner/Medscape).
    towards = BAND_TENDERNESS_FLOOR + (1 - BAND_TENDERNESS_FLOOR) * math.exp(-0.5 * (along / BAND_TENDERNESS_SIGMA_MM) ** 2)
    local = max(_spot(fp, along, across), BAND_TENDERNESS_FRACTION * towards * _on_band(fp, along, across))
    wide = REGIONAL_TENDERNESS_FRACTION * regional(fp, x_mm, y_mm)
    felt = 1.0 - (1.0 - local) * (1.0 - wide)
    return fp.point.tenderness * press * reach_factor(fp.cover_mm, pressure) * felt


def band_detectability(fp: FeltPoint, pincer: bool = False) -> float:
    """0..1: how well the finger can feel this band through the tissue above it (habitus matters)."""
    cover = fp.cover_mm * (PINCER_COVER_FACTOR if pincer and fp.pincer else 1.0)
    return 1.0 / (1.0 + math.exp((cover - BAND_COVER_HALF_MM) / BAND_COVER_SCALE_MM))


def stroke_factor(fp: FeltPoint, dx_mm: float, dy_mm: float) -> float:
    """How much of the ridge a movement reveals: little for a static press, most across the fibres.

    Smooth in the angle: |sin| of the angle between the slide and the band, scaled by the slide's length.
    """
    length = math.hypot(dx_mm, dy_mm)
    if length == 0:
        return STATIC_BAND_FRACTION
    h = math.radians(fp.point.taut_band.direction_deg)
    across = abs(-dx_mm * math.sin(h) + dy_mm * math.cos(h)) / length
    return STATIC_BAND_FRACTION + (1 - STATIC_BAND_FRACTION) * across * min(1.0, length / STROKE_FULL_MM)


def closest_on_stroke(fp: FeltPoint, x0_mm: float, y0_mm: float, x1_mm: float, y1_mm: float) -> tuple[float, float]:
    """(along, across) of the stroke's point nearest the band line: a slide that crosses the band felt it."""
    a0, c0 = band_coords(fp, x0_mm, y0_mm)
    a1, c1 = band_coords(fp, x1_mm, y1_mm)
    if c0 == c1 or (c0 > 0) == (c1 > 0) and c0 != 0 and c1 != 0:
        return (a0, c0) if abs(c0) < abs(c1) else (a1, c1)
    f = c0 / (c0 - c1)  # the slide crosses the line here
    return a0 + f * (a1 - a0), 0.0


def expected_firmness(fp: FeltPoint, start_mm: tuple[float, float], end_mm: tuple[float, float],
                      pressure: float, pincer: bool) -> float:
    """The firmness (0..1) this point adds under a press or slide from `start_mm` to `end_mm`."""
    along, across = closest_on_stroke(fp, *start_mm, *end_mm)
    ridge = BAND_FIRMNESS * _on_band(fp, along, across) + NODULE_FIRMNESS * _spot(fp, along, across)
    dx, dy = end_mm[0] - start_mm[0], end_mm[1] - start_mm[1]
    press = 0.5 + 0.5 * min(1.0, max(0.0, pressure) / FIRM_PRESSURE)
    return ridge * fp.tension * band_detectability(fp, pincer) * stroke_factor(fp, dx, dy) * press


def crossed_band(fp: FeltPoint, start_mm: tuple[float, float], end_mm: tuple[float, float]) -> bool:
    """Geometric truth (hidden from the trainee): the finger passed over the band's line within its length."""
    along, across = closest_on_stroke(fp, *start_mm, *end_mm)
    return abs(across) <= fp.point.taut_band.width_mm / 2 and abs(along) <= fp.point.taut_band.length_mm / 2


def feel_level(firmness: float) -> str:
    """The coarse word the finger gives for a firmness: soft, firm, ropy band or nodule."""
    level = FEEL_LEVELS[0][0]
    for name, lowest in FEEL_LEVELS:
        if firmness >= lowest:
            level = name
    return level


def logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, x))))


def snap_catch(fp: FeltPoint, x_mm: float, y_mm: float, direction_deg: float) -> tuple[float, float]:
    """(catch, across): how squarely a flick at (x, y) catches this band, and how much it goes across it.

    `catch` falls smoothly with the distance from the felt band line; `across` is sin² of the
    angle between the flick and the band (1 perpendicular, 0.5 at 45 degrees, 0 along it).
    """
    along, across_mm = band_coords(fp, x_mm, y_mm)
    sigma = math.hypot(fp.point.taut_band.width_mm / 2, FINGER_RADIUS_MM)
    catch = math.exp(-0.5 * (across_mm / sigma) ** 2) * _along_window(fp, along)
    angle = math.radians(direction_deg - fp.point.taut_band.direction_deg)
    return catch, math.sin(angle) ** 2
