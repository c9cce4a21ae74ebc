"""Headless pygame for the UI tests: dummy video and audio drivers, sound off."""

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def library():
    from simulator.scenario import load_agents, load_library

    catalogue = load_agents()
    return load_library(catalogue=catalogue), catalogue


@pytest.fixture
def make_app(library, tmp_path):
    from simulator.ui.app import App, AppConfig

    apps = []

    def make(**overrides):
        cases, catalogue = library
        config = AppConfig(cases=cases, catalogue=catalogue, db_url=f"sqlite:///{tmp_path / 'attempts.db'}",
                           key_file=tmp_path / "signing.key", sound=False, seed=11)
        for key, value in overrides.items():
            setattr(config, key, value)
        app = App(config)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.close()


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="module")
def fonts():
    """The UI fonts, with a tiny display so surfaces can be converted; one per test module."""
    import pygame

    from simulator.render.palette import Fonts

    pygame.display.init()
    pygame.font.init()
    pygame.display.set_mode((64, 64))
    return Fonts()
