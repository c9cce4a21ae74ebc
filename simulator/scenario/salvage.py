"""Cross-checks for a case that has structural errors too, so an author sees every problem at once.

The cross-checks (crosscheck.py) need a schema-valid Case. When pydantic refuses the file,
a stand-in is built from the author's data: a list item with an error that other checks do
not depend on (a trigger point, an agent choice, an allergy, a landmark, a vessel) is left
out, and a top-level section no cross-check reads for relations (patient details, ultrasound,
rubric, teaching, texts) is replaced by the same section of the `tpi-sim new` template. If
that stand-in validates, it is cross-checked and only findings about the author's own values
are kept, at the author's indices. If the error is somewhere the checks depend on (layers,
the region, references), nothing is guessed and only the structural errors are reported.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

import yaml
from pydantic import ValidationError

from simulator import paths
from simulator.scenario.crosscheck import Finding, check_case
from simulator.scenario.schema import AgentCatalogue, Case

DONOR_FILE = paths.PACKAGE_DIR / "templates" / "neck.yaml"
# Lists whose items no other check relies on: an item with an error can be left out.
DROPPABLE = {
    ("trigger_points",), ("body_region", "landmarks"), ("patient", "allergies"), ("patient", "medications"),
    ("anatomy", "vessels"), ("anatomy", "nerves"), ("anatomy", "cylinders"),
    ("agent_policy", "preferred"), ("agent_policy", "acceptable"), ("agent_policy", "not_recommended"),
    ("agent_policy", "contraindicated"),
}
# Top-level keys whose content no cross-check relates to anything else: replaceable as a whole.
REPLACEABLE = {"schema_version", "id", "title", "summary", "difficulty", "learning_objectives", "author", "patient",
               "ultrasound", "rubric", "teaching"}
MAX_ROUNDS = 5


@functools.lru_cache(maxsize=1)
def _donor() -> dict:
    return yaml.safe_load(DONOR_FILE.read_text(encoding="utf-8"))


def _drop(data: dict, locs: list[tuple], dropped: dict[tuple, list[int]], replaced: set[str]) -> bool:
    """Apply one round of repairs for `locs`; False when some error cannot be repaired."""
    removals: dict[tuple, set[int]] = {}
    for loc in locs:
        for prefix in DROPPABLE:
            n = len(prefix)
            if tuple(loc[:n]) == prefix and len(loc) > n and isinstance(loc[n], int):
                removals.setdefault(prefix, set()).add(loc[n])
                break
        else:
            top = loc[0] if loc else None
            if top not in REPLACEABLE or top not in _donor():
                return False
            data[top] = copy.deepcopy(_donor()[top])
            replaced.add(top)
    for prefix, indices in removals.items():
        holder: Any = data
        for key in prefix[:-1]:
            holder = holder[key]
        items = holder[prefix[-1]]
        kept_old = [i for i in range(len(items)) if i not in indices]
        original = dropped.get(prefix, list(range(len(items))))  # earlier rounds' survivors -> author's indices
        dropped[prefix] = [original[i] for i in kept_old]
        holder[prefix[-1]] = [items[i] for i in kept_old]
    return True


def _remap(finding: Finding, dropped: dict[tuple, list[int]], replaced: set[str]) -> Finding | None:
    """The finding at the author's index, or None when it is about a stand-in value."""
    if finding.path and finding.path[0] in replaced:
        return None
    for prefix, survivors in dropped.items():
        n = len(prefix)
        if tuple(finding.path[:n]) == prefix and len(finding.path) > n and isinstance(finding.path[n], int):
            path = prefix + (survivors[finding.path[n]],) + tuple(finding.path[n + 1:])
            return Finding(path, finding.message, finding.at_key)
    return finding


def salvage_findings(data: dict, error: ValidationError, catalogue: AgentCatalogue | None) -> list[Finding]:
    """Cross-check findings about the author's values in a case that failed the schema ([] if none can be had)."""
    try:
        return _salvage(data, error, catalogue)
    except Exception:  # noqa: BLE001 - extra findings are a bonus; never let them hide the structural errors
        return []


def _salvage(data: dict, error: ValidationError, catalogue: AgentCatalogue | None) -> list[Finding]:
    work = copy.deepcopy(data)
    dropped: dict[tuple, list[int]] = {}
    replaced: set[str] = set()
    locs = [tuple(e["loc"]) for e in error.errors()]
    for _ in range(MAX_ROUNDS):
        if not _drop(work, locs, dropped, replaced):
            return []
        try:
            case = Case.model_validate(work, strict=True, by_alias=True, by_name=False)
        except ValidationError as again:
            locs = [tuple(e["loc"]) for e in again.errors()]
            continue
        findings = [_remap(f, dropped, replaced) for f in check_case(case, catalogue)]
        return [f for f in findings if f is not None]
    return []
