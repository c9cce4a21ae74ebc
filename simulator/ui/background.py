"""A piece of work in a daemon thread whose progress a screen can show (ui/warmup.py, ui/seed_reserve.py)."""

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
