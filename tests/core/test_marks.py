"""Where a mark lies against the active points: the question the practice hint asks of each mark."""

from simulator.core.marks import mark_finds_a_point, nearest_active_point
from simulator.scenario import load_agents, load_library


def _case_with_latent():
    cases = load_library(catalogue=load_agents())
    return next(c for c in cases if any(tp.activity == "latent" for tp in c.trigger_points))


def test_a_mark_on_a_latent_point_finds_nothing_and_one_on_the_active_point_does():
    case = _case_with_latent()
    active = next(tp for tp in case.trigger_points if tp.activity == "active")
    latent = next(tp for tp in case.trigger_points if tp.activity == "latent")
    point, distance_mm = nearest_active_point(case, latent.x_mm, latent.y_mm)
    assert point.id == active.id and distance_mm > case.rubric.thresholds.localization_full_mm
    assert not mark_finds_a_point(case, latent.x_mm, latent.y_mm)
    assert mark_finds_a_point(case, active.x_mm, active.y_mm)


def test_full_credit_ends_at_the_rubric_distance():
    case = _case_with_latent()
    active = next(tp for tp in case.trigger_points if tp.activity == "active")
    full_mm = case.rubric.thresholds.localization_full_mm
    assert nearest_active_point(case, active.x_mm + full_mm, active.y_mm)[1] == full_mm
    assert mark_finds_a_point(case, active.x_mm + full_mm, active.y_mm)
    assert not mark_finds_a_point(case, active.x_mm + full_mm + 0.5, active.y_mm)


def test_a_case_without_active_points_has_none_to_find():
    case = _case_with_latent()
    only_latent = case.model_copy(update={"trigger_points": [tp for tp in case.trigger_points
                                                             if tp.activity == "latent"]})
    tp = only_latent.trigger_points[0]
    assert nearest_active_point(only_latent, tp.x_mm, tp.y_mm) is None
    assert not mark_finds_a_point(only_latent, tp.x_mm, tp.y_mm)
