"""Every command's error path as the user sees it: the exact lines on stderr and the exit status.

The commands share one way of saying what went wrong (simulator/commands/errors.py); these
tests pin each command's wording and status so that sharing it changes nothing a user, a
script or a programme's documentation relies on. Each row is a mistake a user makes; the
last tests show the same commands succeed once the mistake is put right.
"""

from __future__ import annotations

import json

import pytest

from simulator import paths
from simulator.records.signing import load_key
from tests.cli_run import run_cli

CASE_ID = "s1_upper_trapezius_thin"
EXPERT = str(paths.REPLAYS_DIR / f"{CASE_ID}.expert.jsonl")
BROKEN_AGENTS = "agents: 5\n"
BROKEN_AGENTS_LINES = (
    "{tmp}/catalogue/agents.yaml:1:1: schema_version: missing required key 'schema_version' "
    "(Version of this format; currently 1.)\n"
    "{tmp}/catalogue/agents.yaml:1:9: agents: expected a list, got 5 (write [a, b] or one '- item' per line)\n"
)
NOT_JSON = "{tmp}/bad.jsonl:1: not valid JSON (Expecting value at column 1)"


@pytest.fixture
def tmp(tmp_path):
    """A folder holding the inputs the rows refer to: a plain file where a folder should be, a
    replay and an export that are not JSON, an empty export, a case beside a broken catalogue
    and a signing key."""
    (tmp_path / "afile").write_text("x")
    (tmp_path / "bad.jsonl").write_text("not json\n")
    (tmp_path / "bad.json").write_text("not json\n")
    (tmp_path / "empty.json").write_text('{"attempts": []}\n')
    (tmp_path / "catalogue").mkdir()
    (tmp_path / "catalogue" / "agents.yaml").write_text(BROKEN_AGENTS)
    (tmp_path / "catalogue" / "case.yaml").write_text("id: x\n")
    load_key(tmp_path / "signing.key", create=True)
    return tmp_path


# (argv, exit status, stderr); {tmp} is the fixture's folder, {db} a fresh SQLite store there.
ROWS = [
    (["bench", "--frames", "5"], 2,
     "tpi-sim bench: error: --frames must be at least 10, --warmup at least 0 and --size 32..2048\n"),
    (["bench", "--case", "no-such-case"], 2, "tpi-sim bench: error: no case file or shipped case called 'no-such-case'\n"),
    (["inspect", CASE_ID, "--at", "60,40", "--plane", "{tmp}/p.png", "--depth-mm", "0"], 2,
     "tpi-sim inspect: error: --depth-mm must be 1 to 500, got 0\n"),
    (["preview", CASE_ID, "--agents", "{tmp}/none.yaml"], 2, "tpi-sim preview: error: --agents {tmp}/none.yaml: no such file\n"),
    (["render", CASE_ID, "--size", "8", "--out", "{tmp}/o.png"], 2, "tpi-sim render: error: --size must be 32..2048, got 8\n"),
    (["render", "{tmp}/catalogue/case.yaml", "--out", "{tmp}/o.png"], 2,
     BROKEN_AGENTS_LINES + "tpi-sim render: error: {tmp}/catalogue/case.yaml is not a valid case\n"),
    (["replay", CASE_ID, EXPERT, "--seed", "-1"], 1, "tpi-sim replay: --seed must be 0 or more, got -1\n"),
    (["replay", CASE_ID, EXPERT, "--out", "{tmp}/afile/r.json"], 1,
     "tpi-sim replay: cannot create folder {tmp}/afile: File exists\n"),
    (["replay", CASE_ID, "{tmp}/bad.jsonl"], 1, NOT_JSON + "\n"),
    (["replay", "{tmp}/catalogue/case.yaml", EXPERT], 1, BROKEN_AGENTS_LINES),
    (["attempt", CASE_ID, EXPERT, "--trainee", "dr-a", "--seed", "-1", "--db", "{db}"], 1,
     "tpi-sim attempt: --seed must be 0 or more, got -1\n"),
    (["attempt", CASE_ID, "{tmp}/bad.jsonl", "--trainee", "dr-a", "--db", "{db}"], 1, NOT_JSON + "\n"),
    (["attempt", CASE_ID, EXPERT, "--trainee", "dr-a", "--db", "nosuch://x", "--key", "{tmp}/signing.key"], 1,
     "tpi-sim attempt: unsupported database 'nosuch': use sqlite:///FILE or postgresql://...\n"),
    (["results", "list", "--since", "soon", "--db", "{db}"], 1,
     "tpi-sim results: --since must be a date (2026-12-01) or an ISO time (2026-12-01T14:00), got 'soon'\n"),
    (["results", "list", "--db", "nosuch://x"], 1,
     "tpi-sim results: unsupported database 'nosuch': use sqlite:///FILE or postgresql://...\n"),
    (["results", "export", "--csv", "{tmp}/afile/x.csv", "--db", "{db}", "--key", "{tmp}/signing.key"], 1,
     "tpi-sim results: cannot create folder {tmp}/afile: File exists\n"),
    (["verify", "{tmp}/bad.json", "--key", "{tmp}/no.key"], 1,
     "tpi-sim verify: no signing key at {tmp}/no.key; give the programme's key with --key FILE or TPI_SIM_KEY\n"),
    (["verify", "{tmp}/bad.json", "--key", "{tmp}/signing.key"], 1,
     "tpi-sim verify: {tmp}/bad.json:1: not valid JSON (Expecting value)\n"),
    (["verify", "{tmp}/empty.json", "--key", "{tmp}/signing.key"], 1, "tpi-sim verify: {tmp}/empty.json holds no attempts\n"),
    (["report", "--out", "{tmp}/r.html", "--since", "soon", "--db", "{db}"], 2,
     "tpi-sim report: error: --since must be a date (2026-12-01) or an ISO time (2026-12-01T14:00), got 'soon'\n"),
    (["report", "--out", "{tmp}/r.html", "--db", "nosuch://x"], 1,
     "tpi-sim report: unsupported database 'nosuch': use sqlite:///FILE or postgresql://...\n"),
    (["report", "--out", "{tmp}/afile/r.html", "--db", "{db}"], 1, "tpi-sim report: cannot create folder {tmp}/afile: File exists\n"),
    (["migrate", "{tmp}/catalogue/case.yaml", "--agents", "{tmp}/catalogue/agents.yaml"], 1, BROKEN_AGENTS_LINES),
    (["new", "{tmp}/case.txt"], 1, "tpi-sim new: error: {tmp}/case.txt: a case file name ends in .yaml\n"),
    (["new", "{tmp}/nowhere/case.yaml"], 1, "tpi-sim new: error: {tmp}/nowhere: no such folder\n"),
    (["play", CASE_ID, "--seed", "-1"], 1, "tpi-sim play: --seed must be 0 or more, got -1\n"),
    (["play", "--replay", "{tmp}/bad.jsonl"], 1, "tpi-sim play: " + NOT_JSON + "\n"),
    (["play", "{tmp}/catalogue/case.yaml"], 1, BROKEN_AGENTS_LINES),
    (["schema", "--out", "{tmp}/afile/s.json"], 1, "{tmp}/afile/s.json: cannot write the schema: Not a directory\n"),
]


