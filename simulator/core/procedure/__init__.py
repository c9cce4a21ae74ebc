"""The procedure's action handlers, one module per phase, sharing one World (world.py).

Each module maps action classes to functions `handler(world, action, t_s) -> events` that
either return the events the action caused or raise `Rejected` before changing anything.
`HANDLERS` joins them; the Session looks an action's class up here and keeps the clock.
"""

from __future__ import annotations

from simulator.core.procedure import care, examination, injection, needling, preparation, scanning
from simulator.core.procedure.world import World

HANDLERS = {**preparation.HANDLERS, **examination.HANDLERS, **scanning.HANDLERS, **needling.HANDLERS,
            **injection.HANDLERS, **care.HANDLERS}

__all__ = ["HANDLERS", "World"]
