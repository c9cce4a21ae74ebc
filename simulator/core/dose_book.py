"""The dose book: how much of each substance a patient has had, against its ceiling for them.

One book serves the live session (the syringe adds every injection as it happens) and scoring
(which replays the `Injected` events of a log into a fresh book), so the sum, the ceiling and
the moment a ceiling was crossed are computed in exactly one place. Doses add up per substance
across every point and every agent that contains it (Hong's protocol counts the whole visit).
The ceiling for this patient is min(mg/kg x weight, max mg) for plain products; toxin units
have an absolute per-visit ceiling. When two agents give the same substance with different
ceilings, the tightest one applies.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from simulator.scenario.schema import Agent, Component


def ceiling_for(component: Component, weight_kg: float) -> tuple[float, str] | None:
    """The ceiling for this patient (value, unit), or None when the catalogue sets none.

    Plain, or with epinephrine when the product carries it and the catalogue gives that ceiling.
    """
    c = component.ceiling
    if component.units_per_ml is not None:
        return (c.max_units, "units") if c.max_units is not None else None
    per_kg, top = c.mg_per_kg, c.max_mg
    if component.with_epinephrine and (c.mg_per_kg_with_epinephrine or c.max_mg_with_epinephrine):
        per_kg, top = c.mg_per_kg_with_epinephrine, c.max_mg_with_epinephrine
    limits = [v for v in (per_kg * weight_kg if per_kg else None, top) if v is not None]
    return (min(limits), "mg") if limits else None


def amount_of(component: Component, volume_ml: float) -> tuple[float, str] | None:
    """What `volume_ml` of this component delivers: (amount, "mg" | "units"), or None."""
    if component.units_per_ml is not None:
        return component.units_per_ml * volume_ml, "units"
    if component.mg_per_ml is not None:
        return component.mg_per_ml * volume_ml, "mg"
    return None


@dataclass(frozen=True)
class Crossing:
    """A substance's running total went over its ceiling for this patient (recorded once)."""

    substance: str
    total: float
    ceiling: float
    unit: str
    t_s: float


@dataclass(frozen=True)
class DoseUpdate:
    """What one injection added: the ceilings it crossed and its local anaesthetic content."""

    crossed: list[Crossing]
    la_mg: float  # local anaesthetic mg in this injection (all LA substances)
    la_ceiling_mg: float  # the tightest LA ceiling among them (for toxicity scaling)


@dataclass
class DoseBook:
    """Running totals per substance for one patient (mutable; add injections in time order)."""

    weight_kg: float
    totals: dict[str, float] = field(default_factory=dict)  # substance -> mg or units
    units: dict[str, str] = field(default_factory=dict)  # substance -> "mg" | "units"
    ceilings: dict[str, float] = field(default_factory=dict)  # substance -> tightest ceiling seen
    crossings: list[Crossing] = field(default_factory=list)
    muscle_units: dict[str, float] = field(default_factory=dict)  # "substance in muscle" -> units (toxin)

    def add(self, agent: Agent, volume_ml: float, t_s: float, muscle: str | None = None) -> DoseUpdate:
        crossed: list[Crossing] = []
        la_mg, la_ceiling = 0.0, math.inf
        volume_ml = max(0.0, volume_ml)
        for component in agent.components:
            amount = amount_of(component, volume_ml)
            if amount is None:
                continue
            value, unit = amount
            substance = component.substance
            self.totals[substance] = self.totals.get(substance, 0.0) + value
            self.units[substance] = unit
            ceiling = ceiling_for(component, self.weight_kg)
            if ceiling is not None:
                self.ceilings[substance] = min(self.ceilings.get(substance, math.inf), ceiling[0])
            if agent.local_anaesthetic and component.agent_class in ("amide", "ester") and unit == "mg":
                la_mg += value
                if ceiling is not None:
                    la_ceiling = min(la_ceiling, ceiling[0])
            limit = self.ceilings.get(substance)
            if limit is not None and self.totals[substance] > limit + 1e-9 and not self.over(substance):
                crossing = Crossing(substance, self.totals[substance], limit, unit, t_s)
                self.crossings.append(crossing)
                crossed.append(crossing)
        crossed += self._add_muscle_units(agent, volume_ml, muscle, t_s)
        return DoseUpdate(crossed, la_mg, la_ceiling)

    def _add_muscle_units(self, agent: Agent, volume_ml: float, muscle: str | None, t_s: float) -> list[Crossing]:
        """Units into one muscle this visit, against the product's per-muscle limit (when it sets one)."""
        crossed = []
        for component in agent.components:
            limit = component.ceiling.max_units_per_muscle
            if muscle is None or component.units_per_ml is None or limit is None:
                continue
            key = f"{component.substance} in {muscle}"
            total = self.muscle_units[key] = self.muscle_units.get(key, 0.0) + component.units_per_ml * volume_ml
            if total > limit + 1e-9 and not self.over(key):
                crossing = Crossing(key, total, limit, "units", t_s)
                self.crossings.append(crossing)
                crossed.append(crossing)
        return crossed

    def over(self, substance: str) -> bool:
        return any(c.substance == substance for c in self.crossings)

    def by_unit(self, unit: str) -> dict[str, float]:
        return {s: v for s, v in self.totals.items() if self.units.get(s) == unit}
