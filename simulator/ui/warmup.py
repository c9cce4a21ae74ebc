"""Background work that keeps the window responsive: compiling the kernels, preparing a case's image.

Compiling the ultrasound kernels takes seconds (tens of seconds the first time, when numba's
disk cache is empty) and building a case's speckle and texture tables about a second. Done on
the UI thread, either froze the window. Here each runs in a daemon thread and the screens
show its progress: the picker a "preparing the ultrasound" bar (and "Start case" waits behind
it), the procedure screen a message in the ultrasound panel until the first image is ready.
numba releases the GIL in its compiled loops and compiles under its own lock, so the window
keeps drawing while they run.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable


class BackgroundTask:
    """Run `work(progress)` in a daemon thread; progress(fraction, what) reports how far it got."""

    def __init__(self, name: str, work: Callable[[Callable[[float, str], None]], object]):
        self.name = name
        self.fraction = 0.0
        self.what = "starting"
        self.error: str | None = None
        self.started_s = time.perf_counter()
        self.elapsed_s: float | None = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(work,), name=name, daemon=True)
        self._thread.start()

    def _progress(self, fraction: float, what: str) -> None:
        self.fraction, self.what = min(max(float(fraction), 0.0), 1.0), what

    def _run(self, work) -> None:
        try:
            work(self._progress)
            self._progress(1.0, "ready")
        except Exception:  # noqa: BLE001 - shown on screen; the frame code will raise it again in the open
            self.error = traceback.format_exc(limit=3)
        finally:
            self.elapsed_s = time.perf_counter() - self.started_s
            self._done.set()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout_s: float | None = None) -> bool:
        """Block until done (tests and scripts); True when it finished in time."""
        return self._done.wait(timeout_s)


_KERNELS: BackgroundTask | None = None
_LOCK = threading.Lock()


def warm_kernels(case) -> BackgroundTask:
    """The process's kernel warm-up (started on the first call, with that case; later calls share it)."""
    global _KERNELS
    with _LOCK:
        if _KERNELS is None:
            def work(progress):
                from simulator.core.ultrasound.warmup import warm_up

                warm_up(case, progress)

            _KERNELS = BackgroundTask("ultrasound-warm-up", work)
        return _KERNELS


def kernels_task() -> BackgroundTask | None:
    """The warm-up if one was started."""
    return _KERNELS


def prepare_image(session, kernels: BackgroundTask | None = None) -> BackgroundTask:
    """Build a session's ultrasound engine and its first image (speckle and texture tables) off the UI
    thread, after the kernel warm-up `kernels` (so no kernel is left to compile on the UI thread later).

    Until it is done the screen must not ask the session for frames (the engine is not shared).
    """
    def work(progress):
        while kernels is not None and not kernels.wait(0.05):
            progress(0.8 * kernels.fraction, f"compiling: {kernels.what}")
        progress(0.8, "speckle and texture tables")
        session.prepare_ultrasound()

    return BackgroundTask("ultrasound-image", work)
