"""The case format: pydantic models an educator's YAML file must satisfy.

Every model forbids unknown keys, so a misspelled key is an error rather than a silently
ignored setting, and every field carries a description, so the generated JSON Schema is
the reference an editor shows while a case is being written.

World frame: `x_mm` to the right and `y_mm` down the palpation view of the body region,
origin at its top-left corner; `depth_mm` below the skin surface.
"""

from __future__ import annotations

import difflib
from typing import Annotated, Literal

from pathlib import Path

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from simulator.scenario.acoustics import Tissue
from simulator.scenario.assets import check_asset_name
from simulator.scenario.body_map import BODY_MAP_NAMES

SCHEMA_VERSION = 2
# Version 1 had one list, `agent_policy.contraindicated`, for every wrong choice; version 2 splits
# it into `not_recommended` (points only) and `contraindicated` (wrong for this patient: a
# critical error). A version-1 file still loads with its list read as `not_recommended`, the only
# reading that cannot fail an attempt the author never meant to fail; `tpi-sim migrate` upgrades it.

def _check_body_region(name: str) -> str:
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
    AfterValidator(_check_body_region),
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


def _check_body_regions(names: list[str]) -> list[str]:
    unknown = [n for n in names if n not in BODY_MAP_NAMES]
    if unknown:
        raise ValueError(
            f"unknown body-map region {unknown[0]!r}; expected one of the vocabulary in docs/authoring.md "
            f"(e.g. temple_right, posterior_neck_left)"
        )
    return names


# --------------------------------------------------------------------------- metadata


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


# --------------------------------------------------------------------------- patient


class ChiefComplaint(Strict):
    description: str = Field(min_length=1, description="The complaint in the patient's words.")
    pain_score: int = Field(ge=0, le=10, description="Usual pain on a 0-10 numeric rating scale.")
    regions: list[BodyRegionName] = Field(
        min_length=1, description="Where the patient feels the pain, including referred zones."
    )
    recognition_phrase: str | None = Field(
        default=None,
        description="What the patient says when an active point reproduces this pain, e.g. "
        "\"That's exactly my headache.\" A default line is used when omitted.",
    )

    _regions = field_validator("regions")(_check_body_regions)


class Allergy(Strict):
    substance: str = Field(min_length=1, description="What the patient calls it, e.g. \"Novocain (procaine)\".")
    allergy_class: AllergyClass | None = Field(
        default=None,
        alias="class",
        description="Drug class the allergy belongs to (ester and amide local anaesthetics do not cross-react, "
        "docs/sources.md [129][130]); `paraben` and `sulfite` match agents that list them as additives. "
        "Give `class`, `agent` or both.",
    )
    agent: str | None = Field(default=None, description="An agent id from scenarios/agents.yaml the patient reacts to.")
    reaction: str = Field(default="unknown", description="What happened, e.g. hives, anaphylaxis, fainted.")

    @model_validator(mode="after")
    def _class_or_agent(self) -> "Allergy":
        if self.allergy_class is None and self.agent is None:
            raise ValueError("an allergy needs a `class` or an `agent` so it can be matched against the catalogue")
        return self


class Medication(Strict):
    name: str = Field(min_length=1, description="Drug name.")
    dose: str | None = Field(default=None, description="Dose and frequency as written on the chart.")
    anticoagulant: bool = Field(default=False, description="True for warfarin, DOACs, heparins and antiplatelets.")


class Conditions(Strict):
    diabetes: bool = Field(default=False, description="Diabetes mellitus (steroid raises glucose, docs/sources.md [118]).")
    hba1c_percent: float | None = Field(default=None, gt=3, lt=20, description="Latest HbA1c, if known.")
    insulin: bool = Field(default=False, description="On insulin.")
    pregnancy_weeks: int | None = Field(default=None, ge=1, le=42, description="Weeks of gestation if pregnant.")
    bleeding_disorder: bool = Field(default=False, description="Known coagulopathy.")
    inr: float | None = Field(default=None, gt=0, lt=20, description="Latest INR, if measured.")
    local_infection: bool = Field(default=False, description="Infection or broken skin at the injection site.")
    systemic_infection: bool = Field(default=False, description="Fever or systemic infection.")
    acute_trauma: bool = Field(default=False, description="Acute muscle trauma at the site (e.g. whiplash days ago).")
    needle_fear: bool = Field(default=False, description="Marked fear of needles.")
    fainting_history: bool = Field(default=False, description="Previous vasovagal faint with needles or procedures.")
    red_flags: list[str] = Field(default_factory=list, description="Findings that suggest non-myofascial pain.")


