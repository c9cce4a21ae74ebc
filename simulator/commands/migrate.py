"""`tpi-sim migrate FILE...`: upgrade case files to the current format in place, comments kept.

Each upgraded text is checked with the same loader `validate` uses before it replaces the file,
and the replacement is atomic (a temporary file renamed over the original), so a file is either
upgraded and valid or left exactly as it was. Prints `migrated PATH`, `up to date PATH` or
`PATH:line:col: message`; exits 1 when any file could not be upgraded.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from simulator.commands.errors import open_or_report


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help="case files to upgrade in place")
    parser.add_argument("--agents", metavar="PATH", help="agents catalogue to check agent ids against")


def migrate_file(path: Path, catalogue) -> list[str]:
    """Upgrade one file; returns the lines to print (a problem line starts with the path)."""
    from simulator.scenario.loader import CaseError, check_case_file
    from simulator.scenario.migrate import MigrationError, upgrade_text

    if not path.is_file():
        return [f"{path}:1:1: not a regular file"]
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [f"{path}:1:1: cannot read the file: {exc}"]
    try:
        upgraded = upgrade_text(text)
    except MigrationError as exc:
        return [f"{path}:1:1: {exc}"]
    if upgraded == text:
        return [f"up to date {path}"]
    tmp = path.with_name(f".{path.name}.migrate.tmp")
    try:
        tmp.write_text(upgraded, encoding="utf-8")
        try:
            check_case_file(tmp, catalogue)
        except CaseError as exc:
            return [str(d).replace(str(tmp), str(path)) + " (after upgrading; the file was left unchanged)"
                    for d in exc.diagnostics]
        os.replace(tmp, path)
    except OSError as exc:
        return [f"{path}:1:1: cannot write the upgraded file ({exc.strerror or exc}); it was left unchanged"]
    finally:
        if tmp.exists():
            tmp.unlink()
    return [f"migrated {path}"]


def run(args: argparse.Namespace) -> int:
    from simulator import paths
    from simulator.scenario.loader import load_agents

    agents_path = Path(args.agents) if args.agents else paths.AGENTS_FILE
    catalogue = None
    if agents_path.is_file():
        catalogue = open_or_report(load_agents, agents_path)
        if catalogue is None:
            return 1
    failed = False
    for name in args.files:
        for line in migrate_file(Path(name), catalogue):
            is_problem = not line.startswith(("migrated ", "up to date "))
            failed |= is_problem
            print(line, file=sys.stderr if is_problem else sys.stdout)
    return 1 if failed else 0
