"""`tpi-sim validate PATH...`: check case files and folders, one line per problem.

Folders are searched recursively for *.yaml and *.yml. A file named agents.yaml is checked
as an agents catalogue; an exam file (an `exam_version:` key, or a modeline naming
exam.schema.json) as an exam, with every case it names; every other file as a case, whose agents are looked up in
`--agents`, else in an agents.yaml beside it, else in the shipped catalogue. Prints
`ok PATH` for each good file and `path:line:col: key: message` for each problem; exits 0
when everything is valid and 1 otherwise. It never prints a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

CATALOGUE_NAME = "agents.yaml"
EMERGENCY_NAME = "emergency_drugs.yaml"  # the emergency drugs catalogue (simulator/scenario/emergency.py)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="case files, or folders to search for *.yaml/*.yml")
    parser.add_argument(
        "--agents", metavar="PATH", help="agents catalogue to check agent ids against (default: an agents.yaml beside each case, "
        "else the shipped catalogue)"
    )


def expand(paths: list[str]) -> tuple[list[Path], list[str]]:
    """(files to check, problems with the arguments themselves)."""
    files: list[Path] = []
    problems: list[str] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found = sorted({*path.rglob("*.yaml"), *path.rglob("*.yml")})
            found = [p for p in found if p.is_file()]
            if not found:
                problems.append(f"{name}:1:1: no case files (*.yaml, *.yml) in this folder")
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            problems.append(f"{name}:1:1: no such file or folder")
    return list(dict.fromkeys(files)), problems


class _Catalogues:
    """Loads each catalogue once; its problems are printed once, then cases skip the agent check."""

    def __init__(self, explicit: str | None):
        self.explicit = Path(explicit) if explicit else None
        self.loaded: dict[Path, tuple[object, list[str]]] = {}
        self.unprinted: list[str] = []

    def get(self, path: Path):
        from simulator.scenario.loader import CaseError, load_agents

        key = path.resolve()
        if key not in self.loaded:
            try:
                self.loaded[key] = (load_agents(path), [])
            except CaseError as exc:
                lines = [str(d) for d in exc.diagnostics]
                self.loaded[key] = (None, lines)
                self.unprinted.extend(lines)
            except Exception as exc:  # noqa: BLE001 - the user gets a line, never a traceback
                lines = [_internal(path, exc)]
                self.loaded[key] = (None, lines)
                self.unprinted.extend(lines)
        return self.loaded[key][0]

    def for_case(self, case_path: Path):
        from simulator.scenario.loader import agents_file_for

        found = agents_file_for(case_path, self.explicit)
        return self.get(found) if found is not None else None

    def take_unprinted(self) -> list[str]:
        lines, self.unprinted = self.unprinted, []
        return lines


def _internal(path: Path, exc: Exception) -> str:
    return f"{path}:1:1: internal error while checking this file ({type(exc).__name__}: {exc}); please report it"


def _read(path: Path) -> str | None:
    """The file's text, or None when it cannot be read (the loader then reports why)."""
    from simulator.files import FileProblem, decode_utf8, read_regular_bytes
    from simulator.scenario.loader import MAX_FILE_BYTES

    try:
        return decode_utf8(read_regular_bytes(path, MAX_FILE_BYTES, "case files"))
    except FileProblem:
        return None


def _modeline_lines(path: Path, text: str | None, exam: bool = False) -> list[str]:
    """The modeline's schema problem, if the file can be read at all (the loader reports why not)."""
    from simulator.commands.modeline_check import schema_problem

    problem = schema_problem(path, text, exam) if text is not None else None
    return [problem] if problem else []


def _check_exam(path: Path, text: str) -> tuple[bool, list[str]]:
    from simulator.scenario.exam_loader import load_exam
    from simulator.scenario.loader import CaseError

    lines = _modeline_lines(path, text, exam=True)
    try:
        load_exam(path)
    except CaseError as exc:
        return False, lines + [str(d) for d in exc.diagnostics]
    return not lines, lines


def check_file(path: Path, catalogues: _Catalogues) -> tuple[bool, list[str]]:
    """(valid, lines to print) for one file."""
    from simulator.scenario.loader import CaseError, check_case_file

    try:
        if path.name == CATALOGUE_NAME:
            valid = catalogues.get(path) is not None
            return valid, catalogues.take_unprinted()
        if path.name == EMERGENCY_NAME:
            from simulator.scenario.emergency import load_emergency_drugs

            try:
                load_emergency_drugs(path)
            except CaseError as exc:
                return False, [str(d) for d in exc.diagnostics]
            return True, []
        text = _read(path)
        from simulator.scenario.exam_loader import looks_like_exam

        if text is not None and looks_like_exam(text):
            return _check_exam(path, text)
        catalogue = catalogues.for_case(path)
        lines = catalogues.take_unprinted()  # a catalogue's own problems, the first time it is used
        lines += _modeline_lines(path, text)
        try:
            check_case_file(path, catalogue)
        except CaseError as exc:
            return False, lines + [str(d) for d in exc.diagnostics]
        return not lines, lines
    except Exception as exc:  # noqa: BLE001 - the user gets a line, never a traceback
        return False, [_internal(path, exc)]


def run(args: argparse.Namespace) -> int:
    files, problems = expand(args.paths)
    for line in problems:
        print(line, file=sys.stderr)
    failed = bool(problems)
    catalogues = _Catalogues(args.agents)
    for path in files:
        valid, lines = check_file(path, catalogues)
        for line in lines:
            print(line, file=sys.stderr)
        if valid and not lines:
            print(f"ok {path}")
        failed = failed or not valid or bool(lines)
    return 1 if failed else 0
