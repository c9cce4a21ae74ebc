"""Print the palpation model's calibration figures (the tables in docs/palpation.md).

    python tools/palpation_calibration.py               # kappas over every case, search spreads
    python tools/palpation_calibration.py --pairs 100 --runs 200

Kappas: two sessions (seeds 2k and 2k+1) stand for two examiners on the same patient; see
simulator/core/palpation/calibration.py. Search spreads: the scripted examiner starts 10-20 mm
from an active point; the distance from its mark to the nearest active point is summarised.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from simulator.core.palpation.calibration import reliability, search_errors, session_maker, spread  # noqa: E402
from simulator.scenario import load_agents, load_library  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=100, help="examiner pairs per case for the kappas")
    parser.add_argument("--runs", type=int, default=200, help="scripted searches per case")
    args = parser.parse_args(argv)
    catalogue = load_agents()
    cases = load_library(catalogue=catalogue)

    make = session_maker(catalogue)
    print(f"| finding | simulated kappa ({args.pairs} pairs x every site of every case) |")
    print("|---|---|")
    for finding, value in reliability(cases, make, args.pairs).items():
        print(f"| {finding} | {'-' if value is None else f'{value:.2f}'} |")
    print()
    print(f"| case | median mark error (mm) | 90th percentile (mm) | within 10 mm | ({args.runs} searches) |")
    print("|---|---|---|---|---|")
    for case in cases:
        s = spread(search_errors(case, make, args.runs))
        print(f"| {case.id} | {s['median_mm']:.1f} | {s['p90_mm']:.1f} | {s['within_10_mm']:.0%} | |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
