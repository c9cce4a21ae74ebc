"""SessionState: the read-only snapshot of a session that the UI draws and tests inspect.

Everything in it is immutable (frozen dataclasses and tuples), so holding on to a
snapshot never sees later changes, and two snapshots compare equal exactly when they show
the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from simulator.core.geometry import NeedleGeometry, ProbePose

if TYPE_CHECKING:  # physiology imports Rejected from here
    from simulator.core.physiology.vitals import Vitals


class Rejected(Exception):
    """An action that makes no sense now; the Session answers with ActionRejected(reason)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


TGC_LIMIT_DB = 20.0  # each TGC slider (the engine's ScanSettings uses the same range)
DOPPLER_STEERS_DEG = (-20.0, 0.0, 20.0)
MAX_TILT_DEG = 30.0  # heel-toe tilt either way


@dataclass(frozen=True)
class ScannerSettings:
    """The scanner knobs (mirrors ultrasound.ScanSettings; converted when a frame is made)."""

    depth_cm: float
    gain_db: float
    freq_mhz: float
    focus_cm: float
    doppler: bool = False
    tgc_db: tuple[float, float, float] = (0.0, 0.0, 0.0)  # near, mid, far sliders
    doppler_steer_deg: float = 20.0
    speckle_reduction: bool = True

    def updated(self, depth_cm, gain_db, freq_mhz, focus_cm, doppler, freq_range_mhz, tgc_db=(None, None, None),
                doppler_steer_deg=None, speckle_reduction=None) -> "ScannerSettings":
        """New settings with the given knobs changed (None keeps a knob); raises Rejected when out of range."""
        depth = self.depth_cm if depth_cm is None else depth_cm
        gain = self.gain_db if gain_db is None else gain_db
        freq = self.freq_mhz if freq_mhz is None else freq_mhz
        focus = min(self.focus_cm, depth) if focus_cm is None else focus_cm
        lo, hi = freq_range_mhz
        if not 1 <= depth <= 16:
            raise Rejected(f"depth_cm must be 1-16, got {depth:g}")
        if not -30 <= gain <= 30:
            raise Rejected(f"gain_db must be -30 to 30, got {gain:g}")
        if not lo <= freq <= hi:
            raise Rejected(f"this probe offers {lo:g}-{hi:g} MHz, got {freq:g}")
        if not 0 < focus <= depth:
            raise Rejected(f"focus_cm must be above 0 and no deeper than depth_cm ({depth:g}), got {focus:g}")
        tgc = tuple(old if new is None else float(new) for old, new in zip(self.tgc_db, tgc_db))
        for name, value in zip(("tgc_near_db", "tgc_mid_db", "tgc_far_db"), tgc):
            if not -TGC_LIMIT_DB <= value <= TGC_LIMIT_DB:
                raise Rejected(f"{name} must be -{TGC_LIMIT_DB:g} to {TGC_LIMIT_DB:g}, got {value:g}")
        steer = self.doppler_steer_deg if doppler_steer_deg is None else float(doppler_steer_deg)
        if steer not in DOPPLER_STEERS_DEG:
            raise Rejected(f"doppler_steer_deg must be -20, 0 or 20, got {steer:g}")
        reduction = self.speckle_reduction if speckle_reduction is None else bool(speckle_reduction)
        return ScannerSettings(depth, gain, freq, focus, self.doppler if doppler is None else bool(doppler), tgc, steer,
                               reduction)


@dataclass(frozen=True)
class BolusState:
    """Injectate left in the tissue; the same fields as ultrasound.Bolus."""

    x_mm: float
    y_mm: float
    depth_mm: float
    volume_ml: float
    tissue: str


@dataclass(frozen=True)
class PalpationFeedback:
    """The last press as the trainee perceives it: what the finger felt and what the patient said.

    It holds nothing the trainee could not perceive (no point id, no firmness number): the UI
    draws from it in every mode.
    """

    x_mm: float
    y_mm: float
    pressure: float
    grip: str  # flat | pincer
    pain: int  # 0..10
    feel: str  # soft | firm | ropy band | nodule
    jump_sign_t_s: float | None  # when the patient last jumped under this press
    referred_regions: tuple[str, ...]  # body-map regions to light up
    recognition: str  # yes | partly | no
    speech: str | None
    finger_down: bool  # False once released; the feedback stays for the UI to fade out


@dataclass(frozen=True)
class Checklist:
    consent: bool = False
    position: str | None = None  # what the trainee chose
    position_recommended: bool = False  # it matches case.patient.position
    skin_prep: bool = False
    needle_gauge: int | None = None
    needle_length_mm: float | None = None  # full length to the hub

    @property
    def needle(self) -> bool:
        return self.needle_gauge is not None


@dataclass(frozen=True)
class SessionState:
    time_s: float
    probe: ProbePose
    probe_on_skin: bool
    settings: ScannerSettings
    needle: NeedleGeometry | None  # None when no needle is in; length_mm is the inserted length
    tip_visible: bool
    tip_tissue: str | None
    pass_number: int  # passes of the current insertion (1 after insert, +1 per redirect)
    boluses: tuple[BolusState, ...]
    marks: tuple[tuple[float, float], ...]  # (x_mm, y_mm)
    palpation: PalpationFeedback | None
    twitch_amplitude: float  # 0..1 right now; an LTR lasts up to about 1 s (docs/sources.md [6])
    checklist: Checklist
    agent_id: str | None
    syringe_ml: float  # volume left in the syringe
    dose_mg: tuple[tuple[str, float], ...]  # (substance, total mg or units) across all points
    dose_mg_per_kg: tuple[tuple[str, float], ...]
    finished: bool
    declined: bool
    pneumothorax: bool  # the pleura has been punctured (symptoms may not have started)
    vasovagal: bool
    last_speech: str | None
    soreness: bool | None  # drawn at finish; None before
    soreness_probability: float | None
    vitals: Vitals | None = None  # what the monitor shows now
    complications: tuple[tuple[str, str], ...] = ()  # (kind, stage) of each complication so far
    posture: str | None = None  # the position the patient is in now (position or reposition)
    oxygen: bool = False
    probe_tilt_deg: float = 0.0  # heel-toe tilt (tilt_probe)
