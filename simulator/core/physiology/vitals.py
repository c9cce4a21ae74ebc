"""Vital signs: the patient's baseline and the deviations complications add to it.

A complication never sets the numbers directly; it contributes a `Deviation` (a change from
baseline), and the monitor shows baseline plus the sum of every active deviation, clamped
to numbers a monitor can show. That keeps two overlapping complications (a faint during a
toxicity) readable and makes every figure traceable to its source below.
"""

from __future__ import annotations

from dataclasses import dataclass

# Baseline values other than the heart rate (which the case gives) are authoring choices for
# a healthy adult at rest; no case file sets them yet (docs/physiology.md).
BASELINE_SYSTOLIC_MMHG = 120.0
BASELINE_DIASTOLIC_MMHG = 78.0
BASELINE_RESP_RATE = 14.0
BASELINE_SPO2_PCT = 98.0

# Levels of consciousness, least to most concerning; "seizing" is shown over the others.
CONSCIOUSNESS = ("alert", "drowsy", "unresponsive", "seizing")


@dataclass(frozen=True)
class Deviation:
    """A change from baseline; `consciousness` is a level index into CONSCIOUSNESS."""

    heart_rate_bpm: float = 0.0
    systolic_mmhg: float = 0.0
    diastolic_mmhg: float = 0.0
    resp_rate_per_min: float = 0.0
    spo2_pct: float = 0.0
    consciousness: int = 0

    def blend(self, other: "Deviation", share: float) -> "Deviation":
        """Linear blend towards `other` (share 0 -> self, 1 -> other).

        Consciousness is lost at once (a faint is sudden) but comes back only half way through."""
        share = max(0.0, min(1.0, share))

        def mix(a: float, b: float) -> float:
            return a + (b - a) * share

        return Deviation(mix(self.heart_rate_bpm, other.heart_rate_bpm), mix(self.systolic_mmhg, other.systolic_mmhg),
                         mix(self.diastolic_mmhg, other.diastolic_mmhg),
                         mix(self.resp_rate_per_min, other.resp_rate_per_min), mix(self.spo2_pct, other.spo2_pct),
                         other.consciousness if share >= 0.5 or other.consciousness > self.consciousness
                         else self.consciousness)

    def scaled(self, factor: float) -> "Deviation":
        return Deviation(self.heart_rate_bpm * factor, self.systolic_mmhg * factor, self.diastolic_mmhg * factor,
                         self.resp_rate_per_min * factor, self.spo2_pct * factor, self.consciousness)


NONE = Deviation()


@dataclass(frozen=True)
class Vitals:
    """What the monitor shows (rounded as a monitor rounds)."""

    heart_rate_bpm: float
    systolic_mmhg: float
    diastolic_mmhg: float
    resp_rate_per_min: float
    spo2_pct: float
    consciousness: str

    @property
    def blood_pressure(self) -> str:
        return f"{self.systolic_mmhg:.0f}/{self.diastolic_mmhg:.0f}"


def baseline_deviation_sum(deviations: list[Deviation]) -> Deviation:
    """The sum of several deviations; the deepest level of consciousness wins."""
    out = NONE
    for d in deviations:
        out = Deviation(out.heart_rate_bpm + d.heart_rate_bpm, out.systolic_mmhg + d.systolic_mmhg,
                        out.diastolic_mmhg + d.diastolic_mmhg, out.resp_rate_per_min + d.resp_rate_per_min,
                        out.spo2_pct + d.spo2_pct, max(out.consciousness, d.consciousness))
    return out


def vitals_from(heart_rate_bpm: float, deviation: Deviation) -> Vitals:
    """Baseline plus a deviation, clamped to what a monitor shows, rounded to whole numbers."""

    def clamp(value: float, low: float, high: float) -> float:
        return float(round(max(low, min(high, value))))

    systolic = clamp(BASELINE_SYSTOLIC_MMHG + deviation.systolic_mmhg, 40, 240)
    diastolic = clamp(BASELINE_DIASTOLIC_MMHG + deviation.diastolic_mmhg, 20, systolic - 10)
    return Vitals(
        heart_rate_bpm=clamp(heart_rate_bpm + deviation.heart_rate_bpm, 20, 220),
        systolic_mmhg=systolic,
        diastolic_mmhg=diastolic,
        resp_rate_per_min=clamp(BASELINE_RESP_RATE + deviation.resp_rate_per_min, 4, 50),
        spo2_pct=clamp(BASELINE_SPO2_PCT + deviation.spo2_pct, 50, 100),
        consciousness=CONSCIOUSNESS[max(0, min(len(CONSCIOUSNESS) - 1, deviation.consciousness))],
    )
