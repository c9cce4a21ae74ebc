"""Events: what happened during a session, in the past tense, each stamped with its time.

The Session is the only producer; scoring, the debrief, the event feed and replays are
consumers. An event the patient would notice carries `speech`, the line the patient says.
`event_to_dict` gives the JSON form used in results (`{"t_s": .., "type": "TwitchElicited", ..}`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Event:
    t_s: float
    speech: str | None = None

    @property
    def type(self) -> str:
        return type(self).__name__


# ---------------------------------------------------------------- bookkeeping and preparation
@dataclass(frozen=True, kw_only=True)
class ActionRejected(Event):
    action_type: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class ConsentObtained(Event):
    topics: tuple[str, ...] = ()  # consent topic ids discussed (core/preparation.CONSENT_TOPICS)


@dataclass(frozen=True, kw_only=True)
class PatientPositioned(Event):
    position: str
    recommended: bool


@dataclass(frozen=True, kw_only=True)
class SkinPrepared(Event):
    pass


@dataclass(frozen=True, kw_only=True)
class NeedleChosen(Event):
    gauge: int
    length_mm: float


@dataclass(frozen=True, kw_only=True)
class SkinWhealRaised(Event):
    pass


@dataclass(frozen=True, kw_only=True)
class CounselGiven(Event):
    topic: str


@dataclass(frozen=True, kw_only=True)
class InjectionDeclined(Event):
    reason: str


# ---------------------------------------------------------------- palpation
# What the trainee perceives (feel level, pain, the patient's words) sits in the event's own
# fields; what only scoring and review may read sits in `truth`, which the UI never shows.
@dataclass(frozen=True, kw_only=True)
class PalpationTruth:
    """Hidden from the trainee: which point dominated and what the finger really passed over."""

    point_id: str | None = None  # the trigger point whose tenderness dominates, if any
    distance_mm: float | None = None  # finger to that point's true centre on the skin
    pain_expected: float = 0.0  # pain (0-10) before the patient's noise
    firmness: float = 0.0  # 0 soft .. 1 hard, after noise; the trainee gets only the level (`feel`)
    crossed_band: bool = False  # the press or slide passed over a taut band's line


@dataclass(frozen=True, kw_only=True)
class PalpationFelt(Event):
    x_mm: float
    y_mm: float
    pressure: float
    grip: str = "flat"  # flat | pincer
    feel: str = "soft"  # what the finger reports: soft | firm | ropy band | nodule
    pain: int  # 0..10 as the patient rates it
    jump_sign: bool
    referred_regions: tuple[str, ...] = ()
    recognition: str = "no"  # does the patient recognise the pain as the complaint: yes | partly | no
    truth: PalpationTruth = PalpationTruth()  # hidden from the trainee


@dataclass(frozen=True, kw_only=True)
class PalpationReleased(Event):
    pass


@dataclass(frozen=True, kw_only=True)
class SkinMarked(Event):
    x_mm: float
    y_mm: float


@dataclass(frozen=True, kw_only=True)
class MarkErased(Event):
    x_mm: float
    y_mm: float


@dataclass(frozen=True, kw_only=True)
class SnapTruth:
    """Hidden from the trainee: the band a snap caught and how likely it was to twitch."""

    point_id: str | None = None  # the band under the finger, if the flick caught one
    across_band: bool = False  # the flick went across it (within 45 degrees of perpendicular)
    twitch_probability: float = 0.0


@dataclass(frozen=True, kw_only=True)
class BandSnapped(Event):
    """A snapping palpation where and in which direction the trainee flicked; the rest is in `truth`."""

    x_mm: float
    y_mm: float
    direction_deg: float
    truth: SnapTruth = SnapTruth()  # hidden from the trainee


# ---------------------------------------------------------------- ultrasound
@dataclass(frozen=True, kw_only=True)
class ProbePlaced(Event):
    x_mm: float
    y_mm: float
    heading_deg: float
    pressure: float


@dataclass(frozen=True, kw_only=True)
class ProbeLifted(Event):
    pass


@dataclass(frozen=True, kw_only=True)
class SettingsChanged(Event):
    depth_cm: float
    gain_db: float
    freq_mhz: float
    focus_cm: float
    doppler: bool
    tgc_near_db: float = 0.0
    tgc_mid_db: float = 0.0
    tgc_far_db: float = 0.0
    doppler_steer_deg: float = 20.0
    speckle_reduction: bool = True


@dataclass(frozen=True, kw_only=True)
class ProbeTilted(Event):
    tilt_deg: float


# ---------------------------------------------------------------- needle
@dataclass(frozen=True, kw_only=True)
class SkinPunctured(Event):
    x_mm: float
    y_mm: float
    angle_deg: float
    heading_deg: float
    pain: int
    after_wheal: bool
    pleura_depth_mm: float | None = None  # pleura under the entry point (None: no lung under it, or an old log)


@dataclass(frozen=True, kw_only=True)
class NeedleMoved(Event):
    """One advance or withdraw step; feeds tip visibility, path length and passes."""

    delta_mm: float  # positive advancing, negative withdrawing
    tip_x_mm: float
    tip_y_mm: float
    tip_depth_mm: float
    tip_visible: bool
    tissue: str  # tissue at the tip after the move
    # The closest danger structure (pleura, artery, vein, nerve) to the tip after the move, for
    # scoring blind advances near it; None in logs written before it was recorded.
    danger_kind: str | None = None
    danger_name: str | None = None
    danger_mm: float | None = None


@dataclass(frozen=True, kw_only=True)
class NeedleRedirected(Event):
    angle_deg: float
    heading_deg: float
    pass_number: int


@dataclass(frozen=True, kw_only=True)
class NeedleRemoved(Event):
    pass


@dataclass(frozen=True, kw_only=True)
class FasciaCrossed(Event):
    depth_mm: float


@dataclass(frozen=True, kw_only=True)
class MuscleEntered(Event):
    muscle: str


@dataclass(frozen=True, kw_only=True)
class BoneContacted(Event):
    name: str


@dataclass(frozen=True, kw_only=True)
class VesselPunctured(Event):
    name: str
    kind: str  # artery | vein


@dataclass(frozen=True, kw_only=True)
class NerveContacted(Event):
    name: str
    territory: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class PleuraPunctured(Event):
    depth_mm: float


@dataclass(frozen=True, kw_only=True)
class NearMiss(Event):
    kind: str  # artery | vein | nerve | pleura
    name: str
    distance_mm: float


@dataclass(frozen=True, kw_only=True)
class TwitchElicited(Event):
    point_id: str
    strength: float  # 0..1; falls with repeated LTRs (docs/sources.md [23])
    source: str  # needle | snap


@dataclass(frozen=True, kw_only=True)
class TwitchNotSeen(Event):
    """A fast in-out that drew no twitch. `locus_point_ids` (scoring only, never shown to the
    trainee) lists the loci the tip did pass through, so a correct attempt that the random draw
    did not reward can still be credited."""

    locus_point_ids: tuple[str, ...] = ()


# ---------------------------------------------------------------- drug
@dataclass(frozen=True, kw_only=True)
class AgentSelected(Event):
    agent_id: str
    volume_ml: float


@dataclass(frozen=True, kw_only=True)
class Aspirated(Event):
    blood: bool


@dataclass(frozen=True, kw_only=True)
class Injected(Event):
    agent_id: str
    volume_ml: float
    tip_x_mm: float
    tip_y_mm: float
    tip_depth_mm: float
    tissue: str  # where the injectate went: muscle, trigger_point, fat, fascia, artery, ...
    point_id: str | None  # trigger point within reach of the tip, if any
    aspirated_first: bool
    intravascular: bool


@dataclass(frozen=True, kw_only=True)
class DoseCeilingExceeded(Event):
    substance: str
    total_mg: float  # in `unit` (mg, or units for botulinum toxin)
    ceiling_mg: float  # in `unit`
    unit: str = "mg"


@dataclass(frozen=True, kw_only=True)
class AllergicReaction(Event):
    agent_id: str
    allergy: str


@dataclass(frozen=True, kw_only=True)
class SystemicToxicity(Event):
    """Local anaesthetic systemic toxicity after an intravascular injection."""

    severity: str  # mild | moderate | severe
    dose_mg: float


@dataclass(frozen=True, kw_only=True)
class HaematomaFormed(Event):
    name: str


@dataclass(frozen=True, kw_only=True)
class VasovagalEpisode(Event):
    pass


@dataclass(frozen=True, kw_only=True)
class PneumothoraxSymptoms(Event):
    """Symptoms after a pleural puncture, at once or later (docs/sources.md [41][42])."""


@dataclass(frozen=True, kw_only=True)
class SorenessPredicted(Event):
    """Drawn at finish: post-procedure soreness 2-8 h later, by agent (docs/sources.md [1][24])."""

    probability: float
    sore: bool
    agent_id: str | None  # the agent whose soreness rate applied (dry_needling when nothing was injected)
    sourced: bool = True  # False: the agent has no rate of its own, the figure is estimated by kind


# ---------------------------------------------------------------- the patient's course and care
@dataclass(frozen=True, kw_only=True)
class ComplicationChanged(Event):
    """A complication moved to a new stage (see simulator/core/physiology for the stages)."""

    kind: str  # vasovagal | last | anaphylaxis | pneumothorax
    stage: str  # e.g. prodrome, syncope, recovering, resolved; "resolved" ends it


@dataclass(frozen=True, kw_only=True)
class VitalsRecorded(Event):
    """The monitor's reading; `checked` when the trainee looked (check_vitals), else logged by the monitor."""

    heart_rate_bpm: float
    systolic_mmhg: float
    diastolic_mmhg: float
    resp_rate_per_min: float
    spo2_pct: float
    consciousness: str  # alert | drowsy | unresponsive | seizing
    checked: bool = False