class Patient(Strict):
    name: str = Field(default="The patient", description="Display name (fictional).")
    age_years: int = Field(ge=12, le=110, description="Age in years.")
    sex: Literal["female", "male"] = Field(description="Sex.")
    weight_kg: float = Field(gt=20, le=300, description="Body weight in kg; dose ceilings are per kg.")
    height_cm: float | None = Field(default=None, gt=100, lt=230, description="Height in cm.")
    position: Position = Field(description="The position this procedure should be done in.")
    positions_to_avoid: list[Position] = Field(
        default_factory=list,
        description="Positions that are wrong for this patient. From 20 weeks of pregnancy prone and supine are "
        "always avoided (aortocaval compression), whether listed or not.",
    )
    position_aids: list[Annotated[str, Field(min_length=1, max_length=120)]] = Field(
        default_factory=list,
        description="Supports that set the patient up in `position`, as the case card lists them, e.g. "
        "\"pillow under the abdomen\", \"wedge for a left lateral tilt\". Shown to the trainee, not scored.",
    )
    heart_rate_bpm: float = Field(default=72, ge=30, le=200, description="Drives arterial pulsation and Doppler.")
    history: str = Field(min_length=1, description="History of the presenting complaint, as the case card shows it.")
    chief_complaint: ChiefComplaint = Field(description="Pain score and regions.")
    allergies: list[Allergy] = Field(default_factory=list, description="Drug and material allergies.")
    medications: list[Medication] = Field(default_factory=list, description="Current medications.")
    conditions: Conditions = Field(default_factory=Conditions, description="Conditions that change the plan.")
    sources: Sources


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

    _territory = field_validator("territory")(_check_body_regions)


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


# --------------------------------------------------------------------------- trigger points


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

    _referred = field_validator("referred_pain")(_check_body_regions)


# --------------------------------------------------------------------------- ultrasound, agents, rubric


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


class AgentChoice(Strict):
    agent: str = Field(min_length=1, description="Agent id from scenarios/agents.yaml.")
    reason: str = Field(min_length=1, description="Why, as the debrief shows it.")


class DeclineReason(Strict):
    reason: str = Field(min_length=1, description="A reason to defer or decline, as the decline dialog offers it.")
    credit: float = Field(
        default=1.0, ge=0, le=1, allow_inf_nan=False,
        description="How good a decision declining for this reason is (1 = the right call). It scales the "
        "criteria that a decline leaves without a procedure (twitch, agent, technique, judgement).",
    )
    explanation: str | None = Field(default=None, description="What the debrief says about this decision.")


class VolumeRange(Strict):
    min_ml: float = Field(default=0.5, ge=0, le=20, description="Least volume per point that counts as a treatment.")
    max_ml: float = Field(default=1.0, gt=0, le=20, description="Most volume per point before it is excessive.")


