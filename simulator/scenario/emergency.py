"""The emergency drugs catalogue (scenarios/emergency_drugs.yaml): what can be given, at what dose.

A drug's right dose for a patient is either its fixed `dose` or `dose_per_kg` x weight capped
at `dose_max`; a dose within DOSE_TOLERANCE of that counts as right (the trainee rounds to
what a syringe measures). `treats` lists the complications the drug is indicated for, as
`kind` or `kind:stage`; the physiology and the scoring read the same list.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from simulator import paths
from simulator.scenario.schema import Strict

DOSE_TOLERANCE = 0.2  # authoring choice: within 20% of the calculated dose counts as right


class EmergencyDrug(Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$", description="Id used by the give_drug action.")
    name: str = Field(min_length=1, description="As the emergency panel shows it.")
    route: Literal["IM", "IV"] = Field(description="How it is given.")
    unit: Literal["mg", "mL"] = Field(description="Unit of `amount` in give_drug.")
    dose: float | None = Field(default=None, gt=0, description="Fixed adult dose.")
    dose_per_kg: float | None = Field(default=None, gt=0, description="Dose per kg of body weight.")
    dose_max: float | None = Field(default=None, gt=0, description="Cap on a weight-based dose.")
    total_max: float | None = Field(default=None, gt=0, description="Most that may be given in all.")
    total_max_per_kg: float | None = Field(default=None, gt=0, description="Most per kg that may be given in all.")
    treats: list[str] = Field(min_length=1, description="Complications it is indicated for: kind or kind:stage.")
    source: str = Field(min_length=1, description="Where the dose comes from.")

    @model_validator(mode="after")
    def _one_dose(self) -> "EmergencyDrug":
        if (self.dose is None) == (self.dose_per_kg is None):
            raise ValueError(f"{self.id}: give exactly one of dose or dose_per_kg")
        return self

    def right_dose(self, weight_kg: float) -> float:
        """The dose for this patient, in `unit`."""
        if self.dose is not None:
            return self.dose
        dose = self.dose_per_kg * weight_kg
        return min(dose, self.dose_max) if self.dose_max is not None else dose

    def dose_is_right(self, amount: float, weight_kg: float) -> bool:
        right = self.right_dose(weight_kg)
        return abs(amount - right) <= DOSE_TOLERANCE * right + 1e-9

    def total_limit(self, weight_kg: float) -> float | None:
        limits = [v for v in (self.total_max, self.total_max_per_kg * weight_kg if self.total_max_per_kg else None)
                  if v is not None]
        return min(limits) if limits else None

    def indicated_for(self, kind: str, stage: str) -> bool:
        return kind in self.treats or f"{kind}:{stage}" in self.treats


class EmergencyCatalogue(Strict):
    schema_version: Literal[1] = Field(description="Version of this format; currently 1.")
    drugs: list[EmergencyDrug] = Field(min_length=1, description="The emergency drugs.")

    def get(self, drug_id: str) -> EmergencyDrug | None:
        return next((d for d in self.drugs if d.id == drug_id), None)


_CACHE: dict[Path, EmergencyCatalogue] = {}


def load_emergency_drugs(path: Path | str = paths.EMERGENCY_DRUGS_FILE) -> EmergencyCatalogue:
    """Load and check the catalogue (cached per path); CaseError lists every problem at its line."""
    from simulator.scenario.loader import _finish, _parse_and_validate

    path = Path(path).resolve()
    if path not in _CACHE:
        catalogue, _positions, diagnostics = _parse_and_validate(path, EmergencyCatalogue, need_modeline=False)
        _CACHE[path] = _finish(catalogue, diagnostics)
    return _CACHE[path]
