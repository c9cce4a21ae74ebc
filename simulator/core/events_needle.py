"""Events of the needle and the drug: each step, the structures the tip meets, twitches,
aspiration, injection and what an injection can cause."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.core.events_base import Event


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
