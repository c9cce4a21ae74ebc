"""Value types of the ultrasound engine: scanner settings, injected boluses, and a frame."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from simulator.core.state import DOPPLER_STEERS_DEG
from simulator.core.state import TGC_LIMIT_DB as TGC_RANGE_DB  # each TGC slider: -20..+20 dB
from simulator.core.ultrasound.scan_geometry import ImageGeometry


@dataclass(frozen=True)
class ScanSettings:
    """Knobs on the scanner. focus_cm <= 0 (or None) means mid-image; bad values raise ValueError.

    tgc_near_db / tgc_mid_db / tgc_far_db are the trainee's time-gain sliders, added to the
    automatic TGC at the top, the middle and the bottom of the image (linear in between).
    doppler_steer_deg steers the colour beam (-20, 0 or +20 degrees, like a scanner's steer key);
    speckle_reduction compounds two decorrelated speckle patterns (on in an MSK preset).
    """

    depth_cm: float = 4.0
    gain_db: float = 0.0
    freq_mhz: float = 10.0
    focus_cm: float = 0.0
    doppler: bool = False
    tgc_near_db: float = 0.0
    tgc_mid_db: float = 0.0
    tgc_far_db: float = 0.0
    doppler_steer_deg: float = 20.0
    speckle_reduction: bool = True

    def __post_init__(self):
        if self.focus_cm is None:  # "not set": mid-image
            object.__setattr__(self, "focus_cm", 0.0)
        checks = (
            ("depth_cm", self.depth_cm, 1.0, 16.0),
            ("gain_db", self.gain_db, -40.0, 40.0),
            ("freq_mhz", self.freq_mhz, 1.0, 25.0),
            ("focus_cm", self.focus_cm, -1.0, 16.0),
            ("tgc_near_db", self.tgc_near_db, -TGC_RANGE_DB, TGC_RANGE_DB),
            ("tgc_mid_db", self.tgc_mid_db, -TGC_RANGE_DB, TGC_RANGE_DB),
            ("tgc_far_db", self.tgc_far_db, -TGC_RANGE_DB, TGC_RANGE_DB),
        )
        for name, value, lo, hi in checks:
            if not isinstance(value, (int, float)) or not math.isfinite(value) or not lo <= value <= hi:
                raise ValueError(f"{name} must be a number in {lo:g}..{hi:g}, got {value!r}")
        if self.doppler_steer_deg not in DOPPLER_STEERS_DEG:
            raise ValueError(f"doppler_steer_deg must be one of -20, 0, 20, got {self.doppler_steer_deg!r}")

    @property
    def tgc_db(self) -> tuple[float, float, float]:
        """The trainee's TGC sliders (near, mid, far) in dB."""
        return (float(self.tgc_near_db), float(self.tgc_mid_db), float(self.tgc_far_db))

    @property
    def focus_mm(self) -> float:
        """Focal depth; mid-image unless set, and never below the image."""
        focus_cm = self.focus_cm if self.focus_cm > 0 else self.depth_cm / 2
        return min(focus_cm, self.depth_cm) * 10.0


@dataclass(frozen=True)
class Bolus:
    """Injected fluid centred at a world point; `tissue` is where the tip was (muscle, fat, fascia...)."""

    x_mm: float
    y_mm: float
    depth_mm: float
    volume_ml: float
    tissue: str


@dataclass(frozen=True, eq=False)
class Frame:
    """One ultrasound frame.

    image: (H, W) uint8 B-mode after TGC, gain and log compression.
    envelope: (H, W) float32 linear received envelope before TGC (what the fidelity tests measure).
    doppler: (H, W, 3) uint8 RGB colour overlay or None; doppler_mask: (H, W) bool where colour is drawn.
    """

    image: np.ndarray
    envelope: np.ndarray
    geometry: ImageGeometry
    doppler: np.ndarray | None = None
    doppler_mask: np.ndarray | None = None
    doppler_box: tuple[int, int, int, int] | None = None  # (row0, col0, row1, col1) of the colour box
    tip_visible: bool = False
    doppler_corners: tuple | None = None  # ((row, col) x 4) of the steered (parallelogram) colour box
