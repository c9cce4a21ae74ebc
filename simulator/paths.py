"""Where the shipped data lives: the case library, the agents catalogue and the assets.

In a checkout (and an editable install) the data folders sit beside the package, where
authors edit them. A regular install (a wheel) carries copies inside the package, made by
the build step in setup.py; those are used when present.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent  # the checkout (tests, tools, docs); not present in a wheel install


def _data_folder(name: str) -> Path:
    installed = PACKAGE_DIR / name
    return installed if installed.is_dir() else PROJECT_ROOT / name


SCENARIOS_DIR = _data_folder("scenarios")
AGENTS_FILE = SCENARIOS_DIR / "agents.yaml"
EMERGENCY_DRUGS_FILE = SCENARIOS_DIR / "catalogues" / "emergency_drugs.yaml"  # a folder of its own: not a case
REPLAYS_DIR = SCENARIOS_DIR / "replays"
SCHEMA_FILE = SCENARIOS_DIR / "scenario.schema.json"
ASSETS_DIR = _data_folder("assets")
SOURCES_FILE = _data_folder("docs") / "sources.md"  # the debrief shows the references it cites
