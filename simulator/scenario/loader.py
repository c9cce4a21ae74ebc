"""YAML -> validated, frozen models, with every error reported as `file:line:col: key: message`.

The pipeline is: read (size limit, UTF-8), parse safely with positions (yaml_positions),
validate with pydantic in strict mode (no numbers-as-text), then the cross-checks. Every
problem found on the way is collected, so an author sees all of them in one run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from simulator import paths
from simulator.files import FileProblem, decode_utf8, read_regular_bytes
from simulator.scenario.assets import resolve_asset
from simulator.scenario.crosscheck import Finding, check_case, check_catalogue
from simulator.scenario.messages import describe, dotted, locate_validation_error
from simulator.scenario.schema import AgentCatalogue, Case
from simulator.scenario.yaml_positions import Positions, YamlIssue, load_yaml

MAX_FILE_BYTES = 1024 * 1024
MODELINE = "# yaml-language-server: $schema=./scenario.schema.json"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# yaml-language-server reads a comment as its modeline only with a space after `#` (`^#\s+yaml-language-server\s*:`).
_MODELINE_RE = re.compile(r"^#\s+yaml-language-server\s*:\s*\$schema=\S*scenario\.schema\.json\s*$")
_NO_SPACE_RE = re.compile(r"^#yaml-language-server\s*:")

Model = TypeVar("Model", bound=BaseModel)


@dataclass(frozen=True)
class Diagnostic:
    """One problem in one file; `str()` gives `path:line:col: dotted.key: message`."""

    path: str
    line: int
    col: int
    key: str
    message: str

    def __str__(self) -> str:
        key = f"{_one_line(self.key)}: " if self.key else ""
        return f"{self.path}:{self.line}:{self.col}: {key}{_one_line(self.message)}"


def _one_line(text: str) -> str:
    """Control characters (a key can contain a newline) shown escaped, so one problem is one line."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


class CaseError(Exception):
    """A case or catalogue file is invalid; `diagnostics` lists every problem found."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("\n".join(str(d) for d in diagnostics))


def _error(path: Path, message: str, line: int = 1, col: int = 1, key: str = "") -> CaseError:
    return CaseError([Diagnostic(str(path), line, col, key, message)])


# YAML also ends a line at these, so its line numbers would no longer match an editor's.
_UNUSUAL_BREAKS = {"\x85": "U+0085 (next line)", "\u2028": "U+2028 (line separator)",
                   "\u2029": "U+2029 (paragraph separator)"}


def _read_text(path: Path) -> str:
    """The file's text, or CaseError for a missing, oversized, non-regular or non-text file."""
    try:
        text = decode_utf8(read_regular_bytes(path, MAX_FILE_BYTES, "case files"))
    except FileProblem as problem:
        raise _error(path, problem.message, problem.line, problem.col) from None
    for char, name in _UNUSUAL_BREAKS.items():
        at = text.find(char)
        if at >= 0:
            line = text.count("\n", 0, at) + 1
            col = at - (text.rfind("\n", 0, at) + 1) + 1
            raise _error(path, f"the character {name} is a hidden line break; use plain newlines", line, col)
    return text


def _modeline_problem(text: str, pattern: re.Pattern = _MODELINE_RE, modeline: str = MODELINE,
                      what: str = "the case") -> str | None:
    """A message when the leading comment lines lack the yaml-language-server schema modeline."""
    for line in text.splitlines():
        stripped = line.strip()
        if pattern.match(stripped):
            return None
        if _NO_SPACE_RE.match(stripped):
            return f"editors ignore a schema modeline without a space after `#`; write it as: {modeline}"
        if stripped and not stripped.startswith("#"):
            break
    return (
        f"missing schema modeline; add this as the first line so editors check {what} while you type: "
        f"{modeline}"
    )


def _from_findings(path: Path, positions: Positions, findings: list[Finding]) -> list[Diagnostic]:
    result = []
    for finding in findings:
        line, col = positions.nearest(finding.path, key=finding.at_key)
        result.append(Diagnostic(str(path), line, col, dotted(finding.path), finding.message))
    return result


def _under(path: tuple, prefixes: list[tuple]) -> bool:
    return any(path[: len(prefix)] == prefix for prefix in prefixes)


