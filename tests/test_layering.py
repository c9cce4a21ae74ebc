"""The headless core must never pull in pygame (design rule: model code never imports pygame).

Every module of the scenario, core and records packages, and the commands that must work
without a display, are imported one after another in a fresh interpreter, so a stray
`import pygame` anywhere in them fails here, naming the module that brought it in. This is
the one place the rule is checked.
"""

import subprocess
import sys
from pathlib import Path

import simulator

PACKAGE = Path(simulator.__file__).resolve().parent
MODEL_PACKAGES = ("scenario", "core", "records")
# Commands that must work on a machine without a display stack loaded.
HEADLESS_COMMANDS = ["simulator.commands.validate", "simulator.commands.schema", "simulator.commands.replay",
                     "simulator.commands.inspect", "simulator.commands.new",
                     "simulator.commands.render"]


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


# Every .py file on disk, so a module in a folder without __init__.py (which a package walk
# would silently miss) is checked too.
HEADLESS = sorted(_module_name(p) for name in MODEL_PACKAGES for p in (PACKAGE / name).rglob("*.py"))
HEADLESS += ["simulator.files", "simulator.paths", *HEADLESS_COMMANDS]


def test_the_list_covers_every_model_module_the_program_loads():
    """Independent of how the list is built: every model module that the engine, the loader, the
    records and the headless commands actually load is in it."""
    code = (
        "import sys, importlib\n"
        f"for name in {HEADLESS_COMMANDS + ['simulator.core.session', 'simulator.core.ultrasound']!r}:\n"
        "    importlib.import_module(name)\n"
        f"print('\\n'.join(m for m in sys.modules if m.split('.')[:2] in {[['simulator', n] for n in MODEL_PACKAGES]!r}))\n"
    )
    loaded = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split())
    assert len(loaded) >= 40  # the engine really loaded its modules
    assert sorted(loaded - set(HEADLESS)) == []


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
