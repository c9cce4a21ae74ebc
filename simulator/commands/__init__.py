"""One module per `tpi-sim` command; what several commands share lives here."""

import sys

AGENTS_HELP = "agents catalogue the case's agent ids refer to (default: an agents.yaml beside the case, else the shipped catalogue)"


def open_case_or_report(name: str, agents: str | None):
    """(file, case, catalogue) for CASE as typed, or None after printing every problem to stderr."""
    from simulator.scenario import CaseError
    from simulator.scenario.loader import open_case

    try:
        return open_case(name, agents)
    except CaseError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic, file=sys.stderr)
        return None