def _filled(text: str, tmp) -> str:
    return text.replace("{tmp}", str(tmp)).replace("{db}", f"sqlite:///{tmp}/attempts.db")


@pytest.mark.parametrize("argv, status, stderr", ROWS, ids=[" ".join(row[0][:2]) + f" #{i}" for i, row in enumerate(ROWS)])
def test_each_command_says_what_went_wrong_in_its_own_words(tmp, argv, status, stderr):
    code, _, err = run_cli(*(_filled(arg, tmp) for arg in argv))
    assert (code, err) == (status, _filled(stderr, tmp))


def test_an_exam_file_with_problems_lists_each_one_and_exits_1(tmp):
    exam = tmp / "exam.yaml"
    exam.write_text("cases: 5\n")
    code, _, err = run_cli("exam", "run", str(exam))
    lines = err.splitlines()
    assert code == 1 and len(lines) > 1
    assert all(line.startswith(f"{exam}:") for line in lines), err


def test_the_same_commands_succeed_once_the_input_is_right(tmp):
    """The passing side of the rows above: a good seed, a writable --out, a real export."""
    db = _filled("{db}", tmp)
    code, out, err = run_cli("replay", CASE_ID, EXPERT, "--seed", "0", "--out", str(tmp / "r.json"))
    assert (code, err) == (0, "") and json.loads((tmp / "r.json").read_text())["passed"] is True
    code, out, err = run_cli("attempt", CASE_ID, EXPERT, "--trainee", "dr-a", "--db", db, "--key", str(tmp / "signing.key"))
    assert (code, err) == (0, "") and out.startswith("Stored attempt ")
    code, out, err = run_cli("results", "export", "--json", str(tmp / "all.json"), "--db", db, "--key", str(tmp / "signing.key"),
                             "--since", "2000-01-01")
    assert (code, err) == (0, "") and out.startswith("Exported 1 attempt to ")
    code, out, err = run_cli("verify", str(tmp / "all.json"), "--key", str(tmp / "signing.key"))
    assert (code, err) == (0, "") and out.rstrip().endswith("1 of 1 attempt verified")
    code, out, err = run_cli("report", "--out", str(tmp / "r.html"), "--db", db, "--since", "2000-01-01")
    assert (code, err) == (0, "") and out.startswith("Report of 1 attempts written to ")
    code, out, err = run_cli("schema", "--out", str(tmp / "s.json"))
    assert (code, out, err) == (0, "", "") and json.loads((tmp / "s.json").read_text())["title"] == "TPI Sim case"
