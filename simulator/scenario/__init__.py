"""Case files: the schema (pydantic) and the loader that reports errors as file:line:col."""

from simulator.scenario.loader import CaseError, Diagnostic, load_agents, load_case, load_library
from simulator.scenario.schema import AgentCatalogue, Case

__all__ = ["AgentCatalogue", "Case", "CaseError", "Diagnostic", "load_agents", "load_case", "load_library"]
