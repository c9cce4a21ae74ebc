"""The procedure as a list of steps: the live checklist and the guided case both walk it.

Each step says what to do (title), how (the control), and, as the last hint, the answer for
this case and this moment (where the tender spot is from the finger, which way to slide the
probe). `done` reads only `Facts` and the Session's state, so a step is checked the same
way in a headless test as in the window. `command` names the button (the same command names
the keys use) that the guided case highlights, or `area` a panel of the screen.

Hints grade from a nudge to the answer: level 0 the title, 1 adds how, 2 gives the answer.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from simulator.core.aftercare import AFTERCARE, expected_aftercare
from simulator.core.coaching.facts import Facts
from simulator.core.geometry import PROBE_FOOTPRINT_MM, ProbePose

ENTRY_BEYOND_PROBE_MM = 5.0  # the in-plane entry the trainer plans: this far beyond the probe's end
PLAN_ANGLE_DEG = 30.0


@dataclass(frozen=True)
class Step:
    id: str
    title: str  # the checklist line and the nudge
    how: str  # the control to use
    done: Callable[[Facts, object], bool]
    answer: Callable[[Facts, object], str]
    command: str | None = None  # the button to highlight (a command name)
    area: str | None = None  # or a panel: "palpation" | "ultrasound" | "controls"


def arrows_for(dx_mm: float, dy_mm: float) -> str:
    """Arrow-key presses that slide the probe by about (dx, dy) mm (1 mm a press; Up is towards y = 0)."""
    parts = []
    for amount, neg, pos in ((dx_mm, "Left", "Right"), (dy_mm, "Up", "Down")):
        n = round(abs(amount))
        if n:
            parts.append(f"{pos if amount > 0 else neg} arrow \u00d7{n}")
    return ", ".join(parts) or "no slide needed"


def direction_words(dx_mm: float, dy_mm: float) -> str:
    """'12 mm right and 4 mm up' on the drawing (y grows downwards)."""
    parts = []
    if round(abs(dx_mm)):
        parts.append(f"{abs(dx_mm):.0f} mm {'right' if dx_mm > 0 else 'left'}")
    if round(abs(dy_mm)):
        parts.append(f"{abs(dy_mm):.0f} mm {'down' if dy_mm > 0 else 'up'}")
    return " and ".join(parts) or "right here"


def slide_into_plane(probe: ProbePose, x_mm: float, y_mm: float, depth_mm: float) -> tuple[float, float]:
    """The world (dx, dy) that brings a point into the image plane: its elevation, across the probe."""
    _, elevation, _ = probe.to_plane(x_mm, y_mm, depth_mm)
    ax, ay = probe.axis
    e = float(elevation)
    return -e * ay, e * ax


def bring_into_view(probe: ProbePose, x_mm: float, y_mm: float, depth_mm: float,
                    image_width_mm: float) -> tuple[float, float]:
    """The world (dx, dy) slide that puts a point in the image: onto the plane, and inside its edges."""
    dx, dy = slide_into_plane(probe, x_mm, y_mm, depth_mm)
    lateral, _, _ = probe.to_plane(x_mm, y_mm, depth_mm)
    room = image_width_mm / 2 - 4.0
    beyond = float(lateral) - max(-room, min(room, float(lateral)))
    ax, ay = probe.axis
    return dx + beyond * ax, dy + beyond * ay


def _find_answer(f: Facts, state) -> str:
    tp = f.target
    feel = state.palpation
    if feel is None:
        return (f"The tender spot is on the {tp.muscle.replace('_', ' ')}, about {tp.x_mm:.0f} mm from the left "
                f"and {tp.y_mm:.0f} mm from the top of the drawing: press there and hold")
    return f"From your last press the tender spot is {direction_words(tp.x_mm - feel.x_mm, tp.y_mm - feel.y_mm)}: press there and hold"


def _mark_answer(f: Facts, state) -> str:
    return "Right-click on the spot where the patient said 'that's my pain' (or press K while your finger is on it)"


def _needle_answer(f: Facts, state) -> str:
    tp = f.target
    run = PROBE_FOOTPRINT_MM.get(f.case.ultrasound.probe, 38.0) / 2 + ENTRY_BEYOND_PROBE_MM
    need = math.hypot(run, tp.depth_mm) + 5
    return (f"The target is {tp.depth_mm:.0f} mm deep and the needle enters {run:.0f} mm beside it: take one longer "
            f"than {need:.0f} mm (25G \u00d7 38 mm reaches most superficial points), then Take (F5)")


def _probe_answer(f: Facts, state) -> str:
    tp = f.target
    if not state.probe_on_skin:
        return "Ctrl+click on your mark: the probe goes there, its long axis along the heading shown"
    dx, dy = slide_into_plane(state.probe, tp.x_mm, tp.y_mm, tp.depth_mm)
    lateral, _, _ = state.probe.to_plane(tp.x_mm, tp.y_mm, tp.depth_mm)
    along = "" if abs(float(lateral)) < 8 else f"; it sits {abs(float(lateral)):.0f} mm from the image centre"
    return f"Slide the probe: {arrows_for(dx, dy)}{along}. Or Ctrl+click right on your mark"


def _advance_answer(f: Facts, state) -> str:
    gap = f.tip_to_target_mm(state)
    if gap is None:
        return "Insert first (N)"
    return f"The tip is {gap:.0f} mm from the tender spot: about {max(1, round(gap - 3))} presses of W, watching the tip"


def _twitch_answer(f: Facts, state) -> str:
    if f.tip_in_locus(state):
        return "The tip is already in the locus: withdraw 3-5 mm (S three times), then fast in-out (F)"
    return "Fast in-out (F) pushes 4 mm in and straight back: aim it through the most tender spot"


def _aftercare_answer(f: Facts, state) -> str:
    left = [AFTERCARE[item][0] for item in expected_aftercare(f.case) if item not in f.aftercare]
    return "In Aftercare (F11) give: " + "; ".join(left) if left else "Aftercare is complete"


def _consent_done(f: Facts, s) -> bool:
    return s.checklist.consent


def _aftercare_done(f: Facts, s) -> bool:
    return all(item in f.aftercare for item in expected_aftercare(f.case))


STEPS: list[Step] = [
    Step("find", "Find the tender spot", "Hold the left button on the drawing and press along the muscle",
         lambda f, s: f.tender_found, _find_answer, area="palpation"),
    Step("mark", "Mark it on the skin", "Right-click on the spot, or K with the finger on it",
         lambda f, s: bool(s.marks), _mark_answer, area="palpation"),
    Step("consent", "Consent the patient", "Consent (F2): tick every topic that applies, then Enter",
         _consent_done, lambda f, s: "Press F2, tick the topics with their letters A-L, press Enter",
         command="consent"),
    Step("position", "Position the patient", "Choose the position in the list, then Position (F3)",
         lambda f, s: s.checklist.position_recommended,
         lambda f, s: f"This patient lies {f.case.patient.position.replace('_', ' ')}: choose it, then F3",
         command="position"),
    Step("skin_prep", "Prepare the skin", "Skin prep (F4)", lambda f, s: s.checklist.skin_prep,
         lambda f, s: "Press F4", command="skin_prep"),
    Step("needle", "Choose a needle", "Pick a needle in the list, then Take (F5)", lambda f, s: s.checklist.needle,
         _needle_answer, command="choose_needle"),
    Step("draw_up", "Draw up the drug", "Pick the drug and the volume, then Draw up (F7)",
         lambda f, s: s.agent_id is not None,
         lambda f, s: "The preferred drug is chosen for you in practice: press F7", command="select_agent"),
    Step("scan", "Put the probe over the spot", "Ctrl+click on the mark; the arrows slide the probe, Q/E rotate it",
         lambda f, s: f.target_in_view(s), _probe_answer, area="ultrasound"),
    Step("insert", "Insert the needle in plane", "Insert (N) at the planned entry beside the probe",
         lambda f, s: f.inserted, lambda f, s: "Press N: the needle enters along the probe's axis, in the image plane",
         command="insert"),
    Step("advance", "Advance to the spot, watching the tip", "Advance (W) 1 mm at a time; keep the tip on the image",
         lambda f, s: f.twitch or f.near_target(s), _advance_answer, command="advance"),
    Step("twitch", "Draw a local twitch", "Fast in-out (F) through the tender spot", lambda f, s: f.twitch,
         _twitch_answer, command="fast_in_out"),
    Step("aspirate", "Aspirate", "Aspirate (Space) before every injection",
         lambda f, s: f.aspirated_here or f.injected, lambda f, s: "Press Space: no blood means the tip is not in a vessel",
         command="aspirate"),
    Step("inject", "Inject", "Inject (I) a small volume", lambda f, s: f.injected,
         lambda f, s: "Press I: 0.5 mL at a time is the default step", command="inject"),
    Step("remove", "Take the needle out", "Remove (R)", lambda f, s: f.injected and s.needle is None,
         lambda f, s: "Press R", command="remove_needle"),
    Step("aftercare", "Give the aftercare", "Aftercare (F11): each item has a key", _aftercare_done,
         _aftercare_answer, command="aftercare"),
    Step("finish", "Finish", "Finish (End), then Enter to confirm", lambda f, s: s.finished,
         lambda f, s: "Press End, then Enter", command="finish"),
]
STEP_IDS = [step.id for step in STEPS]


def step(step_id: str) -> Step:
    return STEPS[STEP_IDS.index(step_id)]


def hint_text(step_: Step, level: int, facts: Facts, state) -> str:
    """The hint for a step at a level: 0 the nudge, 1 with the control, 2 the answer."""
    if level <= 0:
        return step_.title
    if level == 1:
        return f"{step_.title}: {step_.how}"
    return step_.answer(facts, state)


def first_open(facts: Facts, state) -> Step | None:
    """The first step not yet done: the checklist's 'what next'."""
    return next((s for s in STEPS if not s.done(facts, state)), None)
