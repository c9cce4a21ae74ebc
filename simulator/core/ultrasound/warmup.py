"""Compile (or load from numba's disk cache) every kernel the ultrasound engine can run.

The kernels compile lazily, on the first call with each kind of argument: the first frame
of a case, the first needle movement, the first injection, the first curvilinear frame, ...
each froze the trainer for a second or more. `warm_up` renders a few tiny frames of a case
(both probe kinds, every moving part) so that every kernel is ready before a trainee needs
it; the trainer runs it in a background thread at start. Frames are 64 x 64 pixels: kernels
are compiled per argument type, not per image size, so tiny frames compile the same code.
The case's own probe comes first: what its first image needs.
"""

from __future__ import annotations

import math
from collections.abc import Callable

SIZE_PX = (64, 64)


def steps(case) -> list[tuple[str, Callable[[], object]]]:
    """The warm-up as (what, call) steps, in order; each call renders one or two frames."""
    state: dict = {}

    def imports():
        from simulator.core.anatomy import AnatomyModel
        from simulator.core.ultrasound.engine import UltrasoundEngine

        state["anatomy"] = AnatomyModel(case)
        state["engine"] = UltrasoundEngine(state["anatomy"], seed=0, size_px=SIZE_PX)

    def frames(kind: str, doppler: bool, moving: bool, pneumothorax: bool = False):
        def render():
            from simulator.core.anatomy import AnatomyModel
            from simulator.core.geometry import NeedleGeometry, ProbePose
            from simulator.core.ultrasound.engine import UltrasoundEngine
            from simulator.core.ultrasound.types import Bolus, ScanSettings

            engine = state["engine"]
            if kind != engine.probe_kind:  # the other probe: the same case seen through it
                other = case.model_copy(update={"ultrasound": case.ultrasound.model_copy(update={"probe": kind})})
                engine = state[kind] = state.get(kind) or UltrasoundEngine(AnatomyModel(other), seed=0, size_px=SIZE_PX)
            pose = case.body_region.default_probe
            probe = ProbePose(pose.x_mm, pose.y_mm, pose.heading_deg)
            us = case.ultrasound
            settings = ScanSettings(depth_cm=us.depth_cm, gain_db=us.gain_db, freq_mhz=us.freq_mhz,
                                    focus_cm=us.focus_cm or 0.0, doppler=doppler)
            extra = {}
            if moving:
                tp = case.trigger_points[0]
                h = math.radians(probe.heading_deg)
                extra = dict(
                    needle=NeedleGeometry(tp.x_mm - 20 * math.cos(h), tp.y_mm - 20 * math.sin(h),
                                          math.degrees(math.atan2(tp.depth_mm, 20.0)), probe.heading_deg, 15.0),
                    boluses=[Bolus(tp.x_mm, tp.y_mm, tp.depth_mm, 0.5, "muscle")], twitch=0.5, time_s=0.1)
            engine.frame(probe, settings, pneumothorax=pneumothorax, **extra)
            # another gain re-displays the cached base; another pose re-synthesises it
            engine.frame(probe, ScanSettings(**{**settings.__dict__, "gain_db": settings.gain_db + 1.0}), **extra)
            engine.frame(ProbePose(probe.x_mm + 0.5, probe.y_mm, probe.heading_deg, 0.3), settings, time_s=1.0)

        return render

    def pulsation():
        # the pulse kernel runs only while an artery is in view at systole, which the case's own
        # frames may never show: pulse a made-up artery on an envelope laid out as the engine's
        import numpy as np

        from simulator.core.ultrasound import dynamics

        base = np.zeros(SIZE_PX[::-1], dtype=np.float32).T  # (H, W) view of a column-major array
        artery = ((slice(20, 26), slice(20, 26)), np.ones((6, 6), dtype=bool))
        dynamics.pulsate_arteries(np.copy(base), base, [artery], time_s=0.12, heart_hz=1.0)

    own = case.ultrasound.probe  # first: what the case's first image needs
    other = "curvilinear" if own == "linear" else "linear"
    return [
        ("loading the ultrasound engine", imports),
        (f"{own} probe", frames(own, False, False)),
        ("needle, injectate and twitch", frames(own, False, True)),
        ("arterial pulsation", pulsation),
        ("colour Doppler", frames(own, True, True)),
        ("pneumothorax", frames("linear", False, False, pneumothorax=True)),
        (f"{other} probe", frames(other, False, False)),
        (f"{other} needle and Doppler", frames(other, True, True)),
    ]


def warm_up(case, progress: Callable[[float, str], None] | None = None,
            before_step: Callable[[int], None] | None = None) -> None:
    """Run every step; progress(fraction done, what comes next) before each (1.0 at the end), and
    before_step(index) first (the trainer lets a case's first image go ahead of the later steps)."""
    todo = steps(case)
    for i, (what, call) in enumerate(todo):
        if before_step is not None:
            before_step(i)
        if progress is not None:
            progress(i / len(todo), what)
        call()
    if progress is not None:
        progress(1.0, "ready")


def kernels_compiled() -> int:
    """How many kernel signatures this process compiled (instead of loading them from numba's disk
    cache): 0 while every kernel came from the cache."""
    import sys

    from numba.core.registry import CPUDispatcher

    misses = 0
    for name, module in list(sys.modules.items()):
        if name.startswith("simulator.") and module is not None:
            for value in list(vars(module).values()):
                if isinstance(value, CPUDispatcher):
                    misses += sum(value.stats.cache_misses.values())
    return misses
