"""Facts every criterion needs, digested once from the event log: what was treated, with what, when.

Criteria receive the events one by one (as PerkTutor's metrics do), but some rules need the
whole picture first: which trigger points were *treated*, whether this was dry needling,
whether the trainee correctly declined. `Facts.collect` builds that picture in one pass so
that every criterion reads the same answer.

Definitions (docs/scoring.md explains them for residents):
- A point is **treated** when an injection lands at it (`Injected.point_id`), or, in a dry
  needling attempt, when the needle elicits a twitch at it.
- An attempt is **dry needling** when nothing was injected with an injectate and the agent in
  hand (the last `AgentSelected`, or none) has no injectate.
- A **correct decline** is an `InjectionDeclined` with no skin puncture in a case whose policy
  says not to inject.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from simulator.core import events as ev
from simulator.core.drug import allergy_match, ceiling_for
from simulator.scenario.schema import Agent, AgentCatalogue, Case, TriggerPoint


def pretty(name: str) -> str:
    """upper_trapezius -> upper trapezius (names as a resident reads them)."""
    return name.replace("_", " ").strip()


def fmt_mm(value: float) -> str:
    return f"{value:.1f} mm"


def finite(value: float, default: float = 0.0) -> float:
    """Guard against NaN or infinity leaking from a malformed log into the score."""
    return float(value) if isinstance(value, (int, float)) and math.isfinite(value) else default


@dataclass
class Facts:
    case: Case
    catalogue: AgentCatalogue
    points: dict[str, TriggerPoint]
    punctures: list[ev.SkinPunctured] = field(default_factory=list)
    injections: list[ev.Injected] = field(default_factory=list)  # real injectate only
    needle_twitches: list[ev.TwitchElicited] = field(default_factory=list)
    snap_twitches: list[ev.TwitchElicited] = field(default_factory=list)
    selections: list[ev.AgentSelected] = field(default_factory=list)
    declines: list[ev.InjectionDeclined] = field(default_factory=list)
    counselling: list[ev.CounselGiven] = field(default_factory=list)
    dry_needling: bool = False
    treated_at: dict[str, float] = field(default_factory=dict)  # point id -> time first treated
    end_t_s: float = 0.0

    # ------------------------------------------------------------ building
    @classmethod
    def collect(cls, case: Case, catalogue: AgentCatalogue, events: list[ev.Event]) -> "Facts":
        facts = cls(case=case, catalogue=catalogue, points={p.id: p for p in case.trigger_points})
        for event in events:
            facts.end_t_s = max(facts.end_t_s, finite(event.t_s))
            if isinstance(event, ev.SkinPunctured):
                facts.punctures.append(event)
            elif isinstance(event, ev.Injected):
                agent = catalogue.get(event.agent_id)
                if agent is None or agent.injectate:
                    facts.injections.append(event)
            elif isinstance(event, ev.TwitchElicited):
                (facts.needle_twitches if event.source == "needle" else facts.snap_twitches).append(event)
            elif isinstance(event, ev.AgentSelected):
                facts.selections.append(event)
            elif isinstance(event, ev.InjectionDeclined):
                facts.declines.append(event)
            elif isinstance(event, ev.CounselGiven):
                facts.counselling.append(event)
        in_hand = facts.agent(facts.selections[-1].agent_id) if facts.selections else None
        facts.dry_needling = not facts.injections and (in_hand is None or not in_hand.injectate)
        if facts.dry_needling:
            for twitch in facts.needle_twitches:
                if twitch.point_id in facts.points:
                    facts.treated_at.setdefault(twitch.point_id, finite(twitch.t_s))
        else:
            for shot in facts.injections:
                if shot.point_id in facts.points:
                    facts.treated_at.setdefault(shot.point_id, finite(shot.t_s))
        return facts

    # ------------------------------------------------------------ questions
    def agent(self, agent_id: str | None) -> Agent | None:
        return self.catalogue.get(agent_id) if agent_id else None

    @property
    def active_ids(self) -> list[str]:
        return [p.id for p in self.case.trigger_points if p.activity == "active"]

    @property
    def treated_active(self) -> list[str]:
        return [pid for pid in self.treated_at if self.points[pid].activity == "active"]

    @property
    def punctured(self) -> bool:
        return bool(self.punctures)

    @property
    def first_puncture_t_s(self) -> float | None:
        return finite(self.punctures[0].t_s) if self.punctures else None

    @property
    def do_not_inject(self) -> bool:
        return self.case.agent_policy.do_not_inject

    @property
    def correct_decline(self) -> bool:
        """Declining without touching the skin, in a case that says not to inject."""
        return self.do_not_inject and bool(self.declines) and not self.punctured

    @property
    def agents_used(self) -> list[str]:
        """Agent ids that were actually given, in order; dry needling counts as an agent."""
        if self.dry_needling:
            if not self.treated_at:
                return []  # needling without a twitch at a point is not a treatment
            in_hand = self.selections[-1].agent_id if self.selections else None
            if in_hand:
                return [in_hand]
            dry = next((a.id for a in self.catalogue.agents if not a.injectate), None)
            return [dry] if dry else []
        seen: list[str] = []
        for shot in self.injections:
            if shot.agent_id not in seen:
                seen.append(shot.agent_id)
        return seen

    def doses(self) -> tuple[dict[str, float], dict[str, float]]:
        """Total mg and total units per substance over every injection."""
        mg: dict[str, float] = {}
        units: dict[str, float] = {}
        for shot in self.injections:
            agent = self.agent(shot.agent_id)
            volume_ml = max(0.0, finite(shot.volume_ml))
            for comp in agent.components if agent else ():
                if comp.mg_per_ml is not None:
                    mg[comp.substance] = mg.get(comp.substance, 0.0) + comp.mg_per_ml * volume_ml
                if comp.units_per_ml is not None:
                    units[comp.substance] = units.get(comp.substance, 0.0) + comp.units_per_ml * volume_ml
        return mg, units

    def ceilings(self) -> tuple[dict[str, float], dict[str, float]]:
        """Plain (no epinephrine) ceilings per substance for this patient, as the drug model
        computes them (drug.ceiling_for); when agents disagree the smallest wins."""
        weight_kg = self.case.patient.weight_kg
        mg: dict[str, float] = {}
        units: dict[str, float] = {}
        for agent_id in sorted({shot.agent_id for shot in self.injections}):
            agent = self.agent(agent_id)
            for comp in agent.components if agent else ():
                found = ceiling_for(comp, weight_kg)
                if found is not None:
                    book = units if found[1] == "units" else mg
                    book[comp.substance] = min(book.get(comp.substance, math.inf), found[0])
        return mg, units

    def allergy_for(self, agent_id: str) -> str | None:
        """The patient's allergy this agent triggers (by agent id or drug class), if any."""
        agent = self.agent(agent_id)
        allergy = allergy_match(self.case, agent) if agent else None
        return allergy.substance if allergy is not None else None
