"""Test-wide settings: headless pygame, and reproducible property tests in CI.

Locally hypothesis explores new random examples on every run (that is how it finds bugs);
in CI (`CI` set) it runs a fixed, derandomised set so a landing never depends on luck.
"""

import os

import pytest
from hypothesis import settings

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
# the trainer's table cache and reserved seeds (tpi-sim play, the real-window tests) stay out of the user's cache folder
if "TPI_SIM_CACHE_DIR" not in os.environ:
    import atexit
    import shutil
    import tempfile

    os.environ["TPI_SIM_CACHE_DIR"] = tempfile.mkdtemp(prefix="tpi-sim-test-cache-")
    atexit.register(shutil.rmtree, os.environ["TPI_SIM_CACHE_DIR"], ignore_errors=True)

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

# The real-window tests (tests/ui/test_real_window*.py) drive the app under a virtual X server.
REAL_WINDOW_TOOLS = {"Xvfb": "xvfb", "xdotool": "xdotool", "import": "imagemagick"}


def pytest_collection_modifyitems(session, config, items):
    """On a machine without the real-window tools or the PostgreSQL server, stop before running
    anything and say in one line what to install, instead of one failure after a long run (the
    README's test command). Never a skip: the store tests must run against both databases."""
    import shutil

    import pytest

    from tests.postgres_server import DEBIAN_PACKAGE, server_bin

    needs_server = {"postgres_server", "database_url"}
    if any(needs_server & set(getattr(item, "fixturenames", ())) for item in items) and server_bin() is None:
        pytest.exit(f"the attempt-store tests need a PostgreSQL server (Debian package {DEBIAN_PACKAGE}); install it "
                    f"first: sudo apt-get install -y {DEBIAN_PACKAGE}", returncode=4)
    if not any(item.path.name.startswith("test_real_window") for item in items):
        return
    missing = [package for tool, package in REAL_WINDOW_TOOLS.items() if shutil.which(tool) is None]
    if missing:
        pytest.exit(
            f"the tests need {', '.join(missing)} (Debian packages) for the real-window test; install them first: "
            f"sudo apt-get install -y {' '.join(REAL_WINDOW_TOOLS.values())}",
            returncode=4,
        )


@pytest.fixture(scope="session")
def postgres_server():
    """One throwaway PostgreSQL server for the whole run (tests/postgres_server.py), removed at the end."""
    from tests.postgres_server import PostgresServer, server_bin

    server = PostgresServer(server_bin()).start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """An empty attempts database: a SQLite file, then a fresh database on the test PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'attempts.db'}"
        return
    server = request.getfixturevalue("postgres_server")
    url = server.new_database()
    yield url
    server.drop_database(url)


@pytest.fixture
def key_file(tmp_path):
    """A signing key of this test's own (made on first use, as a station's is)."""
    return tmp_path / "keys" / "signing.key"


@pytest.fixture
def table_folder(tmp_path):
    """The ultrasound tables kept on disk in a folder of the test's own (core/ultrasound/table_cache.py)."""
    from simulator.core.ultrasound import table_cache

    folder = tmp_path / "tables"
    table_cache.use_disk_cache(folder)
    yield folder
    table_cache.stop_disk_cache()
