"""What a case implies for preparing the procedure: consent topics, positions, needle choice.

These are clinical rules the session (to refuse a nonsense topic), scoring (to credit the
choices) and the UI (to offer the choices) all need, so they live here once.

Consent is a conversation about risks, benefits and alternatives. The risks that apply to
every trigger point injection are bleeding, infection, post-injection soreness, fainting and
no guarantee of relief, with the alternatives (conservative care, dry needling) offered;
pneumothorax applies where the lung lies under the target and nerve injury where a nerve runs
near it (docs/scoring.md lists the sources). A case may list its own with `rubric.consent_topics`.
"""

from __future__ import annotations

import math

from simulator.scenario.schema import Case

CONSENT_TOPICS: dict[str, str] = {
    "bleeding": "Bleeding or bruising at the site",
    "infection": "Infection at the site",
    "soreness": "Soreness for a few days afterwards",
    "fainting": "Feeling faint or fainting",
    "no_guarantee": "No guarantee of relief; it may need repeating",
    "alternatives": "Alternatives: stretching, physiotherapy, dry needling",
    "pneumothorax": "Pneumothorax (collapsed lung): chest pain or breathlessness",
    "nerve_injury": "Nerve injury: numbness or tingling",
    "allergic_reaction": "Allergic reaction to the drug",
    "steroid_effects": "Steroid effects: skin thinning, raised blood glucose",
    "blood_clot_stroke": "Stroke from a clot",
    "kidney_damage": "Kidney damage",
}
ALWAYS_APPLICABLE = ("bleeding", "infection", "soreness", "fainting", "no_guarantee", "alternatives")
# Worth saying but not required: a drug allergy (rare, but the drug is chosen later) and steroid
# effects (only if a steroid is given). Mentioning them neither earns nor costs credit.
NEUTRAL = ("allergic_reaction", "steroid_effects")

LATE_PREGNANCY_WEEKS = 20  # from here prone is impossible and supine compresses the vena cava
LATE_PREGNANCY_AVOID = ("prone", "supine")
STANDARD_NEEDLE_LENGTHS_MM = (25.0, 32.0, 38.0, 50.0, 76.0, 90.0, 127.0)  # 1, 1.25, 1.5, 2, 3, 3.5 and 5 inch (5 in: UNSOURCED)
SUPERFICIAL_NEEDLE_MM = 38.0  # 1.5 in: the usual needle for superficial trigger points
IN_PLANE_ANGLE_DEG = 30.0  # the shallow in-plane approach that keeps the tip in view
FINE_GAUGE = 25  # 25G or finer where bleeding is a concern


def applicable_consent_topics(case: Case) -> tuple[str, ...]:
    """The consent topics this case's procedure carries (the case's own list when it gives one)."""
    if case.rubric.consent_topics is not None:
        return tuple(case.rubric.consent_topics)
    topics = list(ALWAYS_APPLICABLE)
    tissues = {layer.tissue for layer in case.anatomy.layers}
    if tissues & {"pleura", "lung"}:
        topics.append("pneumothorax")
    if case.anatomy.nerves:
        topics.append("nerve_injury")
    return tuple(topics)


def positions_to_avoid(case: Case) -> tuple[str, ...]:
    """Positions wrong for this patient: the case's list, plus prone and supine late in pregnancy."""
    avoid = list(case.patient.positions_to_avoid)
    weeks = case.patient.conditions.pregnancy_weeks
    if weeks is not None and weeks >= LATE_PREGNANCY_WEEKS:
        avoid += [p for p in LATE_PREGNANCY_AVOID if p not in avoid]
    return tuple(avoid)


def anticoagulated(case: Case) -> bool:
    conditions = case.patient.conditions
    return conditions.bleeding_disorder or any(m.anticoagulant for m in case.patient.medications)


def needle_reach_mm(case: Case) -> float:
    """The shaft length an in-plane approach at about 30 degrees needs to the deepest active point."""
    depths = [p.depth_mm for p in case.trigger_points if p.activity == "active"] or [p.depth_mm for p in case.trigger_points]
    return max(depths) / math.sin(math.radians(IN_PLANE_ANGLE_DEG))


def suitable_needle_length_mm(case: Case) -> float:
    """The shortest standard needle that reaches in plane without burying it to the hub (5 mm spare)."""
    needed = max(SUPERFICIAL_NEEDLE_MM, needle_reach_mm(case) + 5.0)
    return next((n for n in STANDARD_NEEDLE_LENGTHS_MM if n >= needed), STANDARD_NEEDLE_LENGTHS_MM[-1])


def needle_problems(case: Case, gauge: int, length_mm: float, pleura_depth_mm: float | None) -> list[str]:
    """What is wrong with this needle for this case (empty when it suits)."""
    problems = []
    deepest = max((p.depth_mm for p in case.trigger_points if p.activity == "active"), default=0.0)
    if length_mm < deepest + 5.0:
        problems.append(f"a {length_mm:g} mm needle cannot reach a point {deepest:.0f} mm deep without being buried "
                        "to the hub")
    suitable = suitable_needle_length_mm(case)
    if pleura_depth_mm is not None and length_mm > suitable and length_mm >= pleura_depth_mm:
        problems.append(f"a {length_mm:g} mm needle is longer than this target needs ({suitable:g} mm) and long enough "
                        f"to reach the pleura {pleura_depth_mm:.0f} mm down")
    if anticoagulated(case) and gauge < FINE_GAUGE:
        problems.append(f"a {gauge}G needle is wider than needed in an anticoagulated patient ({FINE_GAUGE}G or finer)")
    return problems
