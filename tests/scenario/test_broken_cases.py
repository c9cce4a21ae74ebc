"""The broken-file corpus: every bad case gets exactly the errors it declares, at the right place.

Each tests/scenario/broken/*.yaml ends with `# expect: LINE:COL: fragment` comments, one per
problem the file contains. The loader must report exactly that many problems, each at the
declared line:col with the fragment in `dotted.key: message`. Files that cannot carry a
comment (empty, binary, too large) are generated here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from simulator.scenario import CaseError, load_case

BROKEN = Path(__file__).parent / "broken"
MODELINE = "# yaml-language-server: $schema=./scenario.schema.json\n"
_EXPECT = re.compile(r"^# expect: (\d+):(\d+): (.+)$", re.MULTILINE)


def expectations(path: Path) -> list[tuple[int, int, str]]:
    return [(int(m[1]), int(m[2]), m[3]) for m in _EXPECT.finditer(path.read_text(encoding="utf-8"))]


def diagnostics_of(path: Path) -> list:
    with pytest.raises(CaseError) as caught:
        load_case(path)
    return caught.value.diagnostics


def assert_reports(path: Path, expected: list[tuple[int, int, str]]) -> None:
    found = diagnostics_of(path)
    shown = "\n".join(str(d) for d in found)
    assert len(found) == len(expected), f"expected {len(expected)} problem(s), got:\n{shown}"
    for line, col, fragment in expected:
        matches = [d for d in found if (d.line, d.col) == (line, col) and fragment in f"{d.key}: {d.message}"]
        assert matches, f"no problem at {line}:{col} containing {fragment!r}; got:\n{shown}"
    for d in found:
        assert str(d).startswith(f"{path}:{d.line}:{d.col}: ")
        assert "\n" not in str(d) and "Traceback" not in str(d)


CORPUS = sorted(BROKEN.glob("*.yaml"))


def test_corpus_is_large_enough():
    assert len(CORPUS) >= 30
    assert all(expectations(path) for path in CORPUS), "every broken file declares what it expects"


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_broken_file_reports_declared_problems(path):
    assert_reports(path, expectations(path))


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("empty.yaml", b"", [(1, 1, "missing schema modeline")] + [(1, 1, "the file has no content")]),
        ("modeline_only.yaml", MODELINE.encode(), [(1, 1, "the file has no content; expected a case")]),
        # byte 10 is a newline, so 0x80 (offset 128) sits on line 2 at column 128 - 11 + 1.
        ("binary.yaml", bytes(range(256)) * 4, [(2, 118, "not a UTF-8 text file: byte 0x80")]),
        ("nul.yaml", MODELINE.encode() + b"schema_version: 1\nid: a\x00b\n", [(3, 6, "unreadable character '\\x00'")]),
        ("latin1.yaml", MODELINE.encode() + "title: Café\n".encode("latin-1"), [(2, 11, "byte 0xe9")]),
    ],
)
def test_generated_broken_file(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    assert_reports(path, expected)


def test_file_over_one_megabyte_is_refused(tmp_path):
    path = tmp_path / "huge.yaml"
    filler = "# padding " + "x" * 90 + "\n"
    path.write_text(MODELINE + "schema_version: 1\n" + filler * (5 * 1024 * 1024 // len(filler)), encoding="utf-8")
    assert_reports(path, [(1, 1, "file is 5.0 MB; case files are limited to 1 MB")])


def test_missing_file(tmp_path):
    assert_reports(tmp_path / "nowhere.yaml", [(1, 1, "no such file")])


def test_every_error_reported_at_once(tmp_path):
    base = (Path(__file__).parent / "valid" / "minimal.yaml").read_text(encoding="utf-8")
    broken = base.replace("weight_kg: 65", "weight_kg: heavy").replace("position: prone", "position: upside_down")
    broken = broken.replace("difficulty: beginner", "difficulty: beginer")
    path = tmp_path / "three.yaml"
    path.write_text(broken, encoding="utf-8")
    found = diagnostics_of(path)
    assert [d.key for d in found] == ["difficulty", "patient.weight_kg", "patient.position"]  # in file order
    assert "did you mean 'beginner'" in found[0].message
