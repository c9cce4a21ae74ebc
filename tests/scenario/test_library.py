"""The shipped case library: every case loads, covers the taught muscles, and is internally coherent.

The depth check recomputes each layer's depth range from the thicknesses the author wrote,
with the thin-plate spline the schema states (simulator.scenario.thickness, the one
definition the anatomy model also uses), so a trigger point an author placed in the wrong
layer fails here before the needle engine ever sees it.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from simulator.core.anatomy.extras import polygon_inside
from simulator.paths import AGENTS_FILE, SCENARIOS_DIR
from simulator.scenario import load_agents, load_case
from simulator.scenario.schema import Case, Layer
from simulator.scenario.thickness import layer_field

CASE_FILES = sorted(p for p in SCENARIOS_DIR.glob("*.yaml") if p.name != AGENTS_FILE.name)
MODELINE = "# yaml-language-server: $schema=./scenario.schema.json"
TAUGHT_MUSCLES = {
    "upper_trapezius",
    "levator_scapulae",
    "infraspinatus",
    "quadratus_lumborum",
    "gluteus_medius",
    "masseter",
    "rhomboid_major",
    "sternocleidomastoid",
    "piriformis",
    "temporalis",
}


@pytest.fixture(scope="module")
def catalogue():
    return load_agents()


@pytest.fixture(scope="module")
def cases(catalogue) -> dict[str, Case]:
    return {path.name: load_case(path, catalogue) for path in CASE_FILES}


def layer_thickness_mm(layer: Layer, x_mm: float, y_mm: float) -> float:
    return float(layer_field(layer.thickness_mm)(x_mm, y_mm))


def muscle_layers_at(case: Case, muscle: str, x_mm: float, y_mm: float) -> list[tuple[Layer, float, float]]:
    """Every layer named `muscle` with its top and bottom depth at (x, y).

    A name may appear twice (e.g. the right and left rhomboid, whose fibres mirror each other).
    Where a region of a layer covers (x, y), the layer there is the region's muscle (the last
    such region wins), with the region's fibre direction when it gives one.
    """
    found = []
    top = 0.0
    for layer in case.anatomy.layers:
        bottom = float("inf") if layer.thickness_mm is None else top + layer_thickness_mm(layer, x_mm, y_mm)
        here = layer
        for region in layer.regions:
            if polygon_inside(x_mm, y_mm, np.array([(p.x_mm, p.y_mm) for p in region.outline])):
                fibre = region.fibre_direction_deg if region.fibre_direction_deg is not None else layer.fibre_direction_deg
                here = layer.model_copy(update={"name": region.name, "fibre_direction_deg": fibre})
        if here.tissue == "muscle" and here.name == muscle:
            found.append((here, top, bottom))
        top = bottom
    assert found, f"{case.id}: no muscle layer named {muscle!r}"
    return found


def containing_layer(case: Case, tp) -> tuple[Layer, float, float] | None:
    """The layer of the trigger point's muscle that holds the whole ellipsoid in depth, if any."""
    half = tp.size.height_mm / 2
    for layer, top, bottom in muscle_layers_at(case, tp.muscle, tp.x_mm, tp.y_mm):
        if top + half <= tp.depth_mm <= bottom - half:
            return layer, top, bottom
    return None


def all_sources(node, path="case"):
    """Yield (dotted path, source number) for every `sources` list in a model tree."""
    from pydantic import BaseModel

    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            value = getattr(node, name)
            if name == "sources":
                for number in value:
                    yield f"{path}.sources", number
            else:
                yield from all_sources(value, f"{path}.{name}")
    elif isinstance(node, (list, tuple)):
        for index, item in enumerate(node):
            yield from all_sources(item, f"{path}[{index}]")
    elif isinstance(node, dict):
        for key, item in node.items():
            yield from all_sources(item, f"{path}.{key}")


def test_library_has_at_least_fifteen_cases_with_unique_ids(cases):
    assert len(cases) >= 15
    ids = [case.id for case in cases.values()]
    assert len(set(ids)) == len(ids)


def test_file_names_match_case_ids(cases):
    for name, case in cases.items():
        assert name == f"{case.id}.yaml"


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.name)
def test_every_case_starts_with_the_schema_modeline(path: Path):
    assert path.read_text(encoding="utf-8").splitlines()[0] == MODELINE


def test_taught_muscles_are_all_covered(cases):
    covered = {tp.muscle for case in cases.values() for tp in case.trigger_points}
    assert TAUGHT_MUSCLES <= covered, f"missing: {sorted(TAUGHT_MUSCLES - covered)}"


def test_at_least_two_cases_have_a_latent_point_beside_an_active_one(cases):
    with_latent = [
        case.id
        for case in cases.values()
        if {tp.activity for tp in case.trigger_points} == {"active", "latent"}
    ]
    assert len(with_latent) >= 2, with_latent


def test_a_case_says_do_not_inject_for_a_red_flag_on_the_chart(cases):
    refusing = [case for case in cases.values() if case.agent_policy.do_not_inject]
    assert refusing, "the library needs a case where the right answer is not to inject"
    assert any(case.patient.conditions.red_flags for case in refusing), "no do-not-inject case for a red flag"



