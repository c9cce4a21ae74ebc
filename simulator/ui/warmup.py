"""Background work that keeps the window responsive: compiling the kernels, preparing a case's image.

Compiling the ultrasound kernels takes seconds (tens of seconds the first time, when numba's
disk cache is empty) and building a case's speckle and texture tables about a second. Done on
the UI thread, either froze the window. Here each runs in a daemon thread and the screens
show its progress: the picker a "preparing the ultrasound" bar (and "Start case" waits behind
it), the procedure screen a message in the ultrasound panel until the first image is ready.
numba releases the GIL in its compiled loops and compiles under its own lock, so the window
keeps drawing while they run.

Launch order (`tpi-sim play CASE`, measured by `tpi-sim bench --startup`): the warm-up starts
as soon as the case is loaded, the case's own probe first, and pauses after its imports while
the first image is made (prepare_image: the image loads the kernels it needs itself, its tables
come from the disk cache, core/ultrasound/table_cache.py); then the rest of the warm-up, and
then the next attempt's seed and tables (seed_reserve.py).
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


_IMAGES = threading.Condition()  # guards _images_running
_images_running = 0  # first images being made: the warm-up's later steps wait for them
_FIRST_IMAGE_DONE = threading.Event()  # the process made a first image


def _let_images_go_first(step: int, image_first: bool) -> None:
    """Before each warm-up step after the imports: wait while a first image is being made (it loads the
    kernels it needs itself; the rest of the warm-up would only compete with it for the two cores), and
    with `image_first` (the window opens on a case) keep the steps after the case's own probe for after
    the first image."""
    if step == 0:
        return
    if image_first and step >= 2:
        _FIRST_IMAGE_DONE.wait(30.0)
    with _IMAGES:
        _IMAGES.wait_for(lambda: _images_running == 0, timeout=30.0)


def warm_kernels(case, image_first: bool = False) -> BackgroundTask:
    """The process's kernel warm-up (started on the first call, with that case; later calls share it).

    It lets a first image go ahead of its later steps (`yields_to_images`); `image_first`: the window
    opens on this case, whose image the trainee waits for before any needle."""
    global _KERNELS
    with _LOCK:
        if _KERNELS is not None:
            return _KERNELS

        def work(progress):
            from simulator.core.ultrasound.warmup import warm_up

            warm_up(case, progress, lambda step: _let_images_go_first(step, image_first))

        _KERNELS = BackgroundTask("ultrasound-warm-up", work)
        _KERNELS.yields_to_images = True
    return _started(_KERNELS)


def kernels_task() -> BackgroundTask | None:
    """The warm-up if one was started."""
    return _KERNELS


def _wait_for(kernels: BackgroundTask, progress) -> None:
    while not kernels.wait(0.02):
        progress(0.8 * kernels.fraction, f"compiling: {kernels.what}")


def _first_image(session, progress) -> None:
    """The session's first image, ahead of the rest of the warm-up."""
    global _images_running
    with _IMAGES:
        _images_running += 1
    try:
        progress(0.5, "the first image")
        session.prepare_ultrasound()
    finally:
        _FIRST_IMAGE_DONE.set()
        with _IMAGES:
            _images_running -= 1
            _IMAGES.notify_all()


def prepare_image(session, kernels: BackgroundTask | None = None) -> BackgroundTask:
    """Build a session's ultrasound engine and its first image (speckle and texture tables) off the UI
    thread, then, with the disk caches on, the tables of the next attempt's seed (seed_reserve.py).

    With the trainer's own warm-up (`yields_to_images`) the image goes first, loading the kernels it
    needs; if any had to be compiled (numba's disk cache was empty: the first start) the image also
    waits for the whole warm-up, so that no kernel compiles on the UI thread later (a needle's kernels
    would take seconds); from the cache the rest load in well under a second, long before a needle can
    be in. Any other `kernels` task is waited for first.

    Until it is done the screen must not ask the session for frames (the engine is not shared).
    """
    def work(progress):
        if kernels is not None and not getattr(kernels, "yields_to_images", False):
            _wait_for(kernels, progress)
        _first_image(session, progress)
        if kernels is not None and not kernels.done:
            from simulator.core.ultrasound.warmup import kernels_compiled

            if kernels_compiled():
                _wait_for(kernels, progress)
        from simulator.ui import seed_reserve

        seed_reserve.prepare_next_after(session, kernels, _started)

    return _started(BackgroundTask("ultrasound-image", work))
