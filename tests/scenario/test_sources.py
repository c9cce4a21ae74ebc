"""The project's own source list: every number cited anywhere resolves to an entry of docs/sources.md,
each case copies its entries exactly, nothing points outside the repository, and the review status
and reference lines the picker and the debrief show."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.paths import AGENTS_FILE, PROJECT_ROOT, SCENARIOS_DIR
from simulator.scenario import load_agents, load_case
from simulator.scenario.sources import NOT_REVIEWED, cited_numbers, load_sources, reference_lines, review_note

CASE_FILES = sorted(p for p in SCENARIOS_DIR.glob("*.yaml") if p.name != AGENTS_FILE.name)
SOURCES = load_sources()


def tracked_text_files() -> list[Path]:
    names = subprocess.run(["git", "ls-files"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True).stdout
    return [PROJECT_ROOT / n for n in names.split() if n.endswith((".py", ".md", ".yaml", ".json", ".toml", ".txt"))]


def test_the_source_list_has_full_entries():
    assert len(SOURCES) >= 100
    for number, source in SOURCES.items():
        assert len(source.citation) > 20, number
        assert source.supports, f"[{number}] says nothing about what it supports"


def test_no_tracked_file_points_outside_the_repository():
    outside = re.compile("|".join(re.escape(s) for s in ("../" + "shared", "shared/" + "domain.md", "/work/" + "shared")))
    offenders = [str(p.relative_to(PROJECT_ROOT)) for p in tracked_text_files()
                 if outside.search(p.read_text(encoding="utf-8", errors="ignore"))]
    assert offenders == []


@pytest.mark.parametrize("path", CASE_FILES + [AGENTS_FILE], ids=lambda p: p.name)
def test_every_number_a_data_file_cites_is_in_the_source_list(path: Path):
    text = path.read_text(encoding="utf-8")
    numbers = set(cited_numbers([text]))
    numbers |= {int(n) for block in re.findall(r"sources: \[([\d, ]+)\]", text) for n in block.split(",")}
    missing = sorted(n for n in numbers if n not in SOURCES)
    assert missing == [], f"{path.name} cites {missing}, which docs/sources.md does not list"


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.name)
def test_case_references_copy_the_source_list(path: Path):
    case = load_case(path, load_agents())
    for reference in case.references:
        entry = SOURCES[reference.id]
        assert (reference.citation, reference.url) == (entry.citation, entry.url), reference.id


def test_the_sync_tool_reports_a_stale_case_and_passes_the_shipped_ones(tmp_path):
    tool = PROJECT_ROOT / "tools" / "sync_case_references.py"
    ok = subprocess.run([sys.executable, str(tool), "--check"], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout
    sys.path.insert(0, str(tool.parent))
    try:
        import sync_case_references as sync
    finally:
        sys.path.remove(str(tool.parent))
    text = CASE_FILES[0].read_text(encoding="utf-8")
    stale = text.replace("teaching_points:\n", "teaching_points:\n    - \"Göbel used 40 U a point [124].\"\n", 1)
    assert "id: 124" in sync.synced(stale, SOURCES)
    assert sync.synced(text, SOURCES) == text


def test_code_and_docs_cite_only_listed_numbers():
    cited = set()
    for path in tracked_text_files():
        if path.suffix in (".py", ".md") and "tests" not in path.parts:
            text = path.read_text(encoding="utf-8")
            cited |= {int(n) for n in re.findall(r"(?<![\w\]\[)'\"])\[(\d{1,3})\](?!\()", text)}
    assert sorted(n for n in cited if n not in SOURCES) == []


def test_review_note_says_when_a_case_is_not_reviewed():
    case = load_case(CASE_FILES[0], load_agents())
    assert not case.author.reviewed_by
    assert review_note(case) == NOT_REVIEWED == "Not yet clinically reviewed"
    reviewed = case.model_copy(update={"author": case.author.model_copy(update={"reviewed_by": "Dr A Physiatrist"})})
    assert review_note(reviewed) == "Clinically reviewed by Dr A Physiatrist"


def test_reference_lines_resolve_the_numbers_the_text_shows():
    case = load_case(SCENARIOS_DIR / "s9_scm_whiplash.yaml", load_agents())
    lines = reference_lines(case, ["Refer for CT angiography [210][212].", "Also [210] and [999]."])
    assert [line.split("]")[0] for line in lines] == ["[210", "[212"]
    assert "Denver" in lines[0] or "cerebrovascular" in lines[0]
    assert reference_lines(case, ["No citation here."]) == []
