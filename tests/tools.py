"""Loading a script from tools/ as a module, for the tests that keep a generated document current."""

from __future__ import annotations

import importlib.util

from simulator import paths


def load_tool(name: str):
    """tools/<name>.py as a module (its main() is not run)."""
    spec = importlib.util.spec_from_file_location(name, paths.PROJECT_ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
