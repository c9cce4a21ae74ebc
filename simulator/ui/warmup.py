"""Background work that keeps the window responsive: compiling the kernels, preparing a case's image.

Compiling the ultrasound kernels takes seconds (tens of seconds the first time, when numba's
disk cache is empty) and building a case's speckle and texture tables about a second. Done on
the UI thread, either froze the window. Here each runs in a daemon thread and the screens
show its progress: the picker a "preparing the ultrasound" bar (and "Start case" waits behind
it), the procedure screen a message in the ultrasound panel until the first image is ready.
numba releases the GIL in its compiled loops and compiles under its own lock, so the window
keeps drawing while they run.

Launch order (`tpi-sim play CASE`, measured by `tpi-sim bench --startup`): the warm-up starts
as soon as the case is loaded, with the kernels of the case's own probe first; the first image
is made once those are ready if they came from numba's disk cache (the rest load behind it in
well under a second), else after the whole warm-up; its tables come from the disk cache
(core/ultrasound/table_cache.py), and then the next attempt's seed and tables are prepared
(seed_reserve.py). Nothing else competes with the first image for the two threads.
"""

from __future__ import annotations

import threading

from simulator.ui.background import BackgroundTask

_KERNELS: BackgroundTask | None = None
_LOCK = threading.Lock()
_TASKS: list[BackgroundTask] = []  # every task started here (busy() asks whether one still runs)


def _started(task: BackgroundTask) -> BackgroundTask:
    with _LOCK:
        _TASKS[:] = [t for t in _TASKS if not t.done] + [task]
    return task


def busy() -> bool:
    """Whether any warm-up, image or next-seed task is still running (the start-up benchmark waits)."""
    with _LOCK:
        return any(not task.done for task in _TASKS)


def use_disk_caches() -> None:
    """The trainer keeps the ultrasound tables in the user cache folder (core/ultrasound/table_cache.py)
    and chooses each attempt's seed a launch ahead (seed_reserve.py), so they are ready at start."""
    from simulator.core.ultrasound import table_cache

    if table_cache.current_store() is None:
        table_cache.use_disk_cache()


def warm_kernels(case) -> BackgroundTask:
    """The process's kernel warm-up (started on the first call, with that case; later calls share it).

    Its `first_frame` event is set once the kernels of the case's first image are ready."""
    global _KERNELS
    with _LOCK:
        if _KERNELS is not None:
            return _KERNELS
        first_frame = threading.Event()

        def work(progress):
            from simulator.core.ultrasound.warmup import warm_up

            warm_up(case, progress, first_frame.set)

        _KERNELS = BackgroundTask("ultrasound-warm-up", work)
        _KERNELS.first_frame = first_frame
    return _started(_KERNELS)


def kernels_task() -> BackgroundTask | None:
    """The warm-up if one was started."""
    return _KERNELS


def _wait_for_kernels(kernels: BackgroundTask | None, progress) -> None:
    """Until the first image can be made without compiling on the UI thread later: once its own kernels
    are ready when they all came from numba's disk cache (the rest load in well under a second, long
    before a needle can be in), else (compiling, on the first start) until the whole warm-up is done."""
    if kernels is None:
        return
    first_frame = getattr(kernels, "first_frame", None)
    while not kernels.wait(0.02):
        if first_frame is not None and first_frame.is_set():
            from simulator.core.ultrasound.warmup import kernels_compiled

            if kernels_compiled() == 0:
                return
            first_frame = None  # compiling: wait for all of it
        progress(0.8 * kernels.fraction, f"compiling: {kernels.what}")


def prepare_image(session, kernels: BackgroundTask | None = None) -> BackgroundTask:
    """Build a session's ultrasound engine and its first image (speckle and texture tables) off the UI
    thread, once the kernel warm-up `kernels` allows (_wait_for_kernels); then, with the disk caches on,
    the tables of the next attempt's seed (seed_reserve.py).

    Until it is done the screen must not ask the session for frames (the engine is not shared).
    """
    def work(progress):
        _wait_for_kernels(kernels, progress)
        progress(0.8, "speckle and texture tables")
        session.prepare_ultrasound()
        from simulator.ui import seed_reserve

        seed_reserve.prepare_next_after(session, kernels, _started)

    return _started(BackgroundTask("ultrasound-image", work))
