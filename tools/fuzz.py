"""Fixed-seed fuzz run over hostile variants of the shipped cases and replays.

    python tools/fuzz.py                      # 1,000 case and 1,000 replay variants, seed 14
    python tools/fuzz.py --cases 200 --replays 200 --seed 3

Each variant must keep the promise in tools/fuzz_inputs.py: a case gives a Case or a
`file:line:col` error, and a case that validates also plays (session, procedure, frame,
palpation view); a replay exits 0 or 1 with at most one `file:line: message`; nothing takes
more than the CPU budget. Prints the figures docs/robustness.md quotes and exits 1 if any
variant broke the promise (each is listed with its seed index, so it can be reproduced).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from fuzz_inputs import (  # noqa: E402
    Broken, RandomChooser, case_for_replay, check_case_variant, check_replay_variant, mutate_case, mutate_replay,
)


def _run(kind: str, count: int, seed: int, budget_s: float, work: Path, catalogue) -> tuple[Counter, list[str], float]:
    tally: Counter = Counter()
    broken: list[str] = []
    worst_s = 0.0
    for index in range(count):
        choose = RandomChooser(random.Random(f"{kind}-{seed}-{index}"))
        try:
            if kind == "case":
                source, text = mutate_case(choose)
                outcome = check_case_variant(work / "variant.yaml", text, catalogue, budget_s)
            else:
                source, data = mutate_replay(choose)
                outcome = check_replay_variant(case_for_replay(source), work / "variant.jsonl", data, budget_s)
        except Broken as exc:
            tally[exc.kind] += 1
            broken.append(f"{kind} {index} ({source.name}): {exc}")
            continue
        tally["valid" if outcome.valid else "refused"] += 1
        worst_s = max(worst_s, outcome.cpu_s)
    return tally, broken, worst_s


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000, help="case variants (default 1000)")
    parser.add_argument("--replays", type=int, default=1000, help="replay variants (default 1000)")
    parser.add_argument("--seed", type=int, default=14, help="seed of the whole run (default 14)")
    parser.add_argument("--budget-s", type=float, default=20.0, help="CPU seconds one variant may take")
    args = parser.parse_args()

    from simulator.scenario import load_agents

    catalogue = load_agents()
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="tpi-fuzz-") as tmp:
        results = {kind: _run(kind, n, args.seed, args.budget_s, Path(tmp), catalogue)
                   for kind, n in (("case", args.cases), ("replay", args.replays))}
    failures = 0
    for kind, (tally, broken, worst_s) in results.items():
        total = sum(tally.values())
        bad = total - tally["valid"] - tally["refused"]
        failures += bad
        print(f"{kind} variants: {total}; {'validated and played' if kind == 'case' else 'scored'}: {tally['valid']}; "
              f"refused with a message: {tally['refused']}; broke the promise: {bad} "
              f"({', '.join(f'{k} {v}' for k, v in sorted(tally.items()) if k not in ('valid', 'refused')) or 'none'}); "
              f"slowest accepted or refused: {worst_s:.2f} s CPU")
        for line in broken:
            print("  " + line)
    print(f"seed {args.seed}, budget {args.budget_s:g} s CPU per variant, {time.monotonic() - start:.0f} s in all")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
