"""Where the shipped data lives: the case library, the agents catalogue and the assets.

The package is installed in editable mode from a checkout, so the data folders sit
beside the package rather than inside it.
"""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SCENARIOS_DIR = PROJECT_ROOT / "scenarios"
AGENTS_FILE = SCENARIOS_DIR / "agents.yaml"
EMERGENCY_DRUGS_FILE = SCENARIOS_DIR / "catalogues" / "emergency_drugs.yaml"  # a folder of its own: not a case
REPLAYS_DIR = SCENARIOS_DIR / "replays"
SCHEMA_FILE = SCENARIOS_DIR / "scenario.schema.json"
ASSETS_DIR = PROJECT_ROOT / "assets"
SOURCES_FILE = PROJECT_ROOT / "docs" / "sources.md"
