"""The headless core must never pull in pygame (design rule: model code never imports pygame).

Every module of the scenario, core and records packages is imported in a fresh interpreter,
so a stray `import pygame` anywhere in them fails here.
"""

import pkgutil
import subprocess
import sys

import simulator.core
import simulator.records
import simulator.scenario

HEADLESS = sorted(
    info.name
    for package in (simulator.scenario, simulator.core, simulator.records)
    for info in pkgutil.walk_packages(package.__path__, prefix=package.__name__ + ".")
)
# Commands that must work on a machine without a display stack loaded.
HEADLESS += ["simulator.commands.validate", "simulator.commands.schema", "simulator.commands.replay"]


def test_the_list_covers_the_core():
    assert "simulator.core.session" in HEADLESS and "simulator.core.ultrasound.engine" in HEADLESS


def test_headless_modules_do_not_import_pygame():
    code = (
        "import sys, importlib\n"
        f"for name in {HEADLESS!r}:\n"
        "    importlib.import_module(name)\n"
        "    if 'pygame' in sys.modules:\n"
        "        print(name); break\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{out.stdout.strip()} imports pygame"
