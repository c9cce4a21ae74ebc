"""The case format: pydantic models an educator's YAML file must satisfy.

Every model forbids unknown keys, so a misspelled key is an error rather than a silently
ignored setting, and every field carries a description, so the generated JSON Schema is
the reference an editor shows while a case is being written.

World frame: `x_mm` to the right and `y_mm` down the palpation view of the body region,
origin at its top-left corner; `depth_mm` below the skin surface.

This module holds the top of the format (Case: metadata, scanner start-up, teaching) and is
the one import path for every model. The parts live beside it, one job each:
schema_fields (shared types and bounds), schema_patient, schema_anatomy (body region and
tissue), schema_trigger_points, schema_policy (agent policy and rubric) and schema_agents
(the agents catalogue).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, PrivateAttr, model_validator

from simulator.scenario.schema_agents import Agent, AgentCatalogue, Component, DoseCeiling
from simulator.scenario.schema_anatomy import (
    AcousticOverride,
    Anatomy,
    Aponeurosis,
    BodyRegion,
    Cylinder,
    DepthPoint,
    Drawing,
    Landmark,
    Layer,
    MuscleRegion,
    Nerve,
    Outline,
    PathPoint,
    Plate,
    Point2,
    Point3,
    ProbePose,
    ThicknessPoint,
    Vessel,
)
from simulator.scenario.schema_fields import (
    MAX_ANGLE_DEG,
    MAX_COORD_MM,
    MAX_DEPTH_MM,
    MAX_ITEMS,
    MAX_POINTS,
    MAX_RADIUS_MM,
    MAX_REGION_MM,
    MIN_REGION_MM,
    Additive,
    AftercareItem,
    AgentClass,
    AllergyClass,
    Angle,
    BodyRegionName,
    Coordinate,
    Depth,
    Position,
    PositiveDepth,
    Probability,
    Radius,
    RegionSize,
    Sources,
    Strict,
)
from simulator.scenario.schema_patient import Allergy, ChiefComplaint, Conditions, Medication, Patient
from simulator.scenario.schema_policy import (
    AgentChoice,
    AgentPolicy,
    DeclineReason,
    Rubric,
    RubricThresholds,
    RubricWeights,
    VolumeRange,
)
from simulator.scenario.schema_trigger_points import TautBand, TriggerPoint, TriggerPointSize, Twitch

__all__ = [
    "AcousticOverride", "Additive", "AftercareItem", "Agent", "AgentCatalogue", "AgentChoice", "AgentClass",
    "AgentPolicy", "Allergy", "AllergyClass", "Anatomy", "Angle", "Aponeurosis", "Author", "BodyRegion",
    "BodyRegionName", "Case", "ChiefComplaint", "Component", "Conditions", "Coordinate", "Cylinder",
    "DeclineReason", "Depth", "DepthPoint", "DoseCeiling", "Drawing", "Landmark", "Layer", "MAX_ANGLE_DEG",
    "MAX_COORD_MM", "MAX_DEPTH_MM", "MAX_ITEMS", "MAX_POINTS", "MAX_RADIUS_MM", "MAX_REGION_MM", "MIN_REGION_MM",
    "Medication", "MuscleRegion", "Nerve", "Outline", "PathPoint", "Patient", "Plate", "Point2", "Point3",
    "Position", "PositiveDepth", "Probability", "ProbePose", "Radius", "Reference", "RegionSize", "Rubric",
    "RubricThresholds", "RubricWeights", "SCHEMA_VERSION", "Sources", "Strict", "TautBand", "Teaching",
    "ThicknessPoint", "TriggerPoint", "TriggerPointSize", "Twitch", "UltrasoundDefaults", "Vessel", "VolumeRange",
]

SCHEMA_VERSION = 2
# Version 1 had one list, `agent_policy.contraindicated`, for every wrong choice; version 2 splits
# it into `not_recommended` (points only) and `contraindicated` (wrong for this patient: a
# critical error). A version-1 file still loads with its list read as `not_recommended`, the only
# reading that cannot fail an attempt the author never meant to fail; `tpi-sim migrate` upgrades it.


class Reference(Strict):
    id: int = Field(ge=1, le=9999, description="Reference number; blocks cite it in their `sources` list.")
    citation: str = Field(
        min_length=3, description="Authors, title, journal, year: the entry with this number in docs/sources.md."
    )
    url: str | None = Field(default=None, description="A link to the source (PubMed, DOI).")


class Author(Strict):
    name: str = Field(min_length=1, description="Who wrote the case.")
    affiliation: str | None = Field(default=None, description="Department or programme.")
    reviewed_by: str | None = Field(default=None, description="Clinician who reviewed the clinical content.")


class UltrasoundDefaults(Strict):
    probe: Literal["linear", "curvilinear"] = Field(default="linear", description="Transducer type.")
    freq_mhz_min: float = Field(default=5.0, gt=1, le=25, description="Lowest centre frequency the probe offers.")
    freq_mhz_max: float = Field(default=12.0, gt=1, le=25, description="Highest centre frequency the probe offers.")
    freq_mhz: float = Field(default=10.0, gt=1, le=25, description="Starting centre frequency.")
    depth_cm: float = Field(default=4.0, ge=1, le=16, description="Starting image depth.")
    gain_db: float = Field(default=0.0, ge=-30, le=30, description="Starting overall gain.")
    focus_cm: float | None = Field(default=None, gt=0, le=16, description="Focal depth; defaults to mid-image.")
    b_lines: int = Field(default=0, ge=0, le=8, description=(
        "B-lines under the pleura per probe footprint (interstitial fluid or scarring); 0 for a normal lung."))
    sources: Sources

    @model_validator(mode="after")
    def _ranges(self) -> "UltrasoundDefaults":
        if self.freq_mhz_min > self.freq_mhz_max:
            raise ValueError(f"freq_mhz_min ({self.freq_mhz_min}) is above freq_mhz_max ({self.freq_mhz_max})")
        if not self.freq_mhz_min <= self.freq_mhz <= self.freq_mhz_max:
            raise ValueError(f"freq_mhz {self.freq_mhz} is outside {self.freq_mhz_min}-{self.freq_mhz_max}")
        if self.focus_cm is not None and self.focus_cm > self.depth_cm:
            raise ValueError(f"focus_cm {self.focus_cm} is deeper than depth_cm {self.depth_cm}")
        return self


class Teaching(Strict):
    hints: list[str] = Field(default_factory=list, description="Shown in practice mode.")
    teaching_points: list[str] = Field(default_factory=list, description="Shown at the debrief.")


class Case(Strict):
    schema_version: Literal[1, 2] = Field(
        description="Version of this format; currently 2. Version 1 still loads (its agent_policy.contraindicated "
        "is read as not_recommended); `tpi-sim migrate FILE` upgrades it in place.")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", description="Unique id; the file is usually <id>.yaml.")
    title: str = Field(min_length=1, description="Title shown in the case picker.")
    summary: str = Field(min_length=1, description="One line for the case picker.")
    difficulty: Literal["beginner", "intermediate", "advanced"] = Field(description="Difficulty.")
    learning_objectives: list[str] = Field(min_length=1, description="What the resident should learn.")
    author: Author = Field(description="Who wrote it.")
    references: list[Reference] = Field(min_length=1, description="Numbered sources cited by `sources` lists.")
    patient: Patient = Field(description="The patient.")
    body_region: BodyRegion = Field(description="The skin the trainee palpates.")
    anatomy: Anatomy = Field(description="Tissue model under the region.")
    trigger_points: list[TriggerPoint] = Field(
        min_length=1, max_length=MAX_ITEMS, description="Trigger points (active and latent)."
    )
    ultrasound: UltrasoundDefaults = Field(default_factory=UltrasoundDefaults, description="Scanner start-up settings.")
    agent_policy: AgentPolicy = Field(description="Which agents suit this patient.")
    rubric: Rubric = Field(default_factory=Rubric, description="Scoring; defaults apply when omitted.")
    teaching: Teaching = Field(default_factory=Teaching, description="Hints and teaching points.")
    # The checked file of body_region.drawing.asset, set by the loader (scenario.assets).
    _asset_file: Path | None = PrivateAttr(default=None)

    @model_validator(mode="before")
    @classmethod
    def _read_version_1(cls, data):
        """Version 1's single `contraindicated` list meant "wrong here"; read it as not_recommended."""
        if isinstance(data, dict) and data.get("schema_version") == 1 and isinstance(data.get("agent_policy"), dict):
            policy = dict(data["agent_policy"])
            if "contraindicated" in policy and "not_recommended" not in policy:
                policy["not_recommended"] = policy.pop("contraindicated")
            data = {**data, "agent_policy": policy}
        return data

    @property
    def muscles(self) -> list[str]:
        """Every muscle a trigger point may name: muscle layers, then their side-by-side regions."""
        names = [layer.name for layer in self.anatomy.layers if layer.tissue == "muscle" and layer.name]
        names += [region.name for layer in self.anatomy.layers for region in layer.regions]
        return list(dict.fromkeys(names))
