"""The shipped replays: every case's expert attempt passes well, every novice fails for its error.

An expert replay must not depend on one lucky seed: the LTR chance per fast pass is below 1,
so each expert replay is also run under a few other seeds.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator import paths
from simulator.core.session import Session
from simulator.records import read_replay
from simulator.scenario import load_agents, load_library

CATALOGUE = load_agents()
CASES = {case.id: case for case in load_library(catalogue=CATALOGUE)}
REPLAYS = sorted(paths.REPLAYS_DIR.glob("*.jsonl"))
NOVICE_ERRORS = {
    "novice-pleura": "pleura_puncture",
    "novice-intravascular": "intravascular_injection",
    "novice-overdose": "dose_over_ceiling",
    "novice-allergen": "allergen_injected",
    "novice-nerve": "NerveContacted",  # a case-specific critical event (S5: the sciatic nerve)
    "novice-no-consent": "puncture_before_consent",
    "novice-no-prep": "puncture_before_skin_prep",
    "novice-contraindicated": "contraindicated_agent",
    "novice-missed-point": "no_active_point_treated",
    "novice-carpet": "marks_not_committed",
    "novice-blind": "tip_out_of_view",
    "novice-injects": "needled_when_not_to",  # a case where any needle is the wrong decision (S9, S10)
    "novice-wrong-decline": None,  # declining for a reason the case gives little or no credit
}


def _run(path: Path, seed: int | None = None) -> dict:
    header, timed = read_replay(path)
    case = CASES[header["case"]]
    return Session(case, CATALOGUE, header.get("seed", 0) if seed is None else seed).run(timed)


def test_every_shipped_case_has_an_expert_replay():
    missing = [cid for cid in CASES if not (paths.REPLAYS_DIR / f"{cid}.expert.jsonl").is_file()]
    assert missing == [], f"run tools/make_expert_replays.py: no expert replay for {missing}"


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_expert_replay_scores_at_least_90_and_passes(case_id):
    path = paths.REPLAYS_DIR / f"{case_id}.expert.jsonl"
    for seed in (None, 11, 12):
        result = _run(path, seed)
        assert result["critical_errors"] == [], result["critical_errors"]
        assert result["total"] >= 90, [(r["id"], r["points"], r["evidence"]) for r in result["criteria"]]
        assert result["passed"] is True


@pytest.mark.parametrize("path", [p for p in REPLAYS if ".novice-" in p.name], ids=lambda p: p.name)
def test_novice_replay_fails_for_its_intended_reason(path):
    kind = path.name.split(".")[-2]
    expected = NOVICE_ERRORS[kind]
    result = _run(path)
    assert result["passed"] is False
    assert result["total"] <= result["pass_mark"] - 1  # a failed attempt never shows a passing total
    if expected is None:  # no safety error: it fails on points, or because nothing that needed it was treated
        assert all(e["kind"] == "competence" for e in result["critical_errors"])
    else:
        assert expected in [e["type"] for e in result["critical_errors"]]
    if kind == "novice-intravascular":
        assert result["metrics"]["aspirated_injections"] == 0


def test_every_shipped_case_has_a_novice_replay():
    missing = [cid for cid in CASES if not list(paths.REPLAYS_DIR.glob(f"{cid}.novice-*.jsonl"))]
    assert missing == [], f"no novice replay for {missing}"


def test_there_is_a_novice_replay_for_every_failing_item_kind():
    kinds = {p.name.split(".")[-2] for p in REPLAYS}
    assert set(NOVICE_ERRORS) <= kinds


def test_replays_are_deterministic():
    path = paths.REPLAYS_DIR / "s1_upper_trapezius_thin.expert.jsonl"
    assert json.dumps(_run(path), sort_keys=True) == json.dumps(_run(path), sort_keys=True)
