"""Test-wide settings: headless pygame, and reproducible property tests in CI.

Locally hypothesis explores new random examples on every run (that is how it finds bugs);
in CI (`CI` set) it runs a fixed, derandomised set so a landing never depends on luck.
"""

import os

from hypothesis import settings

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

# The real-window tests (tests/ui/test_real_window*.py) drive the app under a virtual X server.
REAL_WINDOW_TOOLS = {"Xvfb": "xvfb", "xdotool": "xdotool", "import": "imagemagick"}


def pytest_collection_modifyitems(session, config, items):
    """On a machine without the real-window tools, stop before running anything and say in one
    line what to install, instead of one failure after a long run (the README's test command)."""
    import shutil

    import pytest

    if not any(item.path.name.startswith("test_real_window") for item in items):
        return
    missing = [package for tool, package in REAL_WINDOW_TOOLS.items() if shutil.which(tool) is None]
    if missing:
        pytest.exit(
            f"the tests need {', '.join(missing)} (Debian packages) for the real-window test; install them first: "
            f"sudo apt-get install -y {' '.join(REAL_WINDOW_TOOLS.values())}",
            returncode=4,
        )
