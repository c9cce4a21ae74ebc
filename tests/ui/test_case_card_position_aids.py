"""`patient.position_aids`: the supports an author lists (a pillow under the abdomen, a wedge for a
left lateral tilt) are validated and shown on the case card; a case without them shows nothing new."""

from __future__ import annotations

import json

import numpy as np
import pygame
import pytest

from simulator import paths
from simulator.render.case_card import render_case_card
from simulator.scenario import CaseError, load_case
from tests.case_files import write_case

CASE = paths.SCENARIOS_DIR / "s1_upper_trapezius_thin.yaml"
POSITION_LINE = "  position: prone  # [15][43]: prone or seated; dry-needling protocols use prone\n"
AIDS = ["pillow under the abdomen", "wedge for a left lateral tilt"]


def _case_with_aids(tmp_path, aids_yaml: str):
    text = CASE.read_text(encoding="utf-8")
    assert text.count(POSITION_LINE) == 1
    return write_case(tmp_path / CASE.name, text.replace(POSITION_LINE, POSITION_LINE + f"  position_aids: {aids_yaml}\n"))


def test_listed_aids_load_in_order(tmp_path):
    case = load_case(_case_with_aids(tmp_path, json.dumps(AIDS)))
    assert case.patient.position_aids == AIDS
    assert load_case(CASE).patient.position_aids == []  # optional


def test_an_empty_aid_is_refused_at_its_line(tmp_path):
    path = _case_with_aids(tmp_path, '["pillow under the abdomen", ""]')
    with pytest.raises(CaseError) as caught:
        load_case(path)
    message = str(caught.value.diagnostics[0])
    assert "patient.position_aids[1]" in message and "empty" in message


def test_the_schema_offers_position_aids():
    schema = json.loads(paths.SCHEMA_FILE.read_text(encoding="utf-8"))
    field = schema["$defs"]["Patient"]["properties"]["position_aids"]
    assert field["type"] == "array" and field["items"]["minLength"] == 1


def test_the_case_card_lists_the_aids_after_the_chart(tmp_path, fonts):
    plain_case = load_case(CASE)
    aided_case = load_case(_case_with_aids(tmp_path, json.dumps(AIDS)))
    plain = render_case_card(plain_case, fonts, 360, hints=False)
    aided = render_case_card(aided_case, fonts, 360, hints=False)
    line_px = fonts.regular(13).get_linesize()
    assert aided.get_height() >= plain.get_height() + 2 * line_px + 17  # a heading and one line per aid
    top = plain.get_height() - 8  # everything above the new section is unchanged
    old = pygame.surfarray.array3d(plain)[:, :top]
    assert np.array_equal(pygame.surfarray.array3d(aided)[:, :top], old)
    added = pygame.surfarray.array3d(aided)[:, top:]
    rows_with_text = int((added.std(axis=(0, 2)) > 3).sum())
    assert rows_with_text >= 3 * line_px // 2  # the heading and both aids are drawn, not blank space
