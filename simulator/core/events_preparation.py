"""Events before the needle: bookkeeping and preparation (consent, position, prep), palpation
and the ultrasound probe."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.core.events_base import Event


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
