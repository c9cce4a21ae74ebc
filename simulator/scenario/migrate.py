"""Upgrade a case file's text to the current format, keeping its comments and layout.

Version 1 -> 2: `schema_version: 1` becomes 2, and the one list `agent_policy.contraindicated`
(which in version 1 meant "wrong here") is renamed `not_recommended`, with a comment asking the
author to move any agent that is wrong for this particular patient back to `contraindicated`,
where giving it fails the attempt. The change is made on the text, line by line, rather than by
re-dumping the YAML, because a re-dump would lose every comment an educator wrote (and the
comments carry the citations).
"""

from __future__ import annotations

import re

from simulator.scenario.schema import SCHEMA_VERSION

MIGRATED_NOTE = ("# Migrated from format version 1, where `contraindicated` meant any wrong choice. Move an agent "
                 "that is wrong for THIS patient (giving it fails the attempt) to a `contraindicated:` list.")
_VERSION_RE = re.compile(r"^schema_version:\s*['\"]?1['\"]?\s*(#.*)?$")
_TOP_KEY_RE = re.compile(r"^[A-Za-z_][\w-]*\s*:")


class MigrationError(ValueError):
    """The text cannot be upgraded automatically (the message says why)."""


def file_version(text: str) -> int | None:
    """The top-level schema_version of a case's text, or None when there is none to read."""
    match = re.search(r"^schema_version:\s*['\"]?(\d+)['\"]?\s*(#.*)?$", text, re.MULTILINE)
    return int(match.group(1)) if match else None


def upgrade_text(text: str) -> str:
    """The text of a version-1 case as version 2 (comments kept). Raises MigrationError."""
    version = file_version(text)
    if version is None:
        raise MigrationError("no top-level `schema_version:` line; is this a case file?")
    if version == SCHEMA_VERSION:
        return text
    if version != 1:
        raise MigrationError(f"schema_version {version} is not a version this tool upgrades (1 -> {SCHEMA_VERSION})")
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    in_policy = False
    child_indent: str | None = None
    for line in lines:
        bare = line.rstrip("\r\n")
        if _VERSION_RE.match(bare):
            out.append(re.sub(r"1", str(SCHEMA_VERSION), line, count=1))
            continue
        if _TOP_KEY_RE.match(bare):
            in_policy = bare.split(":", 1)[0].strip() == "agent_policy"
            child_indent = None
        elif in_policy and bare.strip() and not bare.lstrip().startswith("#"):
            indent = bare[: len(bare) - len(bare.lstrip())]
            if child_indent is None:
                child_indent = indent
            if indent == child_indent and re.match(r"contraindicated\s*:", bare.lstrip()):
                newline = line[len(bare):]
                out.append(f"{indent}{MIGRATED_NOTE}{newline or chr(10)}")
                out.append(line.replace("contraindicated", "not_recommended", 1))
                continue
            if indent == child_indent and re.match(r"not_recommended\s*:", bare.lstrip()):
                raise MigrationError("agent_policy already has `not_recommended` in a version-1 file; edit it by hand")
        out.append(line)
    return "".join(out)