def _parse_and_validate(
    path: Path, model: type[Model], *, need_modeline: bool, refused: list | None = None,
    modeline_problem=_modeline_problem, what: str | None = None,
) -> tuple[Model | None, Positions, list[Diagnostic]]:
    """Everything up to and including pydantic: the model (or None), positions, problems so far.

    When pydantic refuses the data, (data, ValidationError) is appended to `refused` if given.
    `what` names the expected content in messages (default: a case, or an agents catalogue);
    `modeline_problem(text)` checks the modeline when `need_modeline` (other file kinds name another schema).
    """
    text = _read_text(path)
    diagnostics: list[Diagnostic] = []
    if need_modeline:
        problem = modeline_problem(text)
        if problem:
            diagnostics.append(Diagnostic(str(path), 1, 1, "", problem))
    try:
        data, positions, issues = load_yaml(text)
    except YamlIssue as issue:
        raise CaseError(diagnostics + [Diagnostic(str(path), issue.line, issue.col, dotted(issue.path), issue.message)])
    diagnostics += [Diagnostic(str(path), i.line, i.col, dotted(i.path), i.message) for i in issues]
    if isinstance(data, dict) and data.get("schema_version") == 1:
        _alias_version_1_positions(positions)
    what = what or ("a case" if model is Case else "an agents catalogue")
    first_key = "exam_version" if "exam_version" in model.model_fields else "schema_version"
    if data is None:
        diagnostics.append(
            Diagnostic(str(path), 1, 1, "", f"the file has no content; expected {what} starting with `{first_key}: 1`")
        )
        return None, positions, diagnostics
    if not isinstance(data, dict):
        line, col = positions.nearest(())
        diagnostics.append(
            Diagnostic(
                str(path), line, col, "",
                f"expected {what}: a mapping of keys (`{first_key}: 1`, ...) at the top of the file, got {describe(data)}",
            )
        )
        return None, positions, diagnostics
    try:
        # YAML uses the schema's key names only (`class`, never `allergy_class`), as the editor does.
        return model.model_validate(data, strict=True, by_alias=True, by_name=False), positions, diagnostics
    except ValidationError as exc:
        if refused is not None:
            refused.append((data, exc))
        skip = [issue.path for issue in issues]  # values already reported as duplicates or refused tags
        located = [loc for loc in locate_validation_error(exc, data, positions, model) if not _under(loc.path, skip)]
        diagnostics += [Diagnostic(str(path), loc.line, loc.col, dotted(loc.path), loc.message) for loc in located]
        return None, positions, diagnostics


def _alias_version_1_positions(positions: Positions) -> None:
    """A version-1 file's `contraindicated` list is read as `not_recommended` (schema.py): problems
    found under the new name point at the lines of the old one."""
    old, new = ("agent_policy", "contraindicated"), ("agent_policy", "not_recommended")
    for table in (positions.values, positions.keys):
        for where, at in list(table.items()):
            if where[:2] == old:
                table.setdefault(new + where[2:], at)


def _finish(model: Any, diagnostics: list[Diagnostic]) -> Any:
    if diagnostics:
        ordered = sorted(dict.fromkeys(diagnostics), key=lambda d: (d.line, d.col))
        raise CaseError(ordered)
    return model


def load_agents(path: Path | str = paths.AGENTS_FILE) -> AgentCatalogue:
    """Load and check the agents catalogue; CaseError lists every problem."""
    path = Path(path)
    catalogue, positions, diagnostics = _parse_and_validate(path, AgentCatalogue, need_modeline=False)
    if catalogue is not None:
        diagnostics += _from_findings(path, positions, check_catalogue(catalogue))
    return _finish(catalogue, diagnostics)


def _default_catalogue() -> AgentCatalogue | None:
    return load_agents(paths.AGENTS_FILE) if paths.AGENTS_FILE.is_file() else None


def load_case(path: Path | str, catalogue: AgentCatalogue | None = None) -> Case:
    """Load one case; CaseError lists every problem, each at its line:col.

    Agent ids are checked against `catalogue`, or the shipped scenarios/agents.yaml when
    none is given (an invalid catalogue is reported as its own errors).
    """
    path = Path(path)
    return _load_case(path, catalogue if catalogue is not None else _DEFAULT)[0]


def check_case_file(path: Path | str, catalogue: AgentCatalogue | None) -> Case:
    """Like load_case, but `catalogue=None` skips the agent check instead of loading the default."""
    return _load_case(Path(path), catalogue)[0]


_DEFAULT = object()  # load_case's "use the shipped catalogue" marker


def _load_case(path: Path, catalogue: Any) -> tuple[Case, Positions]:
    refused: list = []
    case, positions, diagnostics = _parse_and_validate(path, Case, need_modeline=True, refused=refused)
    if case is not None:
        if catalogue is _DEFAULT:
            catalogue = _default_catalogue()  # only once the case itself is valid
        diagnostics += _from_findings(path, positions, check_case(case, catalogue))
        diagnostics += _attach_asset(path, positions, case)
    elif refused:  # structural errors: cross-check what can be checked anyway, so all problems show at once
        from simulator.scenario.salvage import salvage_findings

        if catalogue is _DEFAULT:
            catalogue = _default_catalogue()
        diagnostics += _from_findings(path, positions, salvage_findings(*refused[0], catalogue))
    return _finish(case, diagnostics), positions


