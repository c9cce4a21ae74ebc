"""Safety: consent as a conversation, skin prep and position before the needle, aspiration
before every injection, and no contact with vessel, nerve or pleura.

Items (share of the criterion):
- consent 20%: the risks, benefits and alternatives discussed before the first skin puncture
  (topics given with `consent`, see core/preparation.py). Credit = (applicable topics covered
  - half of each topic that does not apply to this case) / applicable topics. Risks disclosed
  after the needle went in do not count. No consent at all before the puncture is also a
  failing item (critical.py);
- skin prep 15%: antiseptic before the puncture (also a failing item when missing);
- position 10%: the patient in the case's position when the needle went in (half for another
  safe position, none for a position to avoid, e.g. prone or supine from 20 weeks of pregnancy);
- aspiration 25%: share of injections aspirated first (full when nothing was injected);
- no contacts 30%: each vessel, nerve or pleura contact costs half of that item.
Near misses are listed but cost nothing. After a decline with no puncture nothing unsafe was
done: full credit when the decision earns any credit, none when it earns none.
"""

from __future__ import annotations

from simulator.core import events as ev
from simulator.core.preparation import CONSENT_TOPICS, NEUTRAL, applicable_consent_topics, positions_to_avoid
from simulator.core.scoring.base import Criterion, Outcome, weighted
from simulator.core.scoring.facts import finite, pretty

WEIGHTS = {"consent": 0.2, "prep": 0.15, "position": 0.1, "aspiration": 0.25, "contacts": 0.3}
CONTACT_COST = 0.5  # share of the contact item lost per contact
WRONG_TOPIC_COST = 0.5  # a topic that does not apply costs half a covered one


class Safety(Criterion):
    id = "safety"
    title = "Safety"

    def __init__(self, facts):
        super().__init__(facts)
        self.consent_t_s: float | None = None
        self.prep_t_s: float | None = None
        self.topics_before: set[str] = set()
        self.topics_after: set[str] = set()
        self.position: str | None = None
        self.position_at_puncture: str | None = None
        self.punctured = False
        self.contacts: list[str] = []
        self.near_misses: list[str] = []

    def feed(self, event: ev.Event) -> None:
        t_s = finite(event.t_s)
        if isinstance(event, ev.ConsentObtained):
            if self.consent_t_s is None:
                self.consent_t_s = t_s
            (self.topics_after if self.punctured else self.topics_before).update(event.topics)
        elif isinstance(event, ev.SkinPrepared) and self.prep_t_s is None:
            self.prep_t_s = t_s
        elif isinstance(event, ev.PatientPositioned):
            self.position = event.position
        elif isinstance(event, ev.SkinPunctured) and not self.punctured:
            self.punctured = True
            self.position_at_puncture = self.position
        elif isinstance(event, ev.VesselPunctured):
            self.contacts.append(f"punctured the {pretty(event.name)} ({event.kind}) at {t_s:.1f} s")
        elif isinstance(event, ev.NerveContacted):
            self.contacts.append(f"touched the {pretty(event.name)} at {t_s:.1f} s")
        elif isinstance(event, ev.PleuraPunctured):
            self.contacts.append(f"punctured the pleura at {t_s:.1f} s")
        elif isinstance(event, ev.NearMiss):
            self.near_misses.append(f"{pretty(event.name)} ({finite(event.distance_mm):.1f} mm)")

    # ------------------------------------------------------------ items
    def _consent(self, first_s: float) -> tuple[float, str]:
        if self.consent_t_s is None or self.consent_t_s > first_s:
            late = " Risks disclosed after the needle do not count as consent." if self.consent_t_s is not None else ""
            return 0.0, "You did not obtain consent before the needle went in." + late
        applicable = applicable_consent_topics(self.case)
        covered = [t for t in applicable if t in self.topics_before]
        missing = [t for t in applicable if t not in self.topics_before]
        wrong = sorted(t for t in self.topics_before if t not in applicable and t not in NEUTRAL)
        share = max(0.0, (len(covered) - WRONG_TOPIC_COST * len(wrong)) / len(applicable)) if applicable else 1.0
        text = f"Consent before the needle covered {len(covered)} of the {len(applicable)} topics that apply"
        if missing:
            text += "; not discussed: " + ", ".join(CONSENT_TOPICS[t].split(":")[0].lower() for t in missing)
        if wrong:
            text += "; topics that do not apply to this procedure cost credit: " + ", ".join(
                CONSENT_TOPICS.get(t, t).split(":")[0].lower() for t in wrong)
        late = sorted(set(self.topics_after) - self.topics_before)
        if late:
            text += f". Mentioned only after the puncture (not consent): {', '.join(late)}"
        return share, text + "."

    def _position(self) -> tuple[float, str]:
        where = self.position_at_puncture
        recommended = self.case.patient.position
        if where is None:
            return 0.5, f"You never positioned the patient ({pretty(recommended)} suits this procedure)."
        if where in positions_to_avoid(self.case):
            return 0.0, f"The patient was {pretty(where)}, a position to avoid for this patient ({pretty(recommended)} is right)."
        if where != recommended:
            return 0.5, f"The patient was {pretty(where)}; {pretty(recommended)} suits this procedure better."
        return 1.0, f"The patient was {pretty(where)}, as this procedure needs."

    def outcome(self) -> Outcome:
        facts = self.facts
        injections = facts.injections
        aspirated = sum(1 for shot in injections if shot.aspirated_first)
        metrics = {
            "contacts": len(self.contacts),
            "near_misses": len(self.near_misses),
            "aspirated_injections": aspirated,
            "punctures": len(facts.punctures),
            "consent_topics": sorted(self.topics_before),
        }
        found = facts.decline_match
        if found is not None:
            if found[1] > 0:
                return Outcome(1.0, "No needle was used, so nothing unsafe was done.", metrics)
            return Outcome(0.0, "No procedure was done, so there was no safe practice to show.", metrics)
        if not facts.punctured:
            return Outcome(0.0, "The skin was never punctured, so there was no procedure in which to show safe practice.",
                           metrics)
        first_s = facts.first_puncture_t_s or 0.0
        consent, consent_text = self._consent(first_s)
        prep_ok = self.prep_t_s is not None and self.prep_t_s <= first_s
        position, position_text = self._position()
        aspiration = aspirated / len(injections) if injections else 1.0
        contact = max(0.0, 1.0 - CONTACT_COST * len(self.contacts))
        sentences = [
            consent_text,
            "The skin was prepared before the puncture." if prep_ok else
            ("The skin was prepared only after the puncture." if self.prep_t_s is not None
             else "The skin was never prepared."),
            position_text,
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
        items = {"consent": consent, "prep": float(prep_ok), "position": position, "aspiration": aspiration,
                 "contacts": contact}
        fraction = weighted([(WEIGHTS[k], v) for k, v in items.items()])
        return Outcome(fraction, " ".join(sentences), metrics)
