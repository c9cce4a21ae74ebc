"""The patient's local responses: bruising, delayed pneumothorax, soreness (faints and LAST: physiology/).

All chance draws come from the Session's patient stream, in a fixed order, so the same
seed and actions give the same patient.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.core import events as E
from simulator.core import speech
from simulator.scenario.schema import AgentCatalogue, Case

# Haematoma after a vessel puncture. Bruising follows 7.55% of dry-needling treatments [135]
# (§4.5), most without a recognised vessel puncture; the per-puncture chances below and the
# anticoagulation factor are authoring choices (UNSOURCED; §8.10).
HAEMATOMA_AFTER_VEIN = 0.2
HAEMATOMA_AFTER_ARTERY = 0.4
HAEMATOMA_ANTICOAGULATED = 0.85
# Pneumothorax symptoms start later, sometimes hours later (§5.3 [41][42]); the session
# compresses that to a few minutes (authoring choice) or shows them at finish.
PNEUMOTHORAX_DELAY_S = (120.0, 300.0)


def anticoagulated(case: Case) -> bool:
    p = case.patient
    return p.conditions.bleeding_disorder or any(m.anticoagulant for m in p.medications)


def haematoma_probability(case: Case, vessel_kind: str) -> float:
    if anticoagulated(case):
        return HAEMATOMA_ANTICOAGULATED
    return HAEMATOMA_AFTER_ARTERY if vessel_kind == "artery" else HAEMATOMA_AFTER_VEIN


def pneumothorax_delay_s(rng: np.random.Generator) -> float:
    lo, hi = PNEUMOTHORAX_DELAY_S
    return float(rng.uniform(lo, hi))


def soreness_probability(
    catalogue: AgentCatalogue, injected_agents: list[str], needled: bool
) -> tuple[float, str | None]:
    """Chance of soreness 2-8 h later (Hong 1994 [1]: 42% after 0.5% lidocaine, 100% dry needling).

    The highest catalogue rate among the agents injected applies; needling with nothing
    injected counts as dry needling. Agents the catalogue gives no rate for fall back to the
    dry-needling rate only when nothing else is known: no needle, no soreness.
    """
    if not needled:
        return 0.0, None
    rates = []
    for agent_id in injected_agents:
        agent = catalogue.get(agent_id)
        if agent is not None and agent.soreness_probability is not None:
            rates.append((agent.soreness_probability, agent_id))
    if rates:
        return max(rates)
    dry = catalogue.get("dry_needling")
    if not injected_agents and dry is not None and dry.soreness_probability is not None:
        return dry.soreness_probability, dry.id
    # Injected agents with no sourced rate (e.g. 1% lidocaine): use Hong's lidocaine figure
    # as the best available estimate (§1.4 [1][24]).
    lido = catalogue.get("lidocaine_0_5")
    if lido is not None and lido.soreness_probability is not None:
        return lido.soreness_probability, lido.id
    return 0.42, None  # §1.4 Hong 1994 [1]


@dataclass
class PatientBody:
    """The patient's responses during one session; every draw uses the patient stream, in order."""

    case: Case
    rng: np.random.Generator
    pneumothorax: bool = False
    pneumothorax_due_s: float | None = None
    soreness: tuple[float, bool] | None = None  # (probability, sore), drawn at finish

    def needle_events(self, events: list[E.Event], t_s: float) -> list[E.Event]:
        """The needle's events with the body's answers inserted: haematomas, the pneumothorax clock."""
        out: list[E.Event] = []
        for event in events:
            out.append(event)
            if isinstance(event, E.VesselPunctured):
                if self.rng.random() < haematoma_probability(self.case, event.kind):
                    out.append(E.HaematomaFormed(t_s=t_s, name=event.name, speech=speech.haematoma()))
            elif isinstance(event, E.PleuraPunctured) and not self.pneumothorax:
                self.pneumothorax = True
                self.pneumothorax_due_s = t_s + pneumothorax_delay_s(self.rng)
        return out

    def due(self, t_s: float) -> list[E.Event]:
        """Delayed symptoms whose time has come."""
        if self.pneumothorax_due_s is None or t_s < self.pneumothorax_due_s:
            return []
        self.pneumothorax_due_s = None
        return [E.PneumothoraxSymptoms(t_s=t_s, speech=speech.pneumothorax_symptoms())]

    def finish(self, catalogue: AgentCatalogue, injected_agents: list[str], needled: bool,
               t_s: float) -> list[E.Event]:
        """At the end: pending pneumothorax symptoms now, and the soreness draw."""
        out: list[E.Event] = []
        if self.pneumothorax_due_s is not None:
            self.pneumothorax_due_s = None
            out.append(E.PneumothoraxSymptoms(t_s=t_s, speech=speech.pneumothorax_symptoms()))
        probability, agent_id = soreness_probability(catalogue, injected_agents, needled)
        sore = bool(self.rng.random() < probability) if probability > 0 else False
        self.soreness = (probability, sore)
        out.append(E.SorenessPredicted(t_s=t_s, probability=probability, sore=sore, agent_id=agent_id))
        return out