class AgentPolicy(Strict):
    preferred: list[AgentChoice] = Field(default_factory=list, description="Best choices for this patient.")
    acceptable: list[AgentChoice] = Field(default_factory=list, description="Reasonable alternatives.")
    not_recommended: list[AgentChoice] = Field(
        default_factory=list,
        description="Not first line or weak evidence for this case: they cost points, they do not fail the attempt.",
    )
    contraindicated: list[AgentChoice] = Field(
        default_factory=list,
        description="Contraindicated for THIS patient (e.g. steroid in poorly controlled insulin-treated diabetes, "
        "botulinum toxin in pregnancy): giving one is a critical error that fails the attempt.",
    )
    volume_per_point: VolumeRange = Field(default_factory=VolumeRange, description="Volume per trigger point.")
    do_not_inject: bool = Field(default=False, description="True when the right answer is not to inject at all.")
    do_not_inject_reason: str | None = Field(default=None, description="Shown at the debrief when do_not_inject.")
    decline_reasons: list[DeclineReason] = Field(
        default_factory=list,
        description="Reasons to defer or decline that an examiner accepts, each with its credit. When "
        "do_not_inject is set, do_not_inject_reason is always one of them with full credit.",
    )
    expected_counselling: list[str] = Field(
        default_factory=list, description="Counselling points the debrief expects, e.g. glucose monitoring."
    )
    expected_aftercare: list[AftercareItem] | None = Field(
        default=None,
        description="Aftercare items this visit expects after the last injection, e.g. [recheck, stretch, "
        "follow_up]. Left out: the core items (recheck, stretch, activity, soreness, safety_net, follow_up), "
        "plus pressure on the site when the patient takes an anticoagulant.",
    )
    sources: Sources

    @model_validator(mode="after")
    def _consistent(self) -> "AgentPolicy":
        if self.do_not_inject and not self.do_not_inject_reason:
            raise ValueError("do_not_inject needs a do_not_inject_reason for the debrief")
        if not self.do_not_inject and not self.preferred:
            raise ValueError("list at least one preferred agent, or set do_not_inject")
        if self.volume_per_point.min_ml > self.volume_per_point.max_ml:
            raise ValueError("volume_per_point.min_ml is above max_ml")
        return self


class RubricWeights(Strict):
    localization: float = Field(default=20, ge=0, le=100, description="Mark near an active point.")
    twitch: float = Field(default=15, ge=0, le=100, description="LTR before injecting.")
    agent: float = Field(default=15, ge=0, le=100, description="Agent, volume and dose.")
    safety: float = Field(default=25, ge=0, le=100, description="Consent, prep, aspiration, no contacts.")
    technique: float = Field(default=15, ge=0, le=100, description="Passes, tip visibility, time, path.")
    judgement: float = Field(default=10, ge=0, le=100, description="Latent points left alone; not injecting when told not to.")
    complications: float = Field(default=10, ge=0, le=100, description="Recognising and managing complications; emergency drugs.")
    aftercare: float = Field(default=5, ge=0, le=100, description="Aftercare and follow-up at the end of the visit.")

    @model_validator(mode="after")
    def _positive_total(self) -> "RubricWeights":
        if sum(self.model_dump().values()) <= 0:
            raise ValueError("rubric weights must add up to more than 0")
        return self


class RubricThresholds(Strict):
    localization_full_mm: float = Field(default=10.0, gt=0, le=100, description="Full credit within this distance.")
    localization_zero_mm: float = Field(default=30.0, gt=0, le=200, description="No credit beyond this distance.")
    max_passes: int = Field(default=6, ge=1, le=100, description="Needle passes per point before technique loses credit.")
    target_time_s: float = Field(default=300, gt=0, description="Time to target that still earns full credit.")
    tip_visible_fraction: float = Field(default=0.8, ge=0, le=1, description="Share of advancing with the tip in view for full credit.")

    @model_validator(mode="after")
    def _ordered(self) -> "RubricThresholds":
        if self.localization_zero_mm <= self.localization_full_mm:
            raise ValueError("localization_zero_mm must be larger than localization_full_mm")
        return self


class Rubric(Strict):
    weights: RubricWeights = Field(default_factory=RubricWeights, description="Points per criterion (normalised to 100).")
    thresholds: RubricThresholds = Field(default_factory=RubricThresholds, description="Where credit starts and stops.")
    critical_events: list[str] = Field(
        default_factory=list,
        description="Extra event names that fail the attempt in this case (e.g. VesselPunctured), on top of the "
        "always-critical ones listed in docs/scoring.md.",
    )
    critical_rules: list[Literal["blind_advance_near_pleura", "blind_advance_near_vessel"]] = Field(
        default_factory=list,
        description="Optional critical rules this case switches on, e.g. blind_advance_near_pleura: advancing "
        "with the tip out of view within `danger_margin_mm` of the pleura fails the attempt.",
    )
    danger_margin_mm: float = Field(
        default=5.0, gt=0, le=30, allow_inf_nan=False,
        description="How close to a danger structure a blind advance is named in the debrief (and is critical "
        "when a critical rule asks for it).",
    )
    consent_topics: list[str] | None = Field(
        default=None,
        description="Consent topics that apply to this case (ids from docs/scoring.md). Omit to derive them: "
        "bleeding, infection, soreness, fainting, no_guarantee and alternatives always; pneumothorax when "
        "the anatomy has pleura; nerve_injury when it has a nerve.",
    )
    pass_mark: float = Field(default=70, ge=0, le=100, description="Total needed to pass.")


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


