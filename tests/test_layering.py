"""The headless core must never pull in pygame (design rule: model code never imports pygame)."""

import subprocess
import sys

import pytest


@pytest.mark.parametrize("module", ["simulator.scenario", "simulator.core.geometry"])
def test_core_does_not_import_pygame(module):
    code = f"import sys, {module}; print('pygame' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