def _attach_asset(path: Path, positions: Positions, case: Case) -> list[Diagnostic]:
    """Resolve and check the case's drawing once; the palpation view draws only the file kept here."""
    name = case.body_region.drawing.asset
    if name is None:
        return []
    try:
        case._asset_file = resolve_asset(name, path.parent)
    except ValueError as exc:
        key_path = ("body_region", "drawing", "asset")
        line, col = positions.nearest(key_path)
        return [Diagnostic(str(path), line, col, dotted(key_path), str(exc))]
    return []


def natural_key(text: str) -> list:
    """Sort key that reads numbers as numbers, so case s2 comes before s10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def case_files(folder: Path | str) -> list[Path]:
    """The case files directly in `folder`: every *.yaml except agents.yaml, in natural name order."""
    found = [p for p in Path(folder).glob("*.yaml") if p.name != paths.AGENTS_FILE.name and p.is_file()]
    return sorted(found, key=lambda p: natural_key(p.name))


def find_case_file(name: str, folder: Path | str = paths.SCENARIOS_DIR) -> Path | None:
    """CASE as a user types it: a path, else `<folder>/<name>.yaml`, else the case whose `id` is
    `name`, else the one case file whose name starts with `name`. None when nothing (or more
    than one file) fits."""
    path = Path(name)
    if path.is_file() or (path.exists() and not path.is_dir()):
        return path  # a FIFO or device too, so the loader says what it is instead of "no such case"
    folder = Path(folder)
    if not folder.is_dir():
        return None
    direct = folder / f"{name}.yaml"
    if direct.is_file():
        return direct
    candidates = case_files(folder)
    for candidate in candidates:
        try:
            head = candidate.read_text(encoding="utf-8")[:4096]
        except (OSError, UnicodeDecodeError):
            continue
        if re.search(rf"^id:\s*['\"]?{re.escape(name)}['\"]?\s*(#.*)?$", head, re.MULTILINE):
            return candidate
    # "s1" means s1_..., not s10_...: a prefix that ends at a word break wins over a bare one.
    prefixed = [c for c in candidates if re.match(rf"{re.escape(name)}([_-]|$)", c.stem)]
    prefixed = prefixed or [c for c in candidates if c.name.startswith(name)]
    return prefixed[0] if len(prefixed) == 1 else None


def agents_file_for(case_path: Path | str, explicit: Path | str | None = None) -> Path | None:
    """The catalogue a case's agent ids mean: `explicit` (--agents), else an agents.yaml beside
    the case, else the shipped one (None when even that is missing). Every command that loads
    a case asks this, so a case that validates also renders, replays and plays."""
    if explicit is not None:
        return Path(explicit)
    beside = Path(case_path).parent / paths.AGENTS_FILE.name
    if beside.is_file():
        return beside
    return paths.AGENTS_FILE if paths.AGENTS_FILE.is_file() else None


def open_case(name: str, agents: Path | str | None = None) -> tuple[Path, Case, AgentCatalogue | None]:
    """CASE as typed on the command line (file or id) -> (its file, the case, its catalogue).

    CaseError lists every problem: no such case, a bad catalogue, or the case's own problems.
    """
    path = find_case_file(name)
    if path is None:
        message = "no such case file, and no case with this id in the scenarios folder"
        raise CaseError([Diagnostic(name, 1, 1, "", message)])
    catalogue_file = agents_file_for(path, agents)
    catalogue = load_agents(catalogue_file) if catalogue_file is not None else None
    return path, check_case_file(path, catalogue), catalogue


def load_library(folder: Path | str = paths.SCENARIOS_DIR, catalogue: AgentCatalogue | None = None) -> list[Case]:
    """Every case in `folder`, in natural id order (s2 before s10); CaseError lists the problems of all files at once."""
    folder = Path(folder)
    if catalogue is None:
        local = folder / paths.AGENTS_FILE.name
        catalogue = load_agents(local) if local.is_file() else _default_catalogue()
    cases: list[Case] = []
    diagnostics: list[Diagnostic] = []
    first_file: dict[str, Path] = {}
    for path in case_files(folder):
        try:
            case, positions = _load_case(path, catalogue)
        except CaseError as exc:
            diagnostics += exc.diagnostics
            continue
        if case.id in first_file:
            line, col = positions.nearest(("id",))
            message = f"case id '{case.id}' is already used by {first_file[case.id]}"
            diagnostics.append(Diagnostic(str(path), line, col, "id", message))
            continue
        first_file[case.id] = path
        cases.append(case)
    if diagnostics:
        raise CaseError(diagnostics)
    return sorted(cases, key=lambda case: natural_key(case.id))