# --------------------------------------------------------------------------- agents catalogue


class DoseCeiling(Strict):
    mg_per_kg: float | None = Field(default=None, gt=0, description="Ceiling in mg/kg, plain.")
    max_mg: float | None = Field(default=None, gt=0, description="Absolute ceiling in mg, plain.")
    mg_per_kg_with_epinephrine: float | None = Field(default=None, gt=0, description="Ceiling in mg/kg with epinephrine.")
    max_mg_with_epinephrine: float | None = Field(default=None, gt=0, description="Absolute ceiling with epinephrine.")
    max_units: float | None = Field(
        default=None, gt=0, description="Ceiling in units per visit (botulinum toxin; units of this product only)."
    )
    max_units_per_muscle: float | None = Field(
        default=None, gt=0, description="Ceiling in units into any one muscle in a visit (botulinum toxin)."
    )


class Component(Strict):
    substance: str = Field(min_length=1, description="E.g. lidocaine, triamcinolone. Doses add up per substance.")
    agent_class: AgentClass = Field(alias="class", description="Drug class, used for allergy matching.")
    mg_per_ml: float | None = Field(default=None, ge=0, description="Concentration in mg per mL.")
    units_per_ml: float | None = Field(default=None, ge=0, description="Concentration in units per mL (toxin).")
    ceiling: DoseCeiling = Field(default_factory=DoseCeiling, description="Dose ceiling for this substance.")
    with_epinephrine: bool = Field(
        default=False,
        description="Given with epinephrine (adrenaline): the `_with_epinephrine` ceilings apply instead of the "
        "plain ones.",
    )


class Agent(Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$", description="Id cases refer to, e.g. lidocaine_1.")
    name: str = Field(min_length=1, description="Display name, e.g. 'Lidocaine 1% (10 mg/mL)'.")
    classes: list[AgentClass] = Field(min_length=1, description="Every class in the product.")
    components: list[Component] = Field(default_factory=list, description="Active substances; empty for dry needling.")
    product: str | None = Field(
        default=None,
        description="The product the units and limits belong to, e.g. 'abobotulinumtoxinA (Dysport)'. Units of one "
        "botulinum toxin product are not interchangeable with another's.",
    )
    additives: list[Additive] = Field(
        default_factory=list,
        description="Excipients an allergy can match: sulfite (antioxidant with epinephrine), paraben (preservative "
        "of multi-dose vials).",
    )
    contraindications: list[str] = Field(
        default_factory=list, description="Patient factors that rule this agent out; a case whose patient has one lists the agent as contraindicated."
    )
    injectate: bool = Field(default=True, description="False for dry needling: nothing is injected.")
    local_anaesthetic: bool = Field(default=False, description="True if it can cause systemic LA toxicity.")
    soreness_probability: Probability | None = Field(
        default=None, description="Chance of post-procedure soreness 2-8 h later (Hong 1994 [1], Ga 2007 [24])."
    )
    evidence: str = Field(min_length=1, description="Evidence grade or summary.")
    notes: str = Field(default="", description="Shown to the trainee when choosing.")
    sources: list[int] = Field(min_length=1, description="Entry numbers in docs/sources.md.")


class AgentCatalogue(Strict):
    schema_version: Literal[1] = Field(description="Version of this format; currently 1.")
    agents: list[Agent] = Field(min_length=1, description="The agents a case may name.")

    def get(self, agent_id: str) -> Agent | None:
        return next((agent for agent in self.agents if agent.id == agent_id), None)
