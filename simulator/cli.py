"""Command line: one entry point, one module per command under `simulator.commands`.

Each command module exposes `add_arguments(parser)` and `run(args) -> int`. Modules are
imported lazily so that `tpi-sim validate` never pays for pygame or the ultrasound engine.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import sys

from simulator import __version__

# command name -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "play": ("simulator.commands.play", "open the trainer window (the default command)"),
    "validate": ("simulator.commands.validate", "check case files and folders against the schema"),
    "schema": ("simulator.commands.schema", "print the case JSON Schema"),
    "new": ("simulator.commands.new", "start a case from a commented template that validates, with an expert replay"),
    "migrate": ("simulator.commands.migrate", "upgrade case files to the current format in place"),
    "render": ("simulator.commands.render", "render one ultrasound frame of a case to PNG"),
    "replay": ("simulator.commands.replay", "score a recorded action list against a case"),
    "inspect": ("simulator.commands.inspect", "print the tissue column of a case at a point (and save a cross-section)"),
    "preview": ("simulator.commands.preview", "a window that redraws a case (palpation, ultrasound, cross-section) on every save"),
    "bench": ("simulator.commands.bench", "measure frame times (medians)"),
}


class _Parser(argparse.ArgumentParser):
    """Bad arguments exit 2 with a one-line message, never a traceback."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="tpi-sim",
        description="TPI Sim: ultrasound-guided trigger point injection trainer. "
        "`tpi-sim CASE` (a case file or id) is short for `tpi-sim play CASE`.",
    )
    parser.add_argument("--version", action="version", version=f"tpi-sim {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    for name, (module_name, help_text) in COMMANDS.items():
        command_parser = sub.add_parser(name, help=help_text, description=help_text)
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        module.add_arguments(command_parser)
        command_parser.set_defaults(_run=module.run)
    return parser


TOP_LEVEL_OPTIONS = ("-h", "--help", "--version")


def unknown_command(word: str) -> str | None:
    """Why `word` (the first argument) can be neither a command nor a case, or None when it is fine.

    `tpi-sim CASE` stays short for `tpi-sim play CASE`, but only for an existing case file or
    id: a misspelt command must not silently become a case name.
    """
    if word in COMMANDS or word.startswith("-"):
        return None
    from simulator.scenario.loader import find_case_file

    if find_case_file(word) is not None:
        return None
    close = difflib.get_close_matches(word, list(COMMANDS), n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return (
        f"unknown command '{word}'{hint}, and no case file or case id of that name; "
        f"commands: {', '.join(COMMANDS)}; `tpi-sim play CASE` opens a case"
    )


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] not in COMMANDS and argv[0] not in TOP_LEVEL_OPTIONS:
        problem = unknown_command(argv[0])
        if problem:
            print(f"tpi-sim: error: {problem}", file=sys.stderr)
            return 2
    if not argv or argv[0] not in COMMANDS and argv[0] not in TOP_LEVEL_OPTIONS:
        argv = ["play", *argv]
    if argv[0] == "--version":
        print(f"tpi-sim {__version__}")
        return 0
    parser = build_parser()
    args = parser.parse_args(argv)
    run = getattr(args, "_run", None)
    if run is None:
        parser.exit(2, f"tpi-sim: the '{args.command}' command is not available in this build\n")
    try:
        return int(run(args) or 0)
    except KeyboardInterrupt:
        return 130
