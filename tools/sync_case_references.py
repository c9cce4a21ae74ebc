"""Rewrite each case's `references` list from docs/sources.md.

    python tools/sync_case_references.py          # rewrite every case in scenarios/
    python tools/sync_case_references.py --check  # exit 1 if any case is out of date

A case lists the entries it cites (every number in a `sources` list and every `[n]` in its
text) with the citation and link exactly as docs/sources.md gives them, so the case card
and the debrief can show full references without reading the docs. Only the block between
`references:` and the next top-level key is replaced; the rest of the file, comments
included, is left as it is.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from simulator.paths import AGENTS_FILE, SCENARIOS_DIR  # noqa: E402
from simulator.scenario.sources import cited_numbers, load_sources  # noqa: E402

HEADER = "references:  # entries of docs/sources.md, copied by tools/sync_case_references.py\n"


def _numbers_in(node) -> set[int]:
    found: set[int] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "sources" and isinstance(value, list):
                found |= {int(v) for v in value}
            elif key != "references":
                found |= _numbers_in(value)
    elif isinstance(node, list):
        for item in node:
            found |= _numbers_in(item)
    return found


def cited_by(text: str) -> list[int]:
    """Every number the case cites: `sources` lists, and `[n]` in its text and comments."""
    data = yaml.safe_load(text)
    body = re.sub(r"(?ms)^references:.*?(?=^\S)", "", text)
    return sorted(_numbers_in(data) | set(cited_numbers([body])))


def block_for(numbers: list[int], sources) -> str:
    missing = [n for n in numbers if n not in sources]
    if missing:
        raise SystemExit(f"cited but not in docs/sources.md: {missing}")
    lines = [HEADER]
    for n in numbers:
        lines.append(f"  - id: {n}\n    citation: {json.dumps(sources[n].citation, ensure_ascii=False)}\n")
        if sources[n].url:
            lines.append(f"    url: {json.dumps(sources[n].url)}\n")
    return "".join(lines) + "\n"


def synced(text: str, sources) -> str:
    block = block_for(cited_by(text), sources)
    return re.sub(r"(?ms)^references:.*?(?=^\S)", lambda _: block, text, count=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report cases whose references are out of date")
    args = parser.parse_args(argv)
    sources = load_sources()
    stale = []
    for path in sorted(SCENARIOS_DIR.glob("*.yaml")):
        if path.name == AGENTS_FILE.name:
            continue
        text = path.read_text(encoding="utf-8")
        new = synced(text, sources)
        if new != text:
            stale.append(path.name)
            if not args.check:
                path.write_text(new, encoding="utf-8")
    for name in stale:
        print(("out of date: " if args.check else "rewrote ") + name)
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
