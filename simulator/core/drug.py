"""The syringe: agent choice, aspiration, injection, running dose and allergy.

Doses add up per substance across every point (docs/sources.md [98]) and are checked
against the catalogue ceiling for this patient: min(mg/kg x weight, max mg), plain (the
catalogue models epinephrine-free products). Allergy is matched by drug class or agent id;
ester and amide local anaesthetics do not cross-react ([129][130]).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from simulator.core import events as E
from simulator.core.dose_book import DoseBook, amount_of, ceiling_for  # noqa: F401 (re-exported)
from simulator.core import speech
from simulator.core.state import BolusState, Rejected
from simulator.scenario.schema import Agent, AgentCatalogue, Allergy, Case, Component

MAX_SYRINGE_ML = 20.0  # the largest syringe offered


def allergy_match(case: Case, agent: Agent) -> Allergy | None:
    """The patient's allergy this agent triggers, matched by class, additive or agent id ([129][130])."""
    classes = set(agent.classes) | {c.agent_class for c in agent.components} | set(agent.additives)
    for allergy in case.patient.allergies:
        if allergy.agent is not None and allergy.agent == agent.id:
            return allergy
        if allergy.allergy_class is not None and allergy.allergy_class in classes:
            return allergy
    return None


@dataclass
class Syringe:
    """The syringe and dose book of one session (mutable; the Session snapshots it).

    Methods answer an action with events, or raise Rejected before changing anything.
    """

    agent: Agent | None = None
    syringe_ml: float = 0.0
    aspirated_here: bool = False  # aspirated since the tip last moved
    doses: DoseBook | None = None  # the patient's dose book, made on the first injection
    reacted: set[str] = field(default_factory=set)  # agent ids that already caused a reaction
    injected_agents: list[str] = field(default_factory=list)  # in order of first use

    def select(self, catalogue: AgentCatalogue, agent_id: str, volume_ml: float, t_s: float) -> list[E.Event]:
        agent = catalogue.get(agent_id)
        if agent is None:
            known = ", ".join(x.id for x in catalogue.agents)
            raise Rejected(f"unknown agent {agent_id!r}; the catalogue has: {known}")
        if agent.injectate and not 0 < volume_ml <= MAX_SYRINGE_ML:
            raise Rejected(f"volume_ml must be above 0 and at most {MAX_SYRINGE_ML:g}, got {volume_ml:g}")
        if not agent.injectate and volume_ml < 0:
            raise Rejected(f"volume_ml cannot be negative, got {volume_ml:g}")
        self.agent = agent
        self.syringe_ml = volume_ml if agent.injectate else 0.0
        self.aspirated_here = False
        return [E.AgentSelected(t_s=t_s, agent_id=agent.id, volume_ml=self.syringe_ml)]

    def _require_injectate(self) -> Agent:
        if self.agent is None:
            raise Rejected("select an agent first")
        if not self.agent.injectate:
            raise Rejected(f"{self.agent.id} has no injectate: the needling itself is the treatment")
        return self.agent

    def aspirate(self, blood: bool, t_s: float) -> list[E.Event]:
        self._require_injectate()
        self.aspirated_here = True
        return [E.Aspirated(t_s=t_s, blood=blood, speech=speech.aspirated(blood))]

    def check_injection(self, volume_ml: float) -> Agent:
        agent = self._require_injectate()
        if not 0 < volume_ml <= self.syringe_ml + 1e-9:
            raise Rejected(f"volume_ml must be above 0 and at most the {self.syringe_ml:g} mL left in the syringe")
        return agent

    def inject(self, case: Case, volume_ml: float, tip: tuple[float, float, float], tissue: str,
               intravascular: bool, point_id: str | None, t_s: float) -> tuple[list[E.Event], BolusState | None]:
        """Inject at the tip: dose, ceiling and allergy (what reaches the circulation: physiology/last.py)."""
        agent = self.check_injection(volume_ml)
        x, y, d = tip
        aspirated = self.aspirated_here
        self.syringe_ml = max(0.0, self.syringe_ml - volume_ml)
        if self.doses is None:
            self.doses = DoseBook(case.patient.weight_kg)
        muscle = next((p.muscle for p in case.trigger_points if p.id == point_id), None)
        update = self.doses.add(agent, volume_ml, t_s, muscle)
        if agent.id not in self.injected_agents:
            self.injected_agents.append(agent.id)
        out: list[E.Event] = [E.Injected(
            t_s=t_s, agent_id=agent.id, volume_ml=volume_ml, tip_x_mm=x, tip_y_mm=y, tip_depth_mm=d, tissue=tissue,
            point_id=point_id, aspirated_first=aspirated, intravascular=intravascular,
            speech=speech.injected(tissue))]
        for c in update.crossed:
            out.append(E.DoseCeilingExceeded(t_s=t_s, substance=c.substance, total_mg=c.total, ceiling_mg=c.ceiling,
                                             unit=c.unit))
        allergy = allergy_match(case, agent)
        if allergy is not None and agent.id not in self.reacted:
            self.reacted.add(agent.id)
            out.append(E.AllergicReaction(t_s=t_s, agent_id=agent.id, allergy=allergy.substance,
                                          speech=speech.allergic(allergy.reaction)))
        bolus = None if intravascular else BolusState(x, y, d, volume_ml, tissue)
        return out, bolus

    @property
    def totals(self) -> dict[str, float]:
        return self.doses.totals if self.doses else {}

    @property
    def units(self) -> dict[str, str]:
        return self.doses.units if self.doses else {}


def reach_mm(volume_ml: float) -> float:
    """Radius of a sphere holding the volume: how far injectate spreads from the tip (1 mL ~ 6.2 mm)."""
    return (3.0 * max(volume_ml, 0.0) / (4.0 * math.pi)) ** (1.0 / 3.0) * 10.0

