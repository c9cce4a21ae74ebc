"""Practice-mode teaching: the step checklist, the coach's messages and hints, the guided case.

Model code only (no pygame): every decision is made here from the Session's events and
state and tested headless; the trainer (ui/) only draws what these say. Never used in
assessment or exam mode.
"""

from simulator.core.coaching.advice import ADVICE, Coach, Message
from simulator.core.coaching.facts import Facts
from simulator.core.coaching.steps import STEP_IDS, STEPS, Step, first_open, hint_text, step

__all__ = ["ADVICE", "Coach", "Facts", "Message", "STEPS", "STEP_IDS", "Step", "first_open", "hint_text", "step"]
