"""The patient part of a case: history, complaint, allergies, medications and conditions.

What the case card shows and what the drug, consent and position checks read.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from simulator.scenario.schema_fields import AllergyClass, BodyRegionName, Position, Sources, Strict, check_body_regions


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

    _regions = field_validator("regions")(check_body_regions)


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
