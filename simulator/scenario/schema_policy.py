"""How a case judges an attempt: the agent policy (which agents suit this patient, what volume,
when not to inject) and the rubric (weights, thresholds, critical rules, pass mark)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from simulator.scenario.schema_fields import AftercareItem, Sources, Strict


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