@dataclass(frozen=True, kw_only=True)
class ProcedureStopped(Event):
    needle_removed: bool


@dataclass(frozen=True, kw_only=True)
class HelpCalled(Event):
    pass


@dataclass(frozen=True, kw_only=True)
class PatientRepositioned(Event):
    posture: str  # supine | legs_raised | left_lateral | seated


@dataclass(frozen=True, kw_only=True)
class OxygenGiven(Event):
    pass


@dataclass(frozen=True, kw_only=True)
class EmergencyDrugGiven(Event):
    drug_id: str
    amount: float
    unit: str  # mg | mL
    route: str  # IM | IV
    amount_per_kg: float


@dataclass(frozen=True, kw_only=True)
class Observed(Event):
    duration_s: float


@dataclass(frozen=True, kw_only=True)
class CareArranged(Event):
    what: str  # lung_ultrasound | chest_xray | transfer


@dataclass(frozen=True, kw_only=True)
class AftercareGiven(Event):
    item: str


@dataclass(frozen=True, kw_only=True)
class SessionFinished(Event):
    pass


EVENT_TYPES: dict[str, type[Event]] = {
    cls.__name__: cls for cls in Event.__subclasses__()
}


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [_jsonable(v) for v in value]
    if isinstance(value, float):
        return round(value, 4)
    return value


def event_to_dict(event: Event) -> dict:
    data = dataclasses.asdict(event)
    out = {"t_s": round(data.pop("t_s"), 4), "type": event.type}
    for key, value in data.items():
        out[key] = _jsonable(value)
    return out


NESTED = {"truth": {"PalpationFelt": PalpationTruth, "BandSnapped": SnapTruth}}


def event_from_dict(data: dict) -> Event:
    data = dict(data)
    kind = data.pop("type")
    cls = EVENT_TYPES[kind]
    hints = {f.name: f for f in dataclasses.fields(cls)}
    kwargs = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in hints}
    for key, by_type in NESTED.items():
        inner = by_type.get(kind)
        if inner is not None and isinstance(kwargs.get(key), dict):
            known = {f.name for f in dataclasses.fields(inner)}
            kwargs[key] = inner(**{k: v for k, v in kwargs[key].items() if k in known})
    return cls(**kwargs)
