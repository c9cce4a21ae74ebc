"""Killing savers with SIGKILL at different moments of a save, for the kill -9 tests."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time

from simulator import paths


def kill_savers(script: str, argv: list[str], kills: int, pause_s) -> None:
    """Run `script` (a forker: per line read it forks a saver, writes its pid and the saver's
    "ready", then "done" once the saver is reaped) and kill `kills` savers, the i-th after
    pause_s(i) seconds. No saver is left running, whatever fails."""
    forker = subprocess.Popen([sys.executable, "-c", script, *argv], cwd=paths.PROJECT_ROOT, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    saver = None
    try:
        for i in range(kills):
            forker.stdin.write("save\n")
            forker.stdin.flush()
            lines = {forker.stdout.readline().strip() for _ in range(2)}  # the saver's pid, and its "ready"
            assert "ready" in lines, lines
            saver = int((lines - {"ready"}).pop())
            time.sleep(pause_s(i))
            os.kill(saver, signal.SIGKILL)
            assert forker.stdout.readline().strip() == "done"
    finally:  # never leave a saver running, even when an assertion above failed
        if saver is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(saver, signal.SIGKILL)
        forker.kill()
        forker.wait()
