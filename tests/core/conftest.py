"""Shared fixtures for the core tests: the small fixture case and the shipped agents catalogue."""

from pathlib import Path

import pytest

from simulator.scenario import load_agents, load_case

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "simple_case.yaml"


@pytest.fixture(scope="session")
def case():
    return load_case(FIXTURE)


@pytest.fixture(scope="session")
def catalogue():
    return load_agents()


@pytest.fixture(scope="session")
def library(catalogue):
    """The shipped cases by short id (s1 .. s10)."""
    from simulator.scenario import load_library

    return {case.id.split("_")[0]: case for case in load_library(catalogue=catalogue)}
