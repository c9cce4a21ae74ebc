"""The body-map vocabulary: the fixed names a case uses for pain and referral regions.

Each name is `<area>_<side>` (or a bare midline area). The same table places every
region on the small front/back body map the trainer lights up, in normalised
coordinates (0..1 across, 0..1 down) of a figure drawn facing the viewer (front) or
facing away (back). Keeping the names and the drawing in one table means a region an
educator can name is always a region the trainee can see.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

View = Literal["front", "back"]


@dataclass(frozen=True)
class MapRegion:
    """One region of the body map: where it is drawn, and how it reads in speech."""

    view: View
    x: float  # 0..1 across the figure, viewer's left to right
    y: float  # 0..1 from the top of the head to the feet
    radius: float  # 0..1 of the figure width
    spoken: str  # how a patient would name it ("my temple")


# Bilateral areas: (view, x offset from the midline for the patient's right side, y, radius, spoken).
# On the back view the patient's right is on the viewer's right; on the front view it is on the left.
_BILATERAL: dict[str, tuple[View, float, float, float, str]] = {
    "temple": ("front", 0.07, 0.045, 0.05, "temple"),
    "behind_eye": ("front", 0.035, 0.05, 0.035, "eye"),
    "forehead": ("front", 0.04, 0.03, 0.04, "forehead"),
    "jaw": ("front", 0.06, 0.09, 0.045, "jaw"),
    "cheek": ("front", 0.055, 0.07, 0.04, "cheek"),
    "ear": ("front", 0.095, 0.06, 0.035, "ear"),
    "upper_teeth": ("front", 0.03, 0.075, 0.03, "upper teeth"),
    "lower_teeth": ("front", 0.03, 0.095, 0.03, "lower teeth"),
    "occiput": ("back", 0.04, 0.04, 0.05, "back of the head"),
    "posterior_neck": ("back", 0.04, 0.11, 0.045, "back of the neck"),
    "lateral_neck": ("front", 0.07, 0.12, 0.04, "side of the neck"),
    "angle_of_neck": ("back", 0.09, 0.145, 0.05, "where the neck meets the shoulder"),
    "upper_shoulder": ("back", 0.16, 0.16, 0.06, "top of the shoulder"),
    "anterior_shoulder": ("front", 0.2, 0.19, 0.055, "front of the shoulder"),
    "lateral_shoulder": ("back", 0.23, 0.2, 0.05, "outside of the shoulder"),
    "scapula": ("back", 0.13, 0.22, 0.07, "shoulder blade"),
    "medial_scapular_border": ("back", 0.06, 0.23, 0.05, "inner edge of the shoulder blade"),
    "anterior_arm": ("front", 0.24, 0.27, 0.05, "front of the upper arm"),
    "lateral_arm": ("back", 0.25, 0.28, 0.05, "outside of the upper arm"),
    "forearm": ("front", 0.28, 0.4, 0.05, "forearm"),
    "hand": ("front", 0.31, 0.5, 0.045, "hand"),
    "chest": ("front", 0.09, 0.24, 0.07, "chest"),
    "low_back": ("back", 0.06, 0.4, 0.06, "low back"),
    "flank": ("back", 0.13, 0.37, 0.05, "flank"),
    "iliac_crest": ("back", 0.11, 0.45, 0.05, "hip bone"),
    "sacroiliac": ("back", 0.05, 0.49, 0.045, "sacroiliac area"),
    "buttock": ("back", 0.09, 0.53, 0.07, "buttock"),
    "lateral_hip": ("back", 0.16, 0.53, 0.05, "side of the hip"),
    "groin": ("front", 0.07, 0.52, 0.045, "groin"),
    "posterior_thigh": ("back", 0.09, 0.64, 0.06, "back of the thigh"),
    "lateral_thigh": ("back", 0.15, 0.64, 0.05, "outside of the thigh"),
    "posterior_knee": ("back", 0.085, 0.72, 0.04, "back of the knee"),
    "calf": ("back", 0.08, 0.82, 0.05, "calf"),
    "ankle": ("front", 0.075, 0.925, 0.032, "ankle"),
    "foot": ("front", 0.082, 0.965, 0.035, "foot"),
    "heel": ("back", 0.075, 0.962, 0.03, "heel"),
}

# Midline areas: (view, y, radius, spoken).
_MIDLINE: dict[str, tuple[View, float, float, str]] = {
    "vertex": ("front", 0.005, 0.04, "top of the head"),
    "throat": ("front", 0.125, 0.035, "throat"),
    "sternum": ("front", 0.22, 0.05, "breastbone"),
    "interscapular": ("back", 0.22, 0.05, "between the shoulder blades"),
    "thoracic_spine": ("back", 0.3, 0.05, "middle of the back"),
    "lumbar_spine": ("back", 0.41, 0.05, "lower spine"),
    "sacrum": ("back", 0.49, 0.04, "tailbone area"),
}


def _build() -> dict[str, MapRegion]:
    regions: dict[str, MapRegion] = {}
    for area, (view, dx, y, radius, spoken) in _BILATERAL.items():
        for side, sign in (("right", 1.0), ("left", -1.0)):
            # Back view: patient's right is the viewer's right. Front view: mirrored.
            screen_sign = sign if view == "back" else -sign
            regions[f"{area}_{side}"] = MapRegion(view, 0.5 + screen_sign * dx, y, radius, spoken)
    for area, (view, y, radius, spoken) in _MIDLINE.items():
        regions[area] = MapRegion(view, 0.5, y, radius, spoken)
    return regions


BODY_MAP: dict[str, MapRegion] = _build()
BODY_MAP_NAMES: tuple[str, ...] = tuple(sorted(BODY_MAP))
