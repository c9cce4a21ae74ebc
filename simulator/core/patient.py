"""The patient's local responses: bruising and soreness (faints, LAST and pneumothorax: physiology/).

All chance draws come from the Session's patient stream, in a fixed order, so the same
seed and actions give the same patient.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.core import events as E
from simulator.core import speech
from simulator.scenario.schema import AgentCatalogue, Case

# Haematoma after a vessel puncture. Bruising follows 7.55% of dry-needling treatments [135],
# most without a recognised vessel puncture; the per-puncture chances below and the
# anticoagulation factor are authoring choices (UNSOURCED).
HAEMATOMA_AFTER_VEIN = 0.2
HAEMATOMA_AFTER_ARTERY = 0.4
HAEMATOMA_ANTICOAGULATED = 0.85


def anticoagulated(case: Case) -> bool:
    p = case.patient
    return p.conditions.bleeding_disorder or any(m.anticoagulant for m in p.medications)


def haematoma_probability(case: Case, vessel_kind: str) -> float:
    if anticoagulated(case):
        return HAEMATOMA_ANTICOAGULATED
    return HAEMATOMA_AFTER_ARTERY if vessel_kind == "artery" else HAEMATOMA_AFTER_VEIN


# Hong 1994 [1]: soreness 2-8 h later in 42% after 0.5% lidocaine and 100% after dry needling;
# used when the catalogue itself gives no rate for either.
HONG_LIDOCAINE_SORENESS = 0.42
HONG_DRY_NEEDLING_SORENESS = 1.0


@dataclass(frozen=True)
class Soreness:
    probability: float
    agent_id: str | None  # the agent whose rate applied
    sourced: bool  # False when the rate is an estimate for an agent with no rate of its own


def _rate_of(catalogue: AgentCatalogue, local_anaesthetic: bool) -> float:
    """The highest sourced rate among catalogue agents of a kind: local anaesthetics, or no injectate."""
    if local_anaesthetic:
        rates = [a.soreness_probability for a in catalogue.agents if a.local_anaesthetic and a.injectate]
        fallback = HONG_LIDOCAINE_SORENESS
    else:
        rates = [a.soreness_probability for a in catalogue.agents if not a.injectate]
        fallback = HONG_DRY_NEEDLING_SORENESS
    rates = [r for r in rates if r is not None]
    return max(rates) if rates else fallback


def soreness_for(catalogue: AgentCatalogue, injected_agents: list[str], needled: bool) -> Soreness:
    """Chance of soreness 2-8 h later, by what was injected (docs/physiology.md, "Soreness").

    An agent's own catalogue rate applies when it has one. An agent without one is estimated
    by kind (an authoring choice): a local anaesthetic damps the needling soreness as 0.5%
    lidocaine did in Hong's series; an injectate without one (saline, toxin, Traumeel)
    leaves the needling soreness of dry needling. The highest chance among the agents
    injected applies; needling with nothing injected is dry needling; no needle, no soreness.
    """
    if not needled:
        return Soreness(0.0, None, True)
    found: list[Soreness] = []
    for agent_id in injected_agents:
        agent = catalogue.get(agent_id)
        if agent is None:
            continue
        if agent.soreness_probability is not None:
            found.append(Soreness(agent.soreness_probability, agent.id, True))
        else:
            found.append(Soreness(_rate_of(catalogue, agent.local_anaesthetic), agent.id, False))
    if found:
        return max(found, key=lambda s: (s.probability, s.sourced))
    dry = next((a for a in catalogue.agents if not a.injectate), None)
    if dry is not None and dry.soreness_probability is not None:
        return Soreness(dry.soreness_probability, dry.id, True)
    return Soreness(HONG_DRY_NEEDLING_SORENESS, dry.id if dry else None, dry is None)


@dataclass
class PatientBody:
    """The patient's responses during one session; every draw uses the patient stream, in order."""

    case: Case
    rng: np.random.Generator
    pneumothorax: bool = False  # the pleura was breached (its symptoms: physiology/pneumothorax.py)
    soreness: tuple[float, bool] | None = None  # (probability, sore), drawn at finish

    def needle_events(self, events: list[E.Event], t_s: float) -> list[E.Event]:
        """The needle's events with the body's answers inserted: haematomas."""
        out: list[E.Event] = []
        for event in events:
            out.append(event)
            if isinstance(event, E.VesselPunctured):
                if self.rng.random() < haematoma_probability(self.case, event.kind):
                    out.append(E.HaematomaFormed(t_s=t_s, name=event.name, speech=speech.haematoma()))
            elif isinstance(event, E.PleuraPunctured):
                self.pneumothorax = True
        return out

    def finish(self, catalogue: AgentCatalogue, injected_agents: list[str], needled: bool,
               t_s: float) -> list[E.Event]:
        """At the end: the soreness draw."""
        out: list[E.Event] = []
        found = soreness_for(catalogue, injected_agents, needled)
        sore = bool(self.rng.random() < found.probability) if found.probability > 0 else False
        self.soreness = (found.probability, sore)
        out.append(E.SorenessPredicted(t_s=t_s, probability=found.probability, sore=sore, agent_id=found.agent_id,
                                       sourced=found.sourced))
        return out
