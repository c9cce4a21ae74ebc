"""Property test: hostile variants of the shipped cases and replays keep the whole promise.

Hypothesis drives the structure-aware mutations of tools/fuzz_inputs.py (numbers pushed past
the schema's edges, repeated or emptied lists, points a hair apart, hostile JSON values, huge
gaps, repeated lines, broken bytes), so a failure shrinks to one small edit. Each variant must
give a clean error or run normally: no traceback, no more than its CPU-time budget, and a
case that validates also builds a session, plays a short procedure, renders an ultrasound
frame and draws the palpation view. `python tools/fuzz.py` runs the same check over
thousands of fixed-seed variants.
"""

from __future__ import annotations

import importlib.util
import os
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator import paths

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
_spec = importlib.util.spec_from_file_location("fuzz_inputs", paths.PROJECT_ROOT / "tools" / "fuzz_inputs.py")
fuzz = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("fuzz_inputs", fuzz)  # dataclasses look their module up there
_spec.loader.exec_module(fuzz)

BUDGET_S = 20.0  # CPU seconds per variant; a sound one takes well under 2
PROPERTY = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


class DrawChooser:
    """fuzz_inputs.Chooser backed by hypothesis, so failing examples shrink."""

    def __init__(self, data):
        self.data = data

    def choice(self, options):
        return self.data.draw(st.sampled_from(list(options)))

    def integer(self, low, high):
        return self.data.draw(st.integers(low, high))


@pytest.fixture(scope="module")
def catalogue():
    from simulator.scenario import load_agents

    return load_agents()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("hostile")


@pytest.mark.parametrize("source", fuzz.case_sources(), ids=lambda p: p.stem)
def test_every_shipped_case_keeps_the_promise_unchanged(source, catalogue, workdir):
    outcome = fuzz.check_case_variant(workdir / source.name, source.read_text(encoding="utf-8"), catalogue, BUDGET_S)
    assert outcome.valid


@settings(PROPERTY, max_examples=20)
@given(data=st.data())
def test_hostile_case_variants_load_cleanly_and_play_if_they_validate(data, catalogue, workdir):
    _, text = fuzz.mutate_case(DrawChooser(data))
    fuzz.check_case_variant(workdir / "variant.yaml", text, catalogue, BUDGET_S)


@settings(PROPERTY, max_examples=25)
@given(data=st.data())
def test_hostile_replay_variants_score_or_give_one_located_error(data, workdir):
    source, body = fuzz.mutate_replay(DrawChooser(data))
    fuzz.check_replay_variant(fuzz.case_for_replay(source), workdir / "variant.jsonl", body, BUDGET_S)


def test_a_variant_that_breaks_the_promise_is_caught(catalogue, workdir):
    """The checker itself: an endless loop is a hang, not a wait, and a crash is reported as one."""
    with pytest.raises(fuzz.Broken, match="hang"):
        with fuzz.cpu_budget(0.2):
            while True:
                pass
    with pytest.raises(fuzz.Broken, match="bad message|traceback"):
        fuzz.check_replay_variant(paths.SCENARIOS_DIR / "no_such_case.yaml", workdir / "r.jsonl", b"")
