"""The attempt-store fixtures: each store test runs against SQLite and against PostgreSQL
(`database_url`, in tests/conftest.py)."""

from __future__ import annotations

import pytest

from simulator.records.store import open_store


@pytest.fixture
def key_file(tmp_path):
    return tmp_path / "keys" / "signing.key"


@pytest.fixture
def store(database_url, key_file):
    opened = open_store(database_url, key_file)
    yield opened
    opened.close()
