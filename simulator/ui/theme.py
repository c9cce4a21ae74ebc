"""Load assets/theme.json for pygame_gui, resolving its font paths against the assets folder."""

from __future__ import annotations

import json
from pathlib import Path

from simulator.paths import ASSETS_DIR

THEME_FILE = ASSETS_DIR / "theme.json"


def load_theme(path: Path = THEME_FILE) -> dict:
    """The theme as a dict pygame_gui accepts, with absolute font paths (the cwd may be anywhere).

    Numbers in "font" and "misc" blocks are passed as strings: pygame_gui 0.6 reads a font's
    "size" and "bold", and a dropdown its list's "list_item_height" and borders, only when they
    are strings and silently keeps its defaults otherwise (so "@small" buttons drew at 14 px
    while their labels were fitted at 13, and a dropdown sized its list for 20 px rows while
    the rows were 30 px, leaving two rows and a scrollbar).
    """
    data = json.loads(path.read_text(encoding="utf-8"))

    def fix(node, numbers_as_text=False):
        if isinstance(node, dict):
            for key, value in node.items():
                if key.endswith("_path") and isinstance(value, str) and not Path(value).is_absolute():
                    node[key] = str(path.parent / value)
                elif numbers_as_text and isinstance(value, int) and not isinstance(value, bool):
                    node[key] = str(value)
                else:
                    fix(value, key in ("font", "misc"))

    fix(data)
    return data
