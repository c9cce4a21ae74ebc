"""Where a case's content comes from: the numbered source list and the clinical review.

Every figure in a case, the agent catalogue, the code and the docs cites an entry of
docs/sources.md by number, so a reader can follow any number to its full citation. This
module reads that list, finds the numbers a piece of text cites (the debrief lists the
references behind the text it shows) and says whether a clinician has reviewed the case,
so nobody mistakes an unreviewed case for a vetted one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from simulator.paths import SOURCES_FILE

_ENTRY = re.compile(r"^- \*\*\[(\d+)\]\*\* (.+?)(?: <(\S+)>)?(?: \*\(secondary\)\*)?$")
_CITED = re.compile(r"\[(\d{1,3})\]")


@dataclass(frozen=True)
class Source:
    number: int
    citation: str
    url: str | None
    supports: str


def load_sources(path: Path = SOURCES_FILE) -> dict[int, Source]:
    """Entries of the source list by number; a repeated number is an error."""
    found: dict[int, Source] = {}
    lines = path.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        match = _ENTRY.match(line)
        if not match:
            continue
        number = int(match.group(1))
        if number in found:
            raise ValueError(f"{path.name}: entry [{number}] is listed twice")
        following = lines[index + 1].strip() if index + 1 < len(lines) else ""
        supports = following.removeprefix("Supports:").strip() if following.startswith("Supports:") else ""
        found[number] = Source(number, match.group(2).strip(), match.group(3), supports)
    return found


def cited_numbers(texts) -> list[int]:
    """The distinct `[n]` numbers the texts cite, in order of first appearance."""
    seen: list[int] = []
    for text in texts:
        for number in (int(n) for n in _CITED.findall(text or "")):
            if number not in seen:
                seen.append(number)
    return seen


NOT_REVIEWED = "Not yet clinically reviewed"


def review_note(case) -> str:
    """What the picker and the debrief say about the case's clinical review."""
    reviewer = (case.author.reviewed_by or "").strip()
    return f"Clinically reviewed by {reviewer}" if reviewer else NOT_REVIEWED


def reference_lines(case, texts) -> list[str]:
    """'[n] citation' for each number the texts cite that the case's reference list holds."""
    listed = {reference.id: reference for reference in case.references}
    return [f"[{n}] {listed[n].citation}" for n in cited_numbers(texts) if n in listed]
