"""One module per `tpi-sim` command; what several commands share lives here."""

AGENTS_HELP = "agents catalogue the case's agent ids refer to (default: an agents.yaml beside the case, else the shipped catalogue)"
