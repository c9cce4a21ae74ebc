"""Default acoustic properties per tissue, from docs/sources.md [94][95].

Speed of sound, impedance and attenuation are the published figures. Scatterer density
and amplitude set how bright the speckle is; they are rendering parameters tuned so that
each tissue looks as the sources describe [75][76] (fat dark with bright septa, muscle hypoechoic,
skin and fascia bright), not measured constants. A case may override any of them.
"""

from __future__ import annotations

from typing import Literal

Tissue = Literal[
    "skin", "fat", "fascia", "muscle", "bone", "pleura", "lung",
    "artery", "vein", "blood", "nerve", "trigger_point", "injectate", "water",
]

TISSUES: tuple[str, ...] = Tissue.__args__  # type: ignore[attr-defined]

# tissue -> speed_m_s, impedance_mrayl, attenuation_db_cm_mhz, scatter_density, scatter_amplitude
# Sources (docs/sources.md): [95] speed, impedance and dB/cm/MHz; [94] dB/cm at 1 MHz.
DEFAULT_ACOUSTICS: dict[str, tuple[float, float, float, float, float]] = {
    "skin": (1730.0, 1.99, 0.35, 1.0, 4.5),  # [95][94]
    "fat": (1460.0, 1.39, 0.63, 0.5, 0.45),  # [95] speed/impedance, [94] 0.63 dB/cm at 1 MHz
    "fascia": (1613.0, 1.70, 1.57, 1.0, 7.0),  # [94] 1.57 dB/cm at 1 MHz; speed/impedance not sourced, soft-tissue mean
    "muscle": (1580.0, 1.68, 1.2, 1.0, 0.6),  # [95] 1.2 dB/cm/MHz ([94]: 0.96 across, 1.40 along fibres)
    "bone": (3432.0, 6.50, 10.0, 1.0, 1.0),  # [95] upper end of 1-10 dB/cm/MHz; [94] 15 dB/cm at 1 MHz
    "pleura": (1580.0, 1.68, 1.57, 1.0, 7.0),  # a connective-tissue membrane over air; the air gives the reflection
    "lung": (330.0, 0.0004, 40.0, 0.0, 0.0),  # [94] aerated lung 40 dB/cm at 1 MHz; air impedance
    "artery": (1584.0, 1.66, 0.15, 0.02, 0.05),  # [94] blood 0.15 dB/cm at 1 MHz; lumen is anechoic [82]
    "vein": (1584.0, 1.66, 0.15, 0.02, 0.05),  # [94]
    "blood": (1584.0, 1.66, 0.15, 0.02, 0.05),  # [94]
    "nerve": (1600.0, 1.70, 1.0, 1.0, 0.9),  # honeycomb texture is drawn by the engine [77][78]
    "trigger_point": (1580.0, 1.68, 1.2, 1.0, 0.6),  # muscle; echo contrast comes from the trigger point itself
    "injectate": (1500.0, 1.46, 0.002, 0.0, 0.0),  # water [95][94]
    "water": (1500.0, 1.46, 0.002, 0.0, 0.0),  # [95][94]
}
