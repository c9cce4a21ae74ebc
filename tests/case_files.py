"""Write a test case the way an author keeps one: the modeline names the schema written beside it,
so `tpi-sim validate` (which follows the modeline) has nothing to say about the editor set-up."""

from __future__ import annotations

import shutil
from pathlib import Path

from simulator import paths
from simulator.scenario.loader import MODELINE


def write_case(path: Path, text: str) -> Path:
    """`text` at `path`, its first-line modeline (if any) pointed at ./scenario.schema.json, the schema beside it."""
    lines = text.splitlines(keepends=True)
    if lines and "yaml-language-server" in lines[0]:
        lines[0] = MODELINE + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    shutil.copy(paths.SCHEMA_FILE, path.parent / paths.SCHEMA_FILE.name)
    return path
