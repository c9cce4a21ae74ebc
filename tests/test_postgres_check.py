"""The README's test command on a machine without the PostgreSQL server stops at once with one
line naming the Debian package, instead of skipping the store tests or failing each one."""

import os
import subprocess
import sys

from simulator import paths


def _collect(bin_dir) -> subprocess.CompletedProcess:
    env = {**os.environ, "TPI_SIM_TEST_POSTGRES_BIN": str(bin_dir)}
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--collect-only",
                           "tests/records/test_store.py"], capture_output=True, text=True, env=env,
                          cwd=paths.PROJECT_ROOT, timeout=300)


def test_without_the_server_the_suite_stops_naming_the_package(tmp_path):
    out = _collect(tmp_path)  # a folder without initdb
    assert out.returncode == 4
    assert ("the attempt-store tests need a PostgreSQL server (Debian package postgresql); install it first: "
            "sudo apt-get install -y postgresql") in out.stdout + out.stderr


def test_with_the_server_the_store_tests_are_collected_for_both_databases():
    from tests.postgres_server import server_bin

    out = _collect(server_bin())
    assert out.returncode == 0, out.stdout[-500:]
    assert "test_a_saved_attempt_comes_back_whole_and_signed[sqlite]" in out.stdout
    assert "test_a_saved_attempt_comes_back_whole_and_signed[postgresql]" in out.stdout
