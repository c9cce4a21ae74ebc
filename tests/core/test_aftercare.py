"""Aftercare: the end of the visit is practised and scored (docs/physiology.md, "Aftercare")."""

import pytest

from simulator import paths
from simulator.core import actions as A
from simulator.core.aftercare import expected_aftercare
from simulator.core.session import Session
from simulator.records import read_replay
from simulator.scenario import load_case


def crit(result, cid):
    return next(c for c in result["criteria"] if c["id"] == cid)


def shipped(catalogue, case_id):
    case = load_case(paths.SCENARIOS_DIR / f"{case_id}.yaml", catalogue)
    header, timed = read_replay(paths.REPLAYS_DIR / f"{case_id}.expert.jsonl")
    return case, header["seed"], [(t, a) for t, a in timed if not isinstance(a, (A.Finish, A.Aftercare))]


def test_pressure_is_expected_only_with_an_anticoagulant(catalogue):
    warfarin, _, _ = shipped(catalogue, "s2_levator_scapulae_warfarin")
    fainter, _, _ = shipped(catalogue, "s6_masseter_fainting")
    assert "pressure" in expected_aftercare(warfarin)
    assert "pressure" not in expected_aftercare(fainter)
    assert {"recheck", "stretch", "activity", "soreness", "safety_net", "follow_up"} <= set(expected_aftercare(fainter))


def test_no_aftercare_earns_nothing_and_says_what_was_missing(catalogue):
    case, seed, timed = shipped(catalogue, "s6_masseter_fainting")
    row = crit(Session(case, catalogue, seed).run(timed), "aftercare")
    assert row["points"] == 0 and row["max"] > 0
    assert "Still to do before the patient leaves" in row["evidence"] and "follow-up visit" in row["evidence"]


def test_every_expected_item_after_the_needle_work_earns_full_credit(catalogue):
    case, seed, timed = shipped(catalogue, "s6_masseter_fainting")
    end = timed[-1][0]
    care = [(end + 1 + i, A.Aftercare(item=item)) for i, item in enumerate(expected_aftercare(case))]
    result = Session(case, catalogue, seed).run(timed + care)
    row = crit(result, "aftercare")
    assert row["points"] == row["max"] and "You gave 6 of the 6" in row["evidence"]


def test_items_given_before_the_needle_work_is_over_do_not_count(catalogue):
    case, seed, timed = shipped(catalogue, "s6_masseter_fainting")
    first_insert = next(t for t, a in timed if isinstance(a, A.Insert))
    early = [(first_insert - 0.5, A.Aftercare(item=item)) for item in expected_aftercare(case)]
    result = Session(case, catalogue, seed).run(sorted(timed + early, key=lambda pair: pair[0]))
    row = crit(result, "aftercare")
    assert row["points"] == 0 and "not counted" in row["evidence"]


def test_a_correct_decline_has_no_aftercare_to_give(catalogue):
    case = load_case(paths.SCENARIOS_DIR / "s9_scm_whiplash.yaml", catalogue)
    header, timed = read_replay(paths.REPLAYS_DIR / "s9_scm_whiplash.expert.jsonl")
    row = crit(Session(case, catalogue, header["seed"]).run(timed), "aftercare")
    assert row["points"] == row["max"] and "rightly decided not to inject" in row["evidence"]


@pytest.mark.parametrize("weight_kg, bolus_ml", [(60, 90), (50, 75), (110, 100)])
def test_the_emergency_panel_works_out_the_lipid_bolus_by_weight(weight_kg, bolus_ml):
    from simulator.scenario.emergency import load_emergency_drugs

    lipid = load_emergency_drugs().get("lipid_emulsion_20")
    assert lipid.right_dose(weight_kg) == pytest.approx(bolus_ml)  # 1.5 mL/kg, 100 mL over 70 kg
    assert lipid.dose_is_right(bolus_ml, weight_kg) and not lipid.dose_is_right(bolus_ml * 2, weight_kg)
    infusion = load_emergency_drugs().get("lipid_infusion_20")  # 0.25 mL/kg/min for 15 min
    assert infusion.right_dose(weight_kg) == pytest.approx(3.75 * weight_kg)
    assert infusion.total_limit(weight_kg) + bolus_ml <= 12 * weight_kg  # ASRA: never above 12 mL/kg in all


def _with_aftercare(tmp_path, case_id, items: str):
    """A shipped case written to tmp_path with `agent_policy.expected_aftercare: <items>` as its first key."""
    text = (paths.SCENARIOS_DIR / f"{case_id}.yaml").read_text(encoding="utf-8")
    assert text.count("\nagent_policy:\n") == 1
    path = tmp_path / f"{case_id}.yaml"
    path.write_text(text.replace("\nagent_policy:\n", f"\nagent_policy:\n  expected_aftercare: {items}\n"), encoding="utf-8")
    return path


def test_a_case_that_lists_fewer_items_gives_full_credit_for_those(catalogue, tmp_path):
    _, seed, timed = shipped(catalogue, "s2_levator_scapulae_warfarin")
    case = load_case(_with_aftercare(tmp_path, "s2_levator_scapulae_warfarin", "[recheck, follow_up]"), catalogue)
    assert expected_aftercare(case) == ["recheck", "follow_up"]  # no pressure: the case's list wins
    end = timed[-1][0]
    care = [(end + 1, A.Aftercare(item="follow_up")), (end + 2, A.Aftercare(item="recheck"))]
    row = crit(Session(case, catalogue, seed).run(timed + care), "aftercare")
    assert row["points"] == row["max"] > 0 and "You gave 2 of the 2" in row["evidence"]
    half = crit(Session(case, catalogue, seed).run(timed + care[:1]), "aftercare")
    assert "You gave 1 of the 2" in half["evidence"] and "re-check pain and movement" in half["evidence"]
    assert 0 < half["points"] < half["max"]


def test_a_case_without_a_list_still_derives_its_items(catalogue, tmp_path):
    derived, _, _ = shipped(catalogue, "s2_levator_scapulae_warfarin")
    assert derived.agent_policy.expected_aftercare is None
    assert expected_aftercare(derived) == ["pressure", "recheck", "stretch", "activity", "soreness", "safety_net",
                                           "follow_up"]


def test_an_unknown_aftercare_item_is_a_located_error(catalogue, tmp_path):
    from simulator.scenario import CaseError

    path = _with_aftercare(tmp_path, "s6_masseter_fainting", "[recheck, massage_now]")
    written = "  expected_aftercare: [recheck, massage_now]"
    line, column = path.read_text(encoding="utf-8").splitlines().index(written) + 1, written.index("massage_now") + 1
    with pytest.raises(CaseError) as exc:
        load_case(path, catalogue)
    messages = [str(d) for d in exc.value.diagnostics]
    assert len(messages) == 1 and messages[0].startswith(f"{path}:{line}:{column}: agent_policy.expected_aftercare[1]: ")
    assert messages[0].endswith("follow_up, repeat_plan, got 'massage_now'")  # lists the ids that exist


def test_the_case_schema_knows_every_aftercare_item_and_no_other():
    from typing import get_args

    from simulator.core.aftercare import AFTERCARE
    from simulator.scenario.schema import AftercareItem

    assert list(get_args(AftercareItem)) == list(AFTERCARE)
