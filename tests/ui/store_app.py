"""The app's attempt store for a UI test: a SQLite file and a signing key in the test's own folder."""

from __future__ import annotations

from pathlib import Path


def store_settings(folder: Path) -> dict:
    """AppConfig overrides: attempts and the key under `folder`, never in the user's data folders."""
    return {"db_url": f"sqlite:///{Path(folder) / 'attempts.db'}", "key_file": Path(folder) / "signing.key"}