@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.name)
def test_trigger_points_sit_inside_their_muscle_layer(path: Path, catalogue):
    case = load_case(path, catalogue)
    for tp in case.trigger_points:
        spans = [(round(top, 1), round(bottom, 1)) for _, top, bottom in muscle_layers_at(case, tp.muscle, tp.x_mm, tp.y_mm)]
        assert containing_layer(case, tp) is not None, (
            f"{case.id}: {tp.id} at depth {tp.depth_mm} mm (height {tp.size.height_mm}) is not inside "
            f"{tp.muscle}, which spans {spans} mm there"
        )
        assert 0 <= tp.x_mm <= case.body_region.width_mm and 0 <= tp.y_mm <= case.body_region.height_mm


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.name)
def test_taut_band_runs_along_the_fibres(path: Path, catalogue):
    case = load_case(path, catalogue)
    for tp in case.trigger_points:
        found = containing_layer(case, tp)
        assert found is not None, f"{case.id}: {tp.id} is not inside its muscle"
        difference = (tp.taut_band.direction_deg - found[0].fibre_direction_deg) % 180
        assert min(difference, 180 - difference) < 1e-6, f"{case.id}: {tp.id} band is not along the fibres"


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.name)
def test_agents_named_by_a_case_exist_in_the_catalogue(path: Path, catalogue):
    case = load_case(path, catalogue)
    policy = case.agent_policy
    named = [choice.agent for choice in policy.preferred + policy.acceptable + policy.contraindicated]
    named += [allergy.agent for allergy in case.patient.allergies if allergy.agent]
    missing = [agent for agent in named if catalogue.get(agent) is None]
    assert not missing, f"{case.id}: unknown agents {missing}"


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.name)
def test_every_cited_source_is_a_listed_reference(path: Path, catalogue):
    case = load_case(path, catalogue)
    assert case.references, f"{case.id} cites no references"
    listed = {ref.id for ref in case.references}
    dangling = [(where, number) for where, number in all_sources(case) if number not in listed]
    assert not dangling, f"{case.id}: sources not in references: {dangling}"
    text = path.read_text(encoding="utf-8")
    bracketed = {int(n) for n in re.findall(r"\[(\d+)\]", text)}
    assert bracketed <= listed, f"{case.id}: cites {sorted(bracketed - listed)} in text but does not list them"


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.name)
def test_landmarks_are_unique_and_on_the_region(path: Path, catalogue):
    case = load_case(path, catalogue)
    region = case.body_region
    names = [landmark.name for landmark in region.landmarks]
    assert len(set(names)) == len(names)
    for landmark in region.landmarks:
        assert 0 <= landmark.x_mm <= region.width_mm and 0 <= landmark.y_mm <= region.height_mm, landmark.name


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.name)
def test_default_probe_sits_over_an_active_point_along_its_band(path: Path, catalogue):
    case = load_case(path, catalogue)
    probe = case.body_region.default_probe
    active = [tp for tp in case.trigger_points if tp.activity == "active"]
    nearest = min(active, key=lambda tp: (tp.x_mm - probe.x_mm) ** 2 + (tp.y_mm - probe.y_mm) ** 2)
    assert ((nearest.x_mm - probe.x_mm) ** 2 + (nearest.y_mm - probe.y_mm) ** 2) ** 0.5 <= 5.0
    difference = (probe.heading_deg - nearest.taut_band.direction_deg) % 180
    assert min(difference, 180 - difference) < 1e-6
    # The image must be deep enough to show the target.
    assert case.ultrasound.depth_cm * 10 > nearest.depth_mm + nearest.size.height_mm


def test_catalogue_has_the_required_agents_with_sourced_ceilings(catalogue):
    required = {
        "lidocaine_0_5", "lidocaine_1", "lidocaine_2", "bupivacaine_0_25", "lidocaine_1_triamcinolone",
        "normal_saline", "botulinum_toxin_a", "dry_needling", "traumeel",
    }
    assert required <= {agent.id for agent in catalogue.agents}
    lidocaine = catalogue.get("lidocaine_1").components[0]
    assert (lidocaine.ceiling.mg_per_kg, lidocaine.ceiling.max_mg) == (4.5, 300)  # docs/sources.md [98]
    assert (lidocaine.ceiling.mg_per_kg_with_epinephrine, lidocaine.ceiling.max_mg_with_epinephrine) == (7.0, 500)
    bupivacaine = catalogue.get("bupivacaine_0_25").components[0]
    assert (bupivacaine.ceiling.mg_per_kg, bupivacaine.ceiling.max_mg) == (2.0, 175)  # [99]
    assert catalogue.get("dry_needling").injectate is False and not catalogue.get("dry_needling").components
    assert set(catalogue.get("lidocaine_1_triamcinolone").classes) == {"amide", "steroid"}
    # Concentration follows the name: 0.5% is 5 mg/mL, 1% is 10, 2% is 20.
    for agent_id, mg_per_ml in (("lidocaine_0_5", 5.0), ("lidocaine_1", 10.0), ("lidocaine_2", 20.0)):
        assert catalogue.get(agent_id).components[0].mg_per_ml == mg_per_ml


def test_soreness_is_set_only_where_hong_measured_it(catalogue):
    # docs/sources.md [1]: 42% after 0.5% lidocaine, 100% after dry needling.
    assert catalogue.get("lidocaine_0_5").soreness_probability == 0.42
    assert catalogue.get("dry_needling").soreness_probability == 1.0
