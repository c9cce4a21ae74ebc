"""Run `tpi-sim` in-process as a user would and capture what it prints."""

from __future__ import annotations

import contextlib
import io

from simulator.cli import main


def run_cli(*argv: str) -> tuple[int, str, str]:
    """(exit status, stdout, stderr); argparse's own exits (--help, bad options) count as statuses."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()
