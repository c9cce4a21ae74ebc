"""Load assets/theme.json for pygame_gui, resolving its font paths against the assets folder."""

from __future__ import annotations

import json
from pathlib import Path

from simulator.paths import ASSETS_DIR

THEME_FILE = ASSETS_DIR / "theme.json"


def load_theme(path: Path = THEME_FILE) -> dict:
    """The theme as a dict pygame_gui accepts, with absolute font paths (the cwd may be anywhere)."""
    data = json.loads(path.read_text(encoding="utf-8"))

    def fix(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key.endswith("_path") and isinstance(value, str) and not Path(value).is_absolute():
                    node[key] = str(path.parent / value)
                else:
                    fix(value)

    fix(data)
    return data
