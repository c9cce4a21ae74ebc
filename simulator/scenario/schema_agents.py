"""The agents catalogue format (scenarios/agents.yaml): the products a case may name, their
classes, concentrations and dose ceilings."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from simulator.scenario.schema_fields import Additive, AgentClass, Probability, Strict


class DoseCeiling(Strict):
    mg_per_kg: float | None = Field(default=None, gt=0, description="Ceiling in mg/kg, plain.")
    max_mg: float | None = Field(default=None, gt=0, description="Absolute ceiling in mg, plain.")
    mg_per_kg_with_epinephrine: float | None = Field(default=None, gt=0, description="Ceiling in mg/kg with epinephrine.")
    max_mg_with_epinephrine: float | None = Field(default=None, gt=0, description="Absolute ceiling with epinephrine.")
    max_units: float | None = Field(
        default=None, gt=0, description="Ceiling in units per visit (botulinum toxin; units of this product only)."
    )
    max_units_per_muscle: float | None = Field(
        default=None, gt=0, description="Ceiling in units into any one muscle in a visit (botulinum toxin)."
    )


class Component(Strict):
    substance: str = Field(min_length=1, description="E.g. lidocaine, triamcinolone. Doses add up per substance.")
    agent_class: AgentClass = Field(alias="class", description="Drug class, used for allergy matching.")
    mg_per_ml: float | None = Field(default=None, ge=0, description="Concentration in mg per mL.")
    units_per_ml: float | None = Field(default=None, ge=0, description="Concentration in units per mL (toxin).")
    ceiling: DoseCeiling = Field(default_factory=DoseCeiling, description="Dose ceiling for this substance.")
    with_epinephrine: bool = Field(
        default=False,
        description="Given with epinephrine (adrenaline): the `_with_epinephrine` ceilings apply instead of the "
        "plain ones.",
    )


class Agent(Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$", description="Id cases refer to, e.g. lidocaine_1.")
    name: str = Field(min_length=1, description="Display name, e.g. 'Lidocaine 1% (10 mg/mL)'.")
    classes: list[AgentClass] = Field(min_length=1, description="Every class in the product.")
    components: list[Component] = Field(default_factory=list, description="Active substances; empty for dry needling.")
    product: str | None = Field(
        default=None,
        description="The product the units and limits belong to, e.g. 'abobotulinumtoxinA (Dysport)'. Units of one "
        "botulinum toxin product are not interchangeable with another's.",
    )
    additives: list[Additive] = Field(
        default_factory=list,
        description="Excipients an allergy can match: sulfite (antioxidant with epinephrine), paraben (preservative "
        "of multi-dose vials).",
    )
    contraindications: list[str] = Field(
        default_factory=list, description="Patient factors that rule this agent out; a case whose patient has one lists the agent as contraindicated."
    )
    injectate: bool = Field(default=True, description="False for dry needling: nothing is injected.")
    local_anaesthetic: bool = Field(default=False, description="True if it can cause systemic LA toxicity.")
    soreness_probability: Probability | None = Field(
        default=None, description="Chance of post-procedure soreness 2-8 h later (Hong 1994 [1], Ga 2007 [24])."
    )
    evidence: str = Field(min_length=1, description="Evidence grade or summary.")
    notes: str = Field(default="", description="Shown to the trainee when choosing.")
    sources: list[int] = Field(min_length=1, description="Entry numbers in docs/sources.md.")


class AgentCatalogue(Strict):
    schema_version: Literal[1] = Field(description="Version of this format; currently 1.")
    agents: list[Agent] = Field(min_length=1, description="The agents a case may name.")

    def get(self, agent_id: str) -> Agent | None:
        return next((agent for agent in self.agents if agent.id == agent_id), None)
