"""Safety: consent and skin prep before the skin is punctured, aspiration before every
injection, and no contact with vessel, nerve or pleura (domain.md §5.2 steps 2, 6 and 9).

Items: consent 20%, skin prep 20%, aspiration 30% (share of injections aspirated first; full
when nothing was injected), no contacts 30% (each vessel, nerve or pleura contact costs half
of that item). Near misses are listed but cost nothing. With no skin puncture there is no
safety to show, so the criterion earns nothing, except after a correct decline (full credit).
"""

from __future__ import annotations

from simulator.core import events as ev
from simulator.core.scoring.base import Criterion, Outcome, decline_credit, weighted
from simulator.core.scoring.facts import finite, pretty

CONSENT_WEIGHT, PREP_WEIGHT, ASPIRATION_WEIGHT, CONTACT_WEIGHT = 0.2, 0.2, 0.3, 0.3
CONTACT_COST = 0.5  # share of the contact item lost per contact


class Safety(Criterion):
    id = "safety"
    title = "Safety"

    def __init__(self, facts):
        super().__init__(facts)
        self.consent_t_s: float | None = None
        self.prep_t_s: float | None = None
        self.contacts: list[str] = []
        self.near_misses: list[str] = []

    def feed(self, event: ev.Event) -> None:
        t_s = finite(event.t_s)
        if isinstance(event, ev.ConsentObtained) and self.consent_t_s is None:
            self.consent_t_s = t_s
        elif isinstance(event, ev.SkinPrepared) and self.prep_t_s is None:
            self.prep_t_s = t_s
        elif isinstance(event, ev.VesselPunctured):
            self.contacts.append(f"punctured the {pretty(event.name)} ({event.kind}) at {t_s:.1f} s")
        elif isinstance(event, ev.NerveContacted):
            self.contacts.append(f"touched the {pretty(event.name)} at {t_s:.1f} s")
        elif isinstance(event, ev.PleuraPunctured):
            self.contacts.append(f"punctured the pleura at {t_s:.1f} s")
        elif isinstance(event, ev.NearMiss):
            self.near_misses.append(f"{pretty(event.name)} ({finite(event.distance_mm):.1f} mm)")

    def outcome(self) -> Outcome:
        facts = self.facts
        injections = facts.injections
        aspirated = sum(1 for shot in injections if shot.aspirated_first)
        metrics = {
            "contacts": len(self.contacts),
            "near_misses": len(self.near_misses),
            "aspirated_injections": aspirated,
            "punctures": len(facts.punctures),
        }
        declined = decline_credit(facts)
        if declined:
            return Outcome(declined.fraction, declined.evidence, metrics)
        if not facts.punctured:
            return Outcome(0.0, "The skin was never punctured, so there was no procedure in which to show safe practice.",
                           metrics)
        first_s = facts.first_puncture_t_s or 0.0
        consent_ok = self.consent_t_s is not None and self.consent_t_s <= first_s
        prep_ok = self.prep_t_s is not None and self.prep_t_s <= first_s
        aspiration = aspirated / len(injections) if injections else 1.0
        contact = max(0.0, 1.0 - CONTACT_COST * len(self.contacts))
        sentences = [
            "Consent was taken before the needle went in." if consent_ok else
            ("Consent came only after the skin was punctured." if self.consent_t_s is not None
             else "You never took consent."),
            "The skin was prepared before the puncture." if prep_ok else
            ("The skin was prepared only after the puncture." if self.prep_t_s is not None
             else "The skin was never prepared."),
        ]
        if injections:
            sentences.append(f"You aspirated before {aspirated} of {len(injections)} injections"
                             + ("." if aspirated == len(injections) else ": aspirate before every one."))
        if self.contacts:
            sentences.append("The needle " + "; ".join(self.contacts) + ".")
        else:
            sentences.append("No vessel, nerve or pleura was touched.")
        if self.near_misses:
            sentences.append("Near misses: " + ", ".join(self.near_misses) + ".")
        fraction = weighted([(CONSENT_WEIGHT, float(consent_ok)), (PREP_WEIGHT, float(prep_ok)),
                             (ASPIRATION_WEIGHT, aspiration), (CONTACT_WEIGHT, contact)])
        return Outcome(fraction, " ".join(sentences), metrics)
