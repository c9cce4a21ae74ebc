"""`tpi-sim new CASE.yaml [--region NAME]`: start a case from a commented template that validates.

Writes three files into CASE's folder: the case (every section commented, its id taken from
the file name), `<name>.expert.jsonl`, the expert attempt for the template as written (a
skeleton to edit once the anatomy changes, and proof that the case plays), and
`scenario.schema.json`, the schema the case's modeline names, so the editor checks the file
wherever the folder lives. Nothing that exists is overwritten, except a schema file that is
out of date.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from simulator import paths
from simulator.commands.errors import failing

TEMPLATES_DIR = paths.PACKAGE_DIR / "templates"
# --region name -> what the template holds (the file is templates/<name>.yaml)
TEMPLATES: dict[str, str] = {
    "neck": "an upper trapezius trigger point over the lung apex (prone)",
}
TEMPLATE_ID = "new-upper-trapezius"
SCHEMA_NAME = paths.SCHEMA_FILE.name


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", metavar="CASE.yaml", help="the case file to create (its name gives the case id)")
    parser.add_argument("--region", choices=sorted(TEMPLATES), default="neck",
                        help="which template to start from: " + "; ".join(f"{k}: {v}" for k, v in TEMPLATES.items()))


def case_id_for(path: Path) -> str:
    """A valid case id from a file name: lower case, digits, - and _ (`My Case.yaml` -> `my-case`)."""
    text = re.sub(r"[^a-z0-9_-]+", "-", path.stem.lower()).strip("-_")
    return text if text and text[0].isalnum() else f"case-{text}".rstrip("-")


_fail = failing("new", tagged=True)


def run(args: argparse.Namespace) -> int:
    from simulator.commands.schema import schema_text

    case_path = Path(args.path)
    if case_path.suffix not in (".yaml", ".yml"):
        return _fail(f"{case_path}: a case file name ends in .yaml")
    if case_path.name == paths.AGENTS_FILE.name:
        return _fail(f"{case_path}: {case_path.name} is the name of an agents catalogue; choose another name")
    replay_path = case_path.with_name(f"{case_path.stem}.expert.jsonl")
    schema_path = case_path.with_name(SCHEMA_NAME)
    for existing in (case_path, replay_path):
        if existing.exists():
            return _fail(f"{existing} already exists; nothing was written")
    if not case_path.parent.is_dir():
        return _fail(f"{case_path.parent}: no such folder")
    case_id = case_id_for(case_path)
    template = (TEMPLATES_DIR / f"{args.region}.yaml").read_text(encoding="utf-8")
    replay = (TEMPLATES_DIR / f"{args.region}.expert.jsonl").read_text(encoding="utf-8")
    schema = schema_text()
    written = []
    try:
        id_line = f"id: {case_id}".ljust(len(f"id: {TEMPLATE_ID}"))  # keeps the comment beside it aligned
        case_path.write_text(template.replace(f"id: {TEMPLATE_ID}", id_line, 1), encoding="utf-8")
        written.append(case_path)
        replay_path.write_text(replay.replace(f'"case": "{TEMPLATE_ID}"', f'"case": "{case_id}"', 1), encoding="utf-8")
        written.append(replay_path)
        if not schema_path.is_file() or schema_path.read_text(encoding="utf-8") != schema:
            schema_path.write_text(schema, encoding="utf-8")
            written.append(schema_path)
    except OSError as exc:
        return _fail(f"cannot write {exc.filename or case_path}: {exc.strerror or exc}")
    for path in written:
        print(f"wrote {path}")
    print(f"next: tpi-sim validate {case_path}; tpi-sim replay {case_path} {replay_path}; "
          f"tpi-sim inspect {case_path} --at 60,40")
    return 0
