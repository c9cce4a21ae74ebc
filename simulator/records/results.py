"""Result files: the scored attempt as canonical JSON (sorted keys), written atomically."""

from __future__ import annotations

import json
from pathlib import Path

from simulator.records.atomic import write_text_atomic


def result_to_json(result: dict) -> str:
    """Canonical form: identical results give byte-identical files."""
    return json.dumps(result, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def write_result(path: Path | str, result: dict) -> Path:
    return write_text_atomic(path, result_to_json(result))


def read_result(path: Path | str) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))
