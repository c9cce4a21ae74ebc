"""How a command says what went wrong: one line on stderr and an exit status, never a traceback.

Two things every command does when its input is bad, written once:
- `failing(command, ...)` makes the command's error-line printer, `tpi-sim COMMAND: message`
  (with `error:` after the name where the command words its mistakes as argparse does) that
  returns the command's exit status, so `return fail(message)` ends the command;
- `open_or_report(open_input, *args)` opens an input file (case, catalogue, exam, replay) and,
  when it cannot be used, prints every problem the loader found, one `file:line[:col]: ...`
  line each, so an author can jump to them all from one run.
Each command keeps its own wording and status (tests/test_command_errors.py pins them):
scripts and the documentation rely on them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def failing(command: str, status: int = 1, *, tagged: bool = False) -> Callable[[str], int]:
    """The printer of `tpi-sim COMMAND: [error: ]MESSAGE` on stderr; it returns `status`.

    tagged=True puts `error:` after the name, as argparse words a bad option: the authoring
    tools (render, inspect, preview, bench, new) say it of every mistake, report of a bad option."""
    prefix = f"tpi-sim {command}: " + ("error: " if tagged else "")

    def fail(message: str) -> int:
        print(prefix + message, file=sys.stderr)
        return status

    return fail


def report_problems(exc: Exception, say: Callable[[str], object] | None = None) -> int:
    """Print why an input cannot be used and return 1, the status of a bad input file.

    A case, catalogue or exam file (CaseError) gives one line per problem; a replay
    (ReplayError) gives its `file:line: message`. Each line goes to stderr as it is, or to
    `say` (a command's `failing` printer, to put the command's name in front)."""
    lines = [str(d) for d in exc.diagnostics] if hasattr(exc, "diagnostics") else [str(exc)]
    for line in lines:
        if say is None:
            print(line, file=sys.stderr)
        else:
            say(line)
    return 1


def open_or_report(open_input: Callable[..., T], *args, say: Callable[[str], object] | None = None) -> T | None:
    """open_input(*args), or None after saying why the input cannot be used (report_problems)."""
    from simulator.records.replay_file import ReplayError
    from simulator.scenario.loader import CaseError

    try:
        return open_input(*args)
    except (CaseError, ReplayError) as exc:
        report_problems(exc, say)
        return None
