"""Exam files: YAML -> a validated Exam with its cases loaded, every problem as `file:line:col: key: message`.

The same pipeline as a case (scenario.loader): size limit, UTF-8, positions, strict pydantic,
then the cross-checks, all problems collected so the author sees them in one run. The
cross-checks here are the exam's own: each case entry names a case that exists and is valid
(its own problems are listed too), no case is listed twice, and all cases share one agents
catalogue (the trainer runs an exam with one catalogue).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from simulator.scenario.exam_schema import Exam
from simulator.scenario.loader import (
    CaseError, Diagnostic, _modeline_problem, _parse_and_validate, agents_file_for, check_case_file,
    find_case_file, load_agents,
)
from simulator.scenario.messages import dotted
from simulator.scenario.schema import AgentCatalogue, Case

EXAM_SCHEMA_NAME = "exam.schema.json"
EXAM_MODELINE = f"# yaml-language-server: $schema=../{EXAM_SCHEMA_NAME}"  # exams live in scenarios/exams/
_EXAM_MODELINE_RE = re.compile(r"^#\s+yaml-language-server\s*:\s*\$schema=\S*exam\.schema\.json\s*$")
_EXAM_MARK_RE = re.compile(r"^(exam_version\s*:|#\s*yaml-language-server\s*:\s*\$schema=\S*exam\.schema\.json)",
                           re.MULTILINE)


@dataclass(frozen=True)
class LoadedExam:
    """An exam ready to run: the file, the model, each case with its file, one catalogue."""

    path: Path
    exam: Exam
    cases: tuple[Case, ...]
    case_files: tuple[Path, ...]
    catalogue: AgentCatalogue | None


def looks_like_exam(text: str) -> bool:
    """True for an exam file's text: an `exam_version:` key or a modeline naming exam.schema.json.
    `tpi-sim validate` checks such a file as an exam, every other YAML file as a case."""
    return bool(_EXAM_MARK_RE.search(text))


def resolve_case_entry(entry: str, exam_path: Path) -> Path | None:
    """The case file an exam entry names: a path relative to the exam file (anything with a slash or
    a .yaml/.yml ending), else a case id of the shipped library. None when there is no such file."""
    if "/" in entry or "\\" in entry or entry.endswith((".yaml", ".yml")):
        path = Path(exam_path).parent / entry
        return path if path.is_file() else None
    return find_case_file(entry) if re.fullmatch(r"[a-z0-9][a-z0-9_-]*", entry) else None


def _exam_modeline_problem(text: str) -> str | None:
    return _modeline_problem(text, _EXAM_MODELINE_RE, EXAM_MODELINE, "the exam")


def _ordered(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(dict.fromkeys(diagnostics), key=lambda d: (d.line, d.col))


def load_exam(path: Path | str) -> LoadedExam:
    """Load an exam and every case it names; CaseError lists every problem, each at its line:col."""
    path = Path(path)
    exam, positions, diagnostics = _parse_and_validate(path, Exam, need_modeline=True,
                                                       modeline_problem=_exam_modeline_problem, what="an exam")
    if exam is None:
        raise CaseError(_ordered(diagnostics))
    cases: list[Case] = []
    files: list[Path] = []
    catalogues: dict[Path, AgentCatalogue | None] = {}
    seen: dict[Path, int] = {}
    case_problems: list[Diagnostic] = []  # the cases' own problems, after the exam's

    def problem(index: int, message: str) -> None:
        key = ("cases", index, "case")
        line, col = positions.nearest(key)
        diagnostics.append(Diagnostic(str(path), line, col, dotted(key), message))

    for index, entry in enumerate(exam.cases):
        case_path = resolve_case_entry(entry.case, path)
        if case_path is None:
            problem(index, f"no case {entry.case!r}: neither a case file relative to this exam nor a shipped case id")
            continue
        resolved = case_path.resolve()
        if resolved in seen:
            problem(index, f"case {entry.case!r} is already listed as case {seen[resolved] + 1}; list each case once")
            continue
        seen[resolved] = index
        catalogue_file = agents_file_for(case_path)
        key = catalogue_file.resolve() if catalogue_file is not None else Path()
        try:
            if key not in catalogues:
                catalogues[key] = load_agents(catalogue_file) if catalogue_file is not None else None
            case = check_case_file(case_path, catalogues[key])
        except CaseError as exc:
            problem(index, f"case file {case_path} has {len(exc.diagnostics)} problem(s), listed below")
            case_problems.extend(exc.diagnostics)
            continue
        cases.append(case)
        files.append(case_path)
    if len(catalogues) > 1:
        problem(0, "the cases use different agents catalogues (an agents.yaml beside some of them); an exam's "
                   "cases must share one catalogue")
    if diagnostics or case_problems:
        raise CaseError(_ordered(diagnostics) + case_problems)
    return LoadedExam(path, exam, tuple(cases), tuple(files), next(iter(catalogues.values()), None))
