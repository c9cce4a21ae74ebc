"""The field types every part of the case format shares, and the bounds on every number.

A case is one pydantic model (schema.Case) assembled from parts in sibling modules; this one
holds what they all use: the strict base model (unknown keys are errors), the bounded number
types, the fixed vocabularies and the body-map region check.
"""

from __future__ import annotations

import difflib
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from simulator.scenario.body_map import BODY_MAP_NAMES


def check_body_region(name: str) -> str:
    """One body-map name; a near miss gets a suggestion."""
    if name not in BODY_MAP_NAMES:
        close = difflib.get_close_matches(name, BODY_MAP_NAMES, n=1, cutoff=0.75)
        hint = f" (did you mean '{close[0]}'?)" if close else " (e.g. temple_right, posterior_neck_left)"
        raise ValueError(f"unknown body-map region {name!r}{hint}; the vocabulary is listed in docs/authoring.md")
    return name


BodyRegionName = Annotated[
    str,
    Field(
        description="A region of the body-map vocabulary, e.g. temple_right, posterior_neck_left, "
        "buttock_right, interscapular. See docs/authoring.md for the full list.",
        json_schema_extra={"enum": list(BODY_MAP_NAMES)},
    ),
    AfterValidator(check_body_region),
]

# Physical bounds on every number a case gives, so that whatever validates also loads, renders
# and plays within seconds (the model's grids, splines and paths stay small and well-conditioned).
# They are generous: the body regions of the shipped cases are 95-180 mm across, their deepest
# structures a few cm down. Positions are also checked against the region itself (crosscheck).
MAX_REGION_MM = 1000.0  # a palpation area up to 1 m across
MIN_REGION_MM = 10.0
MAX_COORD_MM = 2 * MAX_REGION_MM  # x_mm / y_mm: the crosscheck narrows this to the region
MAX_DEPTH_MM = 500.0  # anything deeper than half a metre is not under the skin of one region
MAX_RADIUS_MM = 100.0
MAX_ANGLE_DEG = 360.0
MAX_POINTS = 500  # vertices of one outline, control points of one layer, points of one path
MAX_ITEMS = 100  # layers, vessels, nerves, cylinders, landmarks, outlines, trigger points

Coordinate = Annotated[float, Field(ge=-MAX_COORD_MM, le=MAX_COORD_MM, allow_inf_nan=False)]
Depth = Annotated[float, Field(ge=0, le=MAX_DEPTH_MM, allow_inf_nan=False)]
PositiveDepth = Annotated[float, Field(gt=0, le=MAX_DEPTH_MM, allow_inf_nan=False)]
Radius = Annotated[float, Field(gt=0, le=MAX_RADIUS_MM, allow_inf_nan=False)]
Angle = Annotated[float, Field(ge=-MAX_ANGLE_DEG, le=MAX_ANGLE_DEG, allow_inf_nan=False)]
RegionSize = Annotated[float, Field(ge=MIN_REGION_MM, le=MAX_REGION_MM, allow_inf_nan=False)]
Probability = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Sources = Annotated[
    list[Annotated[int, Field(ge=1, le=9999)]],
    Field(
        default_factory=list,
        description="Numbers of the entries in this case's `references` that back the figures in this block.",
    ),
]

AgentClass = Literal["amide", "ester", "steroid", "toxin", "none", "homeopathic"]
AllergyClass = Literal["amide", "ester", "steroid", "toxin", "paraben", "sulfite", "latex", "chlorhexidine", "iodine"]
Position = Literal["prone", "seated", "side_lying", "supine"]
Additive = Literal["paraben", "sulfite"]
# The aftercare items of the end of the visit (labels and meanings in core/aftercare.py).
AftercareItem = Literal[
    "pressure", "recheck", "stretch", "heat", "activity", "soreness", "safety_net", "self_care", "referral",
    "follow_up", "repeat_plan",
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def check_body_regions(names: list[str]) -> list[str]:
    """Body-map names, as a list field's validator; the first unknown one is named."""
    unknown = [n for n in names if n not in BODY_MAP_NAMES]
    if unknown:
        raise ValueError(
            f"unknown body-map region {unknown[0]!r}; expected one of the vocabulary in docs/authoring.md "
            f"(e.g. temple_right, posterior_neck_left)"
        )
    return names
