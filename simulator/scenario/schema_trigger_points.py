"""The trigger-point part of a case: where each point lies, how it feels and how it twitches."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from simulator.scenario.schema_fields import (
    MAX_REGION_MM,
    Angle,
    BodyRegionName,
    Coordinate,
    PositiveDepth,
    Probability,
    Sources,
    Strict,
    check_body_regions,
)


class TautBand(Strict):
    direction_deg: Angle = Field(description="Band direction on the skin, degrees from +x (usually the fibre direction).")
    length_mm: float = Field(default=40.0, gt=0, le=MAX_REGION_MM, description="Palpable length of the band.")
    width_mm: float = Field(default=3.0, ge=0.5, le=10, description="Band width; 1-4 mm (docs/sources.md [6]).")


class Twitch(Strict):
    locus_radius_mm: float = Field(default=2.5, gt=0, le=50, description="Radius of the sensitive locus around the centre.")
    needle_probability: Probability = Field(
        default=0.8, description="Chance of an LTR per fast in-out pass through the locus (Hong [13][14])."
    )
    snap_probability: Probability = Field(
        default=0.2, description="Chance of an LTR per snap across the band; palpation LTRs are unreliable ([18][19])."
    )


class TriggerPointSize(Strict):
    length_mm: float = Field(default=6.0, gt=0, le=100, description="Diameter along the band.")
    width_mm: float = Field(default=3.4, gt=0, le=100, description="Diameter across the band.")
    height_mm: float = Field(
        default=3.4, gt=0, le=100,
        description="Diameter in depth. Default 6 x 3.4 mm gives about 0.16 cm2 (Sikdar 2009 [25]).",
    )


class TriggerPoint(Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$", description="Short id, e.g. ut1.")
    muscle: str = Field(min_length=1, description="Name of the muscle layer that contains it.")
    x_mm: Coordinate = Field(description="Centre on the skin.")
    y_mm: Coordinate = Field(description="Centre on the skin.")
    depth_mm: PositiveDepth = Field(description="Centre below the skin.")
    size: TriggerPointSize = Field(default_factory=TriggerPointSize, description="Ellipsoid diameters.")
    activity: Literal["active", "latent"] = Field(description="Active points reproduce the complaint ([2][3]).")
    referred_pain: list[BodyRegionName] = Field(default_factory=list, description="Where pressing it refers pain.")
    tenderness: float = Field(default=7.0, ge=0, le=10, description="Pain (0-10) under firm pressure on the centre.")
    taut_band: TautBand = Field(description="The band the point sits in.")
    twitch: Twitch = Field(default_factory=Twitch, description="Local twitch response sensitivity.")
    echo_contrast_db: float = Field(
        default=-6.0,
        ge=-30,
        le=15,
        description="Echogenicity relative to the muscle around it; negative is hypoechoic (Sikdar [25]; "
        "disputed [28]). The -6 dB default is an authoring choice, not a measured figure.",
    )
    sources: Sources

    _referred = field_validator("referred_pain")(check_body_regions)
