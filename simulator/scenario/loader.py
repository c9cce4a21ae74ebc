"""YAML -> validated, frozen models, with every error reported as `file:line:col: key: message`.

(Minimal first version: safe loading and pydantic validation. Line mapping, size and
alias limits and cross-checks are being added.)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from simulator.paths import AGENTS_FILE
from simulator.scenario.schema import AgentCatalogue, Case


@dataclass(frozen=True)
class Diagnostic:
    path: str
    line: int
    col: int
    key: str
    message: str

    def __str__(self) -> str:
        key = f"{self.key}: " if self.key else ""
        return f"{self.path}:{self.line}:{self.col}: {key}{self.message}"


class CaseError(Exception):
    """A case or catalogue file is invalid; `diagnostics` lists every problem found."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("\n".join(str(d) for d in diagnostics))


def _load(path: Path, model):
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return model.model_validate(data)
    except yaml.YAMLError as exc:
        raise CaseError([Diagnostic(str(path), 1, 1, "", f"YAML syntax error: {exc}")]) from None
    except ValidationError as exc:
        raise CaseError(
            [Diagnostic(str(path), 1, 1, ".".join(map(str, e["loc"])), e["msg"]) for e in exc.errors()]
        ) from None


def load_agents(path: Path | str = AGENTS_FILE) -> AgentCatalogue:
    return _load(Path(path), AgentCatalogue)


def load_case(path: Path | str, catalogue: AgentCatalogue | None = None) -> Case:
    return _load(Path(path), Case)
