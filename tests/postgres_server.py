"""A throwaway PostgreSQL server for the tests: started once per test run, deleted at the end.

Debian's `postgresql` package puts the server in /usr/lib/postgresql/VERSION/bin. `initdb` and
`postgres` refuse to run as root, so as root the cluster belongs to the `postgres` user (the
package creates it) and its commands run through `runuser -u postgres --`. The server listens
on a private port on 127.0.0.1 and a private socket folder, so it never meets a system one.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

DEBIAN_PACKAGE = "postgresql"


def server_bin() -> Path | None:
    """The newest installed server's bin folder (with initdb, pg_ctl and postgres), or None."""
    found = [Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")]
    found += [Path(p).parent for p in filter(None, [shutil.which("initdb")])]
    usable = [b for b in found if (b / "pg_ctl").exists() and (b / "postgres").exists()]
    return max(usable, key=lambda b: [int(x) for x in b.parent.name.split(".") if x.isdigit()] or [0]) if usable else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    def __init__(self, bin_dir: Path):
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="tpi-sim-pg-"))
        os.chmod(self.root, 0o755)  # the postgres user must reach its folders inside
        self.data = self.root / "data"
        self.sockets = self.root / "sockets"
        self.port = _free_port()
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *args: str) -> None:
        done = subprocess.run([*self.as_user, *args], capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:2])} failed: {done.stderr.strip() or done.stdout.strip()}")

    def start(self) -> PostgresServer:
        for folder in (self.data, self.sockets):
            folder.mkdir(mode=0o700)
            if self.as_user:
                shutil.chown(folder, "postgres", "postgres")
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                  "--locale=C", "--no-sync")
        options = f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-w", "-t", "60",
                  "-l", str(self.sockets / "server.log"), "start")
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True) as c:
            c.execute(sql)

    def new_database(self) -> str:
        """A fresh, empty database on the server; returns its URL."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        self._admin(f"CREATE DATABASE {name}")
        return self.url(name)

    def drop_database(self, url: str) -> None:
        self._admin(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)")

    def stop(self) -> None:
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
