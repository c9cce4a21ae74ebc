"""The end of the visit: aftercare and follow-up items the trainee gives after the last injection.

Sources (docs/physiology.md, "Aftercare"): stretch the treated muscle towards full length, a hot
pack for several minutes, then active range of motion several times; avoid strenuous activity
while the soreness lasts but keep moving (Kishner, Medscape 2020); soreness for a day or so, what
to report and when to seek emergency care (Drugs.com care notes 2023; Krames patient sheet);
pressure on the site, for 5 minutes in anticoagulated patients (Jongco 2016); follow-up and
repeat injections no sooner than 6 weeks at the same site, with at least 50% relief
(CMS LCD L34211). Re-palpating shows whether the point is less tender.

Which items a case expects (`expected_aftercare`): the case's own list
(`agent_policy.expected_aftercare`) when it gives one; otherwise every visit expects the core
items, and pressure on the site with anticoagulants (an authoring choice).
"""

from __future__ import annotations

from simulator.core import events as E
from simulator.core.patient import anticoagulated
from simulator.core.state import Rejected
from simulator.scenario.schema import Case

# item -> (short label for the panel and the debrief, what it means)
AFTERCARE: dict[str, tuple[str, str]] = {
    "pressure": ("Pressure on the site", "hold pressure over the injection site"),
    "recheck": ("Re-check pain and movement", "re-palpate the point and check the range of motion"),
    "stretch": ("Stretch and range of motion", "stretch the muscle and move it actively through its full range"),
    "heat": ("Hot pack", "a hot pack over the injected points for a few minutes"),
    "activity": ("Activity advice", "avoid strenuous activity for a few days but keep moving"),
    "soreness": ("Expect soreness", "soreness for a day or two, starting within hours, is expected"),
    "safety_net": ("When to seek help", "breathlessness or chest pain, swelling, fever or a faint feeling: seek help"),
    "self_care": ("Self-care programme", "exercise, stretching, sleep and medication if needed"),
    "referral": ("Physiotherapy or massage", "referral to rehabilitate the muscle"),
    "follow_up": ("Follow-up visit", "a follow-up appointment to check the result"),
    "repeat_plan": ("Repeat injections", "repeat only with real relief, not sooner than 6 weeks at one site"),
}
CORE = ("recheck", "stretch", "activity", "soreness", "safety_net", "follow_up")


def expected_aftercare(case: Case) -> list[str]:
    """The items this case expects at the end of the visit, in the order of AFTERCARE."""
    listed = case.agent_policy.expected_aftercare
    if listed is not None:
        wanted = set(listed)
    else:
        wanted = set(CORE)
        if anticoagulated(case):
            wanted.add("pressure")
    return [item for item in AFTERCARE if item in wanted]


def aftercare_given(item: str, t_s: float) -> list[E.Event]:
    if item not in AFTERCARE:
        raise Rejected(f"unknown aftercare item {item!r}; expected one of {', '.join(AFTERCARE)}")
    return [E.AftercareGiven(t_s=t_s, item=item)]
