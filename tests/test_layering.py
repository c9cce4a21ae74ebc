"""The headless core must never pull in pygame (design rule: model code never imports pygame).

Every module of the scenario, core and records packages, and the commands that must work
without a display, are imported one after another in a fresh interpreter, so a stray
`import pygame` anywhere in them fails here, naming the module that brought it in. This is
the one place the rule is checked.

The same file keeps the packages free of import circles: no module names, in any import
statement, a module that imports it back.
"""

import ast
import subprocess
import sys
from pathlib import Path

import simulator

PACKAGE = Path(simulator.__file__).resolve().parent
MODEL_PACKAGES = ("scenario", "core", "records")
# Commands that must work on a machine without a display stack loaded.
HEADLESS_COMMANDS = ["simulator.commands.validate", "simulator.commands.schema", "simulator.commands.replay",
                     "simulator.commands.inspect", "simulator.commands.new",
                     "simulator.commands.render"]


def _module_name(path: Path, root: Path = PACKAGE.parent) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


# Every .py file on disk, so a module in a folder without __init__.py (which a package walk
# would silently miss) is checked too.
# Alembic's migration scripts (records/migrations) are run by Alembic on a connection, never imported.
HEADLESS = sorted(_module_name(p) for name in MODEL_PACKAGES for p in (PACKAGE / name).rglob("*.py")
                  if "migrations" not in p.parts)
HEADLESS += ["simulator.files", "simulator.paths", *HEADLESS_COMMANDS]


def test_the_list_covers_every_model_module_the_program_loads():
    """Independent of how the list is built: every model module that the engine, the loader, the
    records and the headless commands actually load is in it."""
    code = (
        "import sys, importlib\n"
        f"for name in {HEADLESS_COMMANDS + ['simulator.core.session', 'simulator.core.ultrasound']!r}:\n"
        "    importlib.import_module(name)\n"
        f"print('\\n'.join(m for m in sys.modules if m.split('.')[:2] in {[['simulator', n] for n in MODEL_PACKAGES]!r}))\n"
    )
    loaded = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split())
    assert len(loaded) >= 40  # the engine really loaded its modules
    assert sorted(loaded - set(HEADLESS)) == []


def test_headless_modules_do_not_import_pygame():
    code = (
        "import sys, importlib\n"
        f"for name in {HEADLESS!r}:\n"
        "    importlib.import_module(name)\n"
        "    if 'pygame' in sys.modules:\n"
        "        print(name); break\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{out.stdout.strip()} imports pygame"


# The database lives behind records.store: the engine, the case loader and the attempt model
# load without SQLAlchemy, Alembic or a PostgreSQL driver (a station that only practises, and
# the headless commands, never pay for them).
DATABASE_MODULES = ("sqlalchemy", "alembic", "psycopg")
DATABASE_FREE = sorted(_module_name(p) for name in ("scenario", "core") for p in (PACKAGE / name).rglob("*.py"))
DATABASE_FREE += ["simulator.records.attempt", "simulator.records.store"]


def _first_database_import(modules: list[str]) -> str:
    """`module imports package` for the first module in `modules` that loads a database package, else ''."""
    code = (
        "import sys, importlib\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"    found = [m for m in {DATABASE_MODULES!r} if m in sys.modules]\n"
        "    if found:\n"
        "        print(name, 'imports', found[0]); break\n"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def test_core_scenario_and_the_attempt_model_do_not_import_a_database():
    assert len(DATABASE_FREE) >= 40
    assert _first_database_import(DATABASE_FREE) == ""


def test_the_database_check_names_a_module_that_imports_one():
    assert _first_database_import(["simulator.records.attempt", "simulator.records.sql_store"]) == \
        "simulator.records.sql_store imports sqlalchemy"


def _imports(package: Path) -> dict[str, set[str]]:
    """Module -> the modules of the same tree it names in any import statement, anywhere in the
    file (a TYPE_CHECKING block or a function body counts: it still ties the two files together)."""
    modules = {_module_name(p, package.parent): p for p in package.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        named: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                named.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                named.update(f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in modules
                             else node.module for alias in node.names)
        graph[name] = {m for m in named if m in modules and m != name}
    return graph


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each import circle once, as the path from a module back to itself."""
    found, done = [], set()

    def visit(name: str, path: list[str]) -> None:
        for target in sorted(graph[name]):
            if target in path:
                circle = path[path.index(target):]
                if frozenset(circle) not in done:
                    done.add(frozenset(circle))
                    found.append(circle + [target])
            elif target not in visited:
                visit(target, path + [target])
        visited.add(name)

    visited: set[str] = set()
    for start in sorted(graph):
        if start not in visited:
            visit(start, [start])
    return found


def test_no_module_imports_one_that_imports_it_back():
    """Import circles (even a TYPE_CHECKING-only one) make a module's meaning depend on load order."""
    assert _circles(_imports(PACKAGE)) == []


def test_the_circle_check_finds_a_type_checking_circle(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "model.py").write_text("from pkg.cut import compute\n")
    (package / "cut.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.model import Model\n"
    )
    (package / "alone.py").write_text("import pkg.cut\n")
    assert _circles(_imports(package)) == [["pkg.cut", "pkg.model", "pkg.cut"]]
