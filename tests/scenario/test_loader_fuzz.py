"""Random damage to real cases never produces a traceback.

Structured mutations (delete a key, change a type, swap two values, insert junk) and raw
text damage are applied to the shipped cases and the test fixtures. `load_case` must
either return a Case or raise CaseError whose diagnostics are well formed, and
`tpi-sim validate` must exit 0 or 1 without printing a traceback.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import io
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator import paths
from simulator.cli import main
from simulator.scenario import Case, CaseError, load_agents, load_case
from simulator.scenario.loader import case_files

HERE = Path(__file__).parent
SOURCES = [*case_files(paths.SCENARIOS_DIR), HERE / "valid" / "minimal.yaml", HERE.parent / "fixtures" / "simple_case.yaml"]
SOURCES = [p for p in SOURCES if p.is_file()]
MODELINE = "# yaml-language-server: $schema=./scenario.schema.json\n"
FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

junk = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats() | st.text(max_size=12),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=6,
)


_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@functools.cache
def _parsed(source: Path):
    return yaml.load(source.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def mutated_text(source: Path, draw) -> str:
    case_data = copy.deepcopy(_parsed(source))
    mutate(case_data, draw)
    return MODELINE + yaml.dump(case_data, Dumper=_Dumper, sort_keys=False, allow_unicode=True)


@pytest.fixture(scope="module")
def catalogue():
    return load_agents()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


def all_paths(data, prefix=()):
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from all_paths(value, prefix + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from all_paths(value, prefix + (index,))


def get(data, path):
    for part in path:
        data = data[part]
    return data


def mutate(data, draw):
    """Apply one to three random edits to `data` in place (the root is never replaced)."""
    for _ in range(draw(st.integers(1, 3))):
        paths_ = [p for p in all_paths(data) if p]
        if not paths_:
            return
        path = draw(st.sampled_from(paths_))
        parent, last = get(data, path[:-1]), path[-1]
        action = draw(st.sampled_from(["delete", "retype", "swap", "insert"]))
        if action == "delete":
            del parent[last]
        elif action == "retype":
            parent[last] = draw(junk)
        elif action == "swap":
            other = draw(st.sampled_from(paths_))
            if other[: len(path)] != path and path[: len(other)] != other:
                other_parent = get(data, other[:-1])
                parent[last], other_parent[other[-1]] = other_parent[other[-1]], parent[last]
        elif isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=10))] = draw(junk)
        else:
            parent.insert(last, draw(junk))


def assert_well_formed(path: Path, text: str, error: CaseError) -> None:
    assert error.diagnostics, "a CaseError always says what is wrong"
    n_lines = text.count("\n") + 2
    for d in error.diagnostics:
        assert d.path == str(path)
        assert 1 <= d.line <= n_lines and d.col >= 1
        assert d.message and "\n" not in str(d) and "Traceback" not in d.message
        assert str(d).startswith(f"{path}:{d.line}:{d.col}: ")


def check(path: Path, text: str, catalogue) -> None:
    path.write_text(text, encoding="utf-8")
    try:
        result = load_case(path, catalogue)
    except CaseError as exc:
        assert_well_formed(path, text, exc)
    else:
        assert isinstance(result, Case)


@FUZZ
@given(source=st.sampled_from(SOURCES), data=st.data())
def test_structured_mutations_give_case_or_case_error(source, data, catalogue, workdir):
    check(workdir / "mutated.yaml", mutated_text(source, data.draw), catalogue)


@FUZZ
@given(
    source=st.sampled_from(SOURCES),
    edits=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 8), st.text(max_size=4)), min_size=1, max_size=4),
)
def test_text_damage_gives_case_or_case_error(source, edits, catalogue, workdir):
    text = source.read_text(encoding="utf-8")
    for where, cut, insert in edits:  # delete `cut` characters at a random place, insert junk there
        at = int(where * len(text))
        text = text[:at] + insert + text[at + cut:]
    check(workdir / "damaged.yaml", text, catalogue)


def run_cli(*argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue() + err.getvalue()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=st.sampled_from(SOURCES), data=st.data())
def test_validate_cli_exits_0_or_1_without_traceback(source, data, workdir):
    path = workdir / "cli.yaml"
    path.write_text(mutated_text(source, data.draw), encoding="utf-8")
    code, output = run_cli("validate", str(path))
    assert code in (0, 1)
    assert "Traceback" not in output
    assert (code == 0) == (output.strip() == f"ok {path}")
