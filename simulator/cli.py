"""Command line: one entry point, one module per command under `simulator.commands`.

Each command module exposes `add_arguments(parser)` and `run(args) -> int`. Modules are
imported lazily so that `tpi-sim validate` never pays for pygame or the ultrasound engine.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# command name -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "play": ("simulator.commands.play", "open the trainer window (the default command)"),
    "validate": ("simulator.commands.validate", "check case files and folders against the schema"),
    "schema": ("simulator.commands.schema", "print the case JSON Schema"),
    "migrate": ("simulator.commands.migrate", "upgrade case files to the current format in place"),
    "render": ("simulator.commands.render", "render one ultrasound frame of a case to PNG"),
    "replay": ("simulator.commands.replay", "score a recorded action list against a case"),
    "bench": ("simulator.commands.bench", "measure frame times (medians)"),
}


class _Parser(argparse.ArgumentParser):
    """Bad arguments exit 2 with a one-line message, never a traceback."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="tpi-sim", description="TPI Sim: ultrasound-guided trigger point injection trainer")
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


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in COMMANDS and argv[0] not in ("-h", "--help"):
        argv = ["play", *argv]
    parser = build_parser()
    args = parser.parse_args(argv)
    run = getattr(args, "_run", None)
    if run is None:
        parser.exit(2, f"tpi-sim: the '{args.command}' command is not available in this build\n")
    try:
        return int(run(args) or 0)
    except KeyboardInterrupt:
        return 130
