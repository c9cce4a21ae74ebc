"""The patient's body during a session: vital signs, complications with stages, and the care given.

`Physiology` (engine.py) is what the Session talks to; each complication's course lives in a
module of its own (vasovagal, last, anaphylaxis, pneumothorax). Model code: no pygame.
"""

from simulator.core.physiology.engine import ARRANGEMENTS, POSTURES, Physiology
from simulator.core.physiology.vitals import CONSCIOUSNESS, Vitals

__all__ = ["ARRANGEMENTS", "CONSCIOUSNESS", "POSTURES", "Physiology", "Vitals"]
