"""The guided first case: the procedure's steps one at a time over a simple shipped case.

Each step is shown with a short instruction and the control to use; it is checked against
the Session (the same `Step.done` the checklist uses) before the next one opens, so a step
cannot be skipped by reading ahead. Steps done early (consent before palpation) are passed
at once when their turn comes.

Progress is a small dict (`to_dict` / `from_dict`): the case, the seed and the actions so
far. Resuming replays those actions into a new Session, which is deterministic, so the
trainee returns to the very same patient at the very same step.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.core.actions import action_from_dict, action_to_dict
from simulator.core.coaching.facts import Facts
from simulator.core.coaching.steps import STEPS, Step

GUIDED_CASE_ID = "s1_upper_trapezius_thin"  # one active point, a clear image, one danger (the pleura) to respect
PROGRESS_VERSION = 1

# The guided case's own words for each step: short, in the order of the procedure.
INSTRUCTIONS: dict[str, str] = {
    "find": "Palpate: hold the left mouse button on the upper trapezius and press until the patient says it is "
            "their pain. Move and press again if not.",
    "mark": "Mark the spot you found: right-click on it (or press K while your finger is there).",
    "consent": "Consent: press F2 (or the button), tick each risk you discussed, then Enter.",
    "position": "Position the patient as the case asks (prone here), then press Position (F3).",
    "skin_prep": "Clean the skin: Skin prep (F4).",
    "needle": "Choose a needle long enough to reach the muscle (25G \u00d7 38 mm is chosen), then Take (F5).",
    "draw_up": "Draw up the drug: the preferred one is chosen; press Draw up (F7).",
    "scan": "Scan: Ctrl+click on your mark to put the probe there. The target must lie in the image plane.",
    "insert": "Insert the needle in plane (N): it enters beside the probe and runs along the image.",
    "advance": "Advance (W), 1 mm a press, watching the bright tip on the image until it reaches the spot.",
    "twitch": "Fast in-out (F) through the tender spot until the muscle twitches.",
    "aspirate": "Aspirate (Space): no blood means the tip is not in a vessel.",
    "inject": "Inject (I): a small volume where the twitch came from.",
    "remove": "Take the needle out (R).",
    "aftercare": "Aftercare: open the panel (F11) and give each item this case expects; Esc closes it.",
    "finish": "Finish: press End, then Enter. The debrief explains your score.",
}


@dataclass
class Tutorial:
    """Where the trainee is in the guided case; `update` moves on when the step's check holds."""

    case: object
    seed: int = 1
    index: int = 0
    steps: list[Step] = field(default_factory=lambda: list(STEPS))
    completed: bool = False

    @property
    def step(self) -> Step | None:
        return self.steps[self.index] if self.index < len(self.steps) else None

    @property
    def instruction(self) -> str:
        step = self.step
        return INSTRUCTIONS.get(step.id, step.how) if step is not None else "The guided case is complete."

    def update(self, facts: Facts, state) -> bool:
        """Move past every step whose check holds now; True when the step changed."""
        moved = False
        while self.step is not None and self.step.done(facts, state):
            self.index += 1
            moved = True
        if self.step is None:
            self.completed = True
        return moved

    # ------------------------------------------------------------ saving and resuming
    def to_dict(self, timed) -> dict:
        """JSON-ready progress: the case, the seed, the step and every action so far with its time."""
        return {"version": PROGRESS_VERSION, "case": self.case.id, "seed": int(self.seed),
                "step": self.step.id if self.step is not None else "done", "completed": self.completed,
                "actions": [[round(t, 6), action_to_dict(a)] for t, a in timed]}


def read_progress(data: dict) -> tuple[str, int, list, bool]:
    """(case id, seed, [(t, action)], completed) from saved progress; ValueError if it is not progress."""
    if not isinstance(data, dict) or data.get("version") != PROGRESS_VERSION:
        raise ValueError("not guided-case progress of this version")
    timed = [(float(t), action_from_dict(d)) for t, d in data.get("actions", [])]
    return str(data["case"]), int(data["seed"]), timed, bool(data.get("completed", False))
