"""Load assets/theme.json for pygame_gui, resolving its font paths against the assets folder."""

from __future__ import annotations

import json
from pathlib import Path

from simulator.paths import ASSETS_DIR

THEME_FILE = ASSETS_DIR / "theme.json"


def load_theme(path: Path = THEME_FILE) -> dict:
    """The theme as a dict pygame_gui accepts, with absolute font paths (the cwd may be anywhere).

    Font sizes and the bold flag are passed as strings: pygame_gui 0.6 reads a font block's
    "size" and "bold" only when they are strings and silently keeps the default otherwise
    (so "@small" buttons drew at 14 px while their labels were fitted at 13).
    """
    data = json.loads(path.read_text(encoding="utf-8"))

    def fix(node, in_font=False):
        if isinstance(node, dict):
            for key, value in node.items():
                if key.endswith("_path") and isinstance(value, str) and not Path(value).is_absolute():
                    node[key] = str(path.parent / value)
                elif in_font and key in ("size", "bold", "italic") and isinstance(value, int):
                    node[key] = str(value)
                else:
                    fix(value, key == "font")

    fix(data)
    return data
