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
