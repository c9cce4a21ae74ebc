"""The choices of the Emergency and Aftercare panels: a label, a key and the actions each sends.

Pure data built from the case (the lipid emulsion bolus is worked out from the patient's
weight by the emergency catalogue), so tests can read what a click or a key would send.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from simulator.core import actions as A
from simulator.core.aftercare import AFTERCARE
from simulator.scenario.emergency import EmergencyCatalogue

OBSERVE_S = 300.0  # the panel's "observe" watches for 5 minutes


@dataclass(frozen=True)
class CareItem:
    key: int  # pygame key code inside the panel
    key_label: str
    label: str
    actions: tuple

    @property
    def text(self) -> str:
        return f"{self.label}  {self.key_label}"


def _dose_text(amount: float, unit: str) -> str:
    return f"{amount:.3g} {unit}"


def emergency_items(weight_kg: float, drugs: EmergencyCatalogue) -> list[CareItem]:
    K = pygame
    items = [
        (K.K_1, "1", "Stop the procedure", (A.Stop(),)),
        (K.K_2, "2", "Call for help", (A.CallHelp(),)),
        (K.K_3, "3", "Lie flat (supine)", (A.Reposition(posture="supine"),)),
        (K.K_4, "4", "Lie flat, legs raised", (A.Reposition(posture="legs_raised"),)),
        (K.K_5, "5", "Left lateral", (A.Reposition(posture="left_lateral"),)),
        (K.K_6, "6", "Oxygen", (A.GiveOxygen(),)),
        (K.K_7, "7", "Check vital signs", (A.CheckVitals(),)),
    ]
    drug_keys = {"adrenaline_im": (K.K_8, "8"), "midazolam_iv": (K.K_9, "9"), "lipid_emulsion_20": (K.K_0, "0"),
                 "lipid_infusion_20": (K.K_l, "L"), "atropine_iv": (K.K_t, "T")}
    for drug in drugs.drugs:
        if drug.id not in drug_keys:
            continue
        dose = round(drug.right_dose(weight_kg), 1)
        words = {"adrenaline_im": "Adrenaline", "midazolam_iv": "Midazolam", "lipid_emulsion_20": "Lipid 20% bolus",
                 "lipid_infusion_20": "Lipid 20% infusion", "atropine_iv": "Atropine"}[drug.id]
        items.append((*drug_keys[drug.id], f"{words} {_dose_text(dose, drug.unit)} {drug.route}",
                      (A.GiveDrug(drug_id=drug.id, amount=dose),)))
    items += [
        (K.K_o, "O", "Observe 5 min", (A.Observe(duration_s=OBSERVE_S),)),
        (K.K_u, "U", "Lung ultrasound", (A.Arrange(what="lung_ultrasound"),)),
        (K.K_x, "X", "Chest X-ray", (A.Arrange(what="chest_xray"),)),
        (K.K_y, "Y", "Transfer", (A.Arrange(what="transfer"),)),
        (K.K_s, "S", "Sit up (seated)", (A.Reposition(posture="seated"),)),
    ]
    return [CareItem(*item) for item in items]


AFTERCARE_KEYS = "1234567890Q"


def aftercare_items() -> list[CareItem]:
    out = []
    for key_label, (item, (label, _meaning)) in zip(AFTERCARE_KEYS, AFTERCARE.items()):
        key = pygame.key.key_code(key_label.lower())
        out.append(CareItem(key, key_label, label, (A.Aftercare(item=item),)))
    return out
