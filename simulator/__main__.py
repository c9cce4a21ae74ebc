"""`python -m simulator` runs the same command line as `tpi-sim`."""

from simulator.cli import main

raise SystemExit(main())
