"""`tpi-sim validate`'s check that a case's schema modeline names a schema that exists and is current.

The modeline (`# yaml-language-server: $schema=PATH`) is how the editor checks a case while
the author types. A case copied to another folder keeps a relative PATH that now leads
nowhere, and a schema copied once goes stale when the format changes; either way the editor
silently stops checking, or checks against old rules. The loader only sees that a modeline
is there; `validate` follows it and says how to repair it. Web addresses are not fetched.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

from simulator.files import FileProblem, decode_utf8, read_regular_bytes

_MODELINE = re.compile(r"^#\s+yaml-language-server\s*:.*?\$schema=(\S+)")
MAX_SCHEMA_BYTES = 8 * 1024 * 1024


@functools.lru_cache(maxsize=2)
def _built_schema(exam: bool = False) -> dict:
    from simulator.commands.schema import case_json_schema, exam_json_schema

    return json.loads(json.dumps(exam_json_schema() if exam else case_json_schema()))


def _current_schema(exam: bool = False) -> dict | None:
    """The schema `tpi-sim schema` writes now; None while the shipped catalogue, whose agent ids
    it lists, is broken (validate reports the catalogue's own problems; a failure is not cached)."""
    from simulator.scenario.loader import CaseError

    try:
        return _built_schema(exam)
    except CaseError:
        return None


def _modeline(text: str) -> tuple[int, int, str] | None:
    """(line, column, target) of the modeline among the leading comment lines, or None."""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        match = _MODELINE.match(stripped)
        if match:
            return number, line.index(match.group(1)) + 1, match.group(1)
        if stripped and not stripped.startswith("#"):
            return None
    return None


def _resolve(case_path: Path, target: str) -> Path | None:
    """The file the editor would read, or None for a web address (not checked)."""
    parsed = urlparse(target)
    if parsed.scheme in ("http", "https"):
        return None
    if parsed.scheme == "file":
        return Path(unquote(parsed.path))
    path = Path(target)
    return path if path.is_absolute() else case_path.parent / path


def _fix(case_path: Path, target: str, resolved: Path, exam: bool = False) -> str:
    command = "tpi-sim schema --exam" if exam else "tpi-sim schema"
    name = "exam.schema.json" if exam else "scenario.schema.json"
    beside = case_path.parent / name
    if target == f"./{name}" or resolved.parent.is_dir():
        return f"fix: {command} --out {resolved}"
    return (f"fix: {command} --out {beside}, and make the modeline "
            f"`# yaml-language-server: $schema=./{name}`")


def schema_problem(case_path: Path, text: str, exam: bool = False) -> str | None:
    """`path:line:col: message` when the modeline's schema is missing, unreadable or out of date.
    `exam`: the file is an exam, whose modeline names the exam schema."""
    found = _modeline(text)
    if found is None:
        return None  # the loader reports a missing modeline
    line, col, target = found
    resolved = _resolve(case_path, target)
    if resolved is None:
        return None
    where = f"{case_path}:{line}:{col}: "
    try:
        schema = json.loads(decode_utf8(read_regular_bytes(resolved, MAX_SCHEMA_BYTES, "schema files")))
    except FileProblem as problem:
        if problem.message == "no such file":
            return (f"{where}the schema modeline names {target}, which does not exist ({resolved}), so editors "
                    f"check nothing while you type; {_fix(case_path, target, resolved, exam)}")
        return f"{where}the schema modeline names {target} ({resolved}): {problem.message}"
    except ValueError:
        return (f"{where}the schema modeline names {target} ({resolved}), which is not a JSON schema; "
                f"{_fix(case_path, target, resolved, exam)}")
    current = _current_schema(exam)
    if current is not None and schema != current:
        return (f"{where}the schema modeline names {target} ({resolved}), which is out of date for this "
                f"version of tpi-sim, so editors check against old rules; fix: {'tpi-sim schema --exam' if exam else 'tpi-sim schema'} --out {resolved}")
    return None
