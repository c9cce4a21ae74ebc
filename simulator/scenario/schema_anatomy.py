"""The body region and anatomy parts of a case: the skin the trainee palpates and the tissue under it.

Layers from the skin down, vessels, nerves, ribs and bone plates, and per-tissue acoustic
overrides: what the anatomy model (core/anatomy) builds the palpation view and the
ultrasound from.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator, model_validator

from simulator.scenario.acoustics import Tissue
from simulator.scenario.assets import check_asset_name
from simulator.scenario.schema_fields import (
    MAX_ITEMS,
    MAX_POINTS,
    MAX_RADIUS_MM,
    Angle,
    BodyRegionName,
    Coordinate,
    Depth,
    Radius,
    RegionSize,
    Sources,
    Strict,
    check_body_regions,
)


# --------------------------------------------------------------------------- body region


class Landmark(Strict):
    name: str = Field(min_length=1, description="Palpable landmark, e.g. C7 spinous process, acromion.")
    x_mm: Coordinate = Field(description="Position on the skin, mm from the region's left edge.")
    y_mm: Coordinate = Field(description="Position on the skin, mm from the region's top edge.")


class Point2(Strict):
    x_mm: Coordinate = Field(description="mm from the region's left edge.")
    y_mm: Coordinate = Field(description="mm from the region's top edge.")


class Outline(Strict):
    name: str = Field(min_length=1, description="What the outline is, e.g. a muscle name or 'scapula'.")
    kind: Literal["skin", "bone", "muscle"] = Field(default="muscle", description="How the palpation view draws it.")
    points: list[Point2] = Field(
        min_length=3, max_length=MAX_POINTS,
        description="Closed polygon on the skin; points may lie up to one region width or height outside it.",
    )


class Drawing(Strict):
    asset: Annotated[str, AfterValidator(check_asset_name)] | None = Field(
        default=None,
        description="Optional PNG drawn under the outlines (at most 4096x4096 pixels): a relative path looked up "
        "in the case file's folder, then in the shipped assets/ folder, and never leading outside that folder.",
    )
    outlines: list[Outline] = Field(
        default_factory=list,
        max_length=MAX_ITEMS,
        description="Polygons the palpation view draws: body contour and bones always; muscles only as practice hints.",
    )


class ProbePose(Strict):
    x_mm: Coordinate = Field(description="Probe centre on the skin.")
    y_mm: Coordinate = Field(description="Probe centre on the skin.")
    heading_deg: Angle = Field(default=0.0, description="Direction of the probe's long axis; 0 = along +x, 90 = along +y.")


class BodyRegion(Strict):
    name: str = Field(min_length=1, description="E.g. 'Right upper back and neck'.")
    side: Literal["left", "right", "midline", "bilateral"] = Field(description="Which side is being treated.")
    width_mm: RegionSize = Field(description="Width of the palpation area in mm.")
    height_mm: RegionSize = Field(description="Height of the palpation area in mm.")
    landmarks: list[Landmark] = Field(
        default_factory=list, max_length=MAX_ITEMS, description="Palpable landmarks (unique names)."
    )
    drawing: Drawing = Field(default_factory=Drawing, description="What the palpation view draws.")
    default_probe: ProbePose = Field(description="Probe pose used when none is given, e.g. over the target.")


# --------------------------------------------------------------------------- anatomy


class ThicknessPoint(Strict):
    x_mm: Coordinate = Field(
        description="Where this thickness applies; up to one region width or height outside the region."
    )
    y_mm: Coordinate = Field(
        description="Where this thickness applies; up to one region width or height outside the region."
    )
    thickness_mm: Depth = Field(description="Layer thickness at this point, mm.")


class MuscleRegion(Strict):
    name: str = Field(min_length=1, description="The muscle this part of the layer belongs to, e.g. medial_gastrocnemius.")
    outline: list[Point2] = Field(
        min_length=3, max_length=MAX_POINTS,
        description="Closed polygon on the skin: under it the layer is this muscle. Let it reach past the region's "
        "edges (up to one region size) where the muscle does, so no septum is drawn along the edge.",
    )
    fibre_direction_deg: Angle | None = Field(
        default=None, description="Fibre direction of this muscle on the skin, degrees from +x (default: the layer's)."
    )
    pennation_deg: float | None = Field(
        default=None, ge=0, le=45,
        description="Angle of this muscle's fibres to the skin seen in long axis (default: the layer's).",
    )
    septum_mm: float = Field(
        default=0.5, ge=0, le=5,
        description="Width of the fascia septum drawn along the outline inside the layer, which shows the boundary "
        "between side-by-side muscles on the ultrasound (0: none).",
    )
    sources: Sources


class Aponeurosis(Strict):
    depth_fraction: float = Field(
        ge=0.05, le=0.95,
        description="Where the aponeurosis runs, as a share of the muscle layer's thickness from its top (0.5: mid-muscle).",
    )
    thickness_mm: float = Field(default=0.6, ge=0.2, le=2.0, description="Thickness of the aponeurosis, mm.")


class Layer(Strict):
    tissue: Literal["skin", "fat", "fascia", "muscle", "bone", "pleura", "lung"] = Field(
        description="Tissue of this layer. Layers stack from the skin down."
    )
    name: str | None = Field(default=None, description="Muscle name (required for muscle layers), e.g. upper_trapezius.")
    thickness_mm: Depth | Annotated[list[ThicknessPoint], Field(max_length=MAX_POINTS)] | None = Field(
        default=None,
        description="Constant thickness in mm, or control points joined by a smooth thin-plate spline that passes "
        "through each point (points on one line vary only along it); past the points' range it bends back "
        "within a quarter of that range, and never below 0. "
        "Omit only on the last layer, which then extends to the bottom of the model.",
    )
    fibre_direction_deg: Angle | None = Field(
        default=None, description="Muscle fibre direction on the skin, degrees from +x (muscle layers)."
    )
    pennation_deg: float = Field(default=12.0, ge=0, le=45, description="Angle of fibres to the skin seen in long axis.")
    regions: list[MuscleRegion] = Field(
        default_factory=list, max_length=MAX_ITEMS,
        description="Muscle layers only: parts of the layer that belong to other muscles side by side, e.g. the two "
        "heads of gastrocnemius. Where regions overlap the later one wins; elsewhere the layer is `name`.",
    )
    aponeurosis: Aponeurosis | None = Field(
        default=None,
        description="An intramuscular aponeurosis (central tendon) inside this muscle layer, imaged as a bright band "
        "that follows the layer. Only on a muscle layer with a thickness (not the last layer).",
    )
    sources: Sources

    @model_validator(mode="after")
    def _muscle_named(self) -> "Layer":
        if self.tissue == "muscle":
            if not self.name:
                raise ValueError("a muscle layer needs a `name`")
            if self.fibre_direction_deg is None:
                raise ValueError("a muscle layer needs `fibre_direction_deg`")
        elif self.regions:
            raise ValueError(f"only a muscle layer can have `regions` (this layer is {self.tissue})")
        if self.aponeurosis is not None:
            if self.tissue != "muscle":
                raise ValueError("only a muscle layer can have an `aponeurosis`")
            if self.thickness_mm is None:
                raise ValueError("an `aponeurosis` needs the layer's `thickness_mm` (it sits at a share of it)")
        return self


class Point3(Strict):
    x_mm: Coordinate = Field(description="mm from the region's left edge.")
    y_mm: Coordinate = Field(description="mm from the region's top edge.")
    depth_mm: Depth = Field(description="mm below the skin.")


class PathPoint(Point3):
    radius_mm: Annotated[float, Field(gt=0, le=MAX_RADIUS_MM, allow_inf_nan=False)] | None = Field(
        default=None,
        description="Vessels: the lumen radius at this point (default: the vessel's radius_mm); it changes "
        "linearly to the next point.",
    )


class Vessel(Strict):
    name: str = Field(min_length=1, description="E.g. transverse cervical artery.")
    kind: Literal["artery", "vein"] = Field(description="Artery or vein.")
    path: list[PathPoint] = Field(
        min_length=2, max_length=MAX_POINTS,
        description="Centre line, in the direction of blood flow; a point may give its own radius_mm.",
    )
    radius_mm: Radius = Field(description="Lumen radius in mm (at every path point that does not give its own).")
    pulsatile: bool | None = Field(default=None, description="Pulsates with the heart; default true for arteries.")
    compressible: bool | None = Field(default=None, description="Flattens under probe pressure; default true for veins.")
    peak_velocity_cm_s: float = Field(default=30.0, gt=0, le=200, description="Peak flow speed for colour Doppler.")
    sources: Sources


class Nerve(Strict):
    name: str = Field(min_length=1, description="E.g. spinal accessory nerve.")
    path: list[Point3] = Field(min_length=2, max_length=MAX_POINTS, description="Centre line.")
    radius_mm: Radius = Field(description="Radius in mm.")
    territory: list[BodyRegionName] = Field(
        default_factory=list, description="Where paraesthesia is felt when the needle touches it."
    )
    sources: Sources

    _territory = field_validator("territory")(check_body_regions)


class Cylinder(Strict):
    name: str = Field(min_length=1, description="E.g. 2nd rib.")
    tissue: Literal["bone", "fascia", "muscle"] = Field(default="bone", description="What the cylinder is made of.")
    start: Point3 = Field(description="One end of the axis.")
    end: Point3 = Field(description="The other end of the axis.")
    radius_mm: Radius = Field(description="Radius in mm.")
    sources: Sources


class DepthPoint(Strict):
    x_mm: Coordinate = Field(description="Where this depth applies; up to one region width or height outside the region.")
    y_mm: Coordinate = Field(description="Where this depth applies; up to one region width or height outside the region.")
    depth_mm: Depth = Field(description="Depth of the plate's top surface below the skin here, mm.")


class Plate(Strict):
    name: str = Field(min_length=1, description="E.g. scapula (infraspinous fossa).")
    outline: list[Point2] = Field(
        min_length=3, max_length=MAX_POINTS,
        description="Closed polygon on the skin that the plate lies under; up to one region size outside the region.",
    )
    top_mm: Depth | Annotated[list[DepthPoint], Field(min_length=1, max_length=MAX_POINTS)] = Field(
        description="Depth of the plate's top surface: a number, or control points joined by the same smooth "
        "thin-plate spline as layer thicknesses, so the surface can follow a real bone's curve.",
    )
    thickness_mm: Annotated[float, Field(gt=0, le=50, allow_inf_nan=False)] = Field(
        default=3.0, description="Thickness of the plate below its top surface, mm."
    )
    sources: Sources


class AcousticOverride(Strict):
    speed_m_s: float | None = Field(default=None, gt=100, lt=5000, description="Speed of sound.")
    impedance_mrayl: float | None = Field(default=None, gt=0, lt=20, description="Acoustic impedance.")
    attenuation_db_cm_mhz: float | None = Field(default=None, ge=0, le=100, description="Attenuation.")
    scatter_density: float | None = Field(default=None, ge=0, le=10, description="Relative scatterer density.")
    scatter_amplitude: float | None = Field(default=None, ge=0, le=10, description="Relative scatterer strength.")


class Anatomy(Strict):
    layers: list[Layer] = Field(min_length=2, max_length=MAX_ITEMS, description="Tissue layers from the skin down.")
    vessels: list[Vessel] = Field(default_factory=list, max_length=MAX_ITEMS, description="Arteries and veins.")
    nerves: list[Nerve] = Field(default_factory=list, max_length=MAX_ITEMS, description="Nerves.")
    cylinders: list[Cylinder] = Field(default_factory=list, max_length=MAX_ITEMS, description="Ribs and other cylinders.")
    plates: list[Plate] = Field(
        default_factory=list, max_length=MAX_ITEMS,
        description="Plates of bone with a shaped top surface under an outline, e.g. the scapula; they replace "
        "the layers where they lie (vessels, nerves and cylinders stay on top).",
    )
    acoustics: dict[Tissue, AcousticOverride] = Field(
        default_factory=dict, description="Per-tissue overrides of the defaults (simulator/scenario/acoustics.py, docs/sources.md [95])."
    )

    @model_validator(mode="after")
    def _only_last_open(self) -> "Anatomy":
        for index, layer in enumerate(self.layers[:-1]):
            if layer.thickness_mm is None:
                raise ValueError(f"layers[{index}] ({layer.tissue}) needs `thickness_mm`; only the last layer may omit it")
        if self.layers[0].tissue != "skin":
            raise ValueError(f"the first layer must be skin, got {self.layers[0].tissue}")
        return self
