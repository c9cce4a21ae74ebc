"""One module per `tpi-sim` command; what several commands share lives here (and in errors.py)."""

from simulator.commands.errors import failing, open_or_report


def add_store_arguments(parser) -> None:
    """--db and --key: where attempts are kept and the key that signs them (docs/records.md)."""
    parser.add_argument("--db", metavar="URL", default=None,
                        help="attempts database: sqlite:///FILE or postgresql://USER@HOST/DB "
                             "(default: TPI_SIM_DB, else SQLite in the user data folder)")
    parser.add_argument("--key", metavar="FILE", default=None,
                        help="signing key file (default: TPI_SIM_KEY, else signing.key in the user config folder)")


AGENTS_HELP = "agents catalogue the case's agent ids refer to (default: an agents.yaml beside the case, else the shipped catalogue)"


def open_case_and_replay(args):
    """(case, catalogue, header, timed) for args.case and args.actions (and args.seed checked),
    or None after printing every problem to stderr. `tpi-sim replay` and `tpi-sim attempt` share it."""
    from simulator.records import read_replay

    opened = open_case_or_report(args.case, args.agents)
    if opened is None:
        return None
    replay = open_or_report(read_replay, args.actions)
    if replay is None:
        return None
    if args.seed is not None and args.seed < 0:
        failing(args.command)(f"--seed must be 0 or more, got {args.seed}")
        return None
    return opened[1], opened[2], *replay


def open_case_or_report(name: str, agents: str | None):
    """(file, case, catalogue) for CASE as typed, or None after printing every problem to stderr."""
    from simulator.scenario.loader import open_case

    return open_or_report(open_case, name, agents)
