"""Tamper-evident attempts: an HMAC-SHA256 signature with the programme's key.

The key lives outside the results (a key file in the user config folder, created on first
use with mode 0600; `TPI_SIM_KEY` or `--key FILE` names another), so someone who can edit
the database or an export cannot re-sign what they changed.

A signature reads `hmac-sha256:v1:KEYID:ALL:RESULT:REPLAY`:

* KEYID: the first 12 hex digits of SHA-256(key), so `verify` can say "signed with another
  key" instead of "edited";
* ALL: the HMAC over the canonical JSON (sorted keys, no spaces) of the whole attempt but
  its signature: result, replay, the identifying fields (id, trainee, case, case hash,
  exam, mode, seed, station, software version, start and end) and the rating;
* RESULT, REPLAY: HMACs over the result alone and the replay alone, so `verify` can tell an
  edited result from an edited replay.

An exam sitting (records.sitting) is signed with the same key as its attempts:
`hmac-sha256:sitting-v1:KEYID:ALL:VERDICT`, ALL over the whole sitting but its signature and
VERDICT over the verdict alone, so an edited verdict is named as such.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import replace
from pathlib import Path

import platformdirs

from simulator.records.attempt import Attempt, attempt_to_dict
from simulator.records.sitting import ExamSitting, sitting_to_dict

SCHEME = "hmac-sha256:v1"
SITTING_SCHEME = "hmac-sha256:sitting-v1"
KEY_BYTES = 32
KEY_ENV = "TPI_SIM_KEY"


class SigningKeyError(Exception):
    """The key file cannot be read or made; the message says which file and why."""


def default_key_path() -> Path:
    return Path(platformdirs.user_config_dir("tpi-sim", appauthor=False)) / "signing.key"


def key_path(explicit: Path | str | None = None) -> Path:
    """`explicit` (--key FILE), else TPI_SIM_KEY, else the user config folder's signing.key."""
    chosen = explicit or os.environ.get(KEY_ENV) or default_key_path()
    return Path(chosen).expanduser()


def _read_key(path: Path) -> bytes:
    try:
        text = path.read_text(encoding="ascii").strip()
        key = bytes.fromhex(text)
    except OSError as exc:
        raise SigningKeyError(f"cannot read the signing key {path}: {exc.strerror or exc}") from None
    except ValueError:
        raise SigningKeyError(f"the signing key {path} is not a key file (expected {2 * KEY_BYTES} hex digits)") from None
    if len(key) < KEY_BYTES:
        raise SigningKeyError(f"the signing key {path} is too short ({len(key)} bytes; at least {KEY_BYTES})")
    return key


def load_key(explicit: Path | str | None = None, create: bool = True) -> bytes:
    """The programme key; with `create`, a missing key file is made (random, mode 0600)."""
    path = key_path(explicit)
    if path.exists() or not create:
        if not path.exists():
            raise SigningKeyError(f"no signing key at {path}; give the programme's key with --key FILE or {KEY_ENV}")
        return _read_key(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it meanwhile: use theirs
        return _read_key(path)
    except OSError as exc:
        raise SigningKeyError(f"cannot create the signing key {path}: {exc.strerror or exc}") from None
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(KEY_BYTES) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return _read_key(path)


def key_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:12]


def canonical(data) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def _mac(key: bytes, part: str, data) -> str:
    return hmac.new(key, part.encode("ascii") + b"\0" + canonical(data), hashlib.sha256).hexdigest()


def sign(attempt: Attempt, key: bytes) -> str:
    whole = attempt_to_dict(attempt, with_signature=False)
    macs = (_mac(key, "attempt", whole), _mac(key, "result", attempt.result), _mac(key, "replay", attempt.replay))
    return ":".join((SCHEME, key_id(key), *macs))


def signed(attempt: Attempt, key: bytes) -> Attempt:
    return replace(attempt, signature=sign(attempt, key))


def _problem(signature: str, scheme: str, key: bytes, expected: str, edits: tuple[str, ...]) -> str | None:
    """Why `signature` (of `scheme`: KEYID, the whole's code, then one code per part) is not
    `expected`, or None. `edits` says, per part code and then for the whole, what was changed."""
    parts = signature.split(":")
    if len(parts) != 4 + len(edits) - 1 or ":".join(parts[:2]) != scheme:
        return "not signed" if not signature else f"the signature is not a {scheme} signature"
    if parts[2] != key_id(key):
        return f"unknown key: signed with key {parts[2]}, not with this programme's key {key_id(key)}"
    wanted = expected.split(":")
    if hmac.compare_digest(wanted[3], parts[3]):
        return None
    for index, edit in enumerate(edits[:-1], start=4):
        if not hmac.compare_digest(wanted[index], parts[index]):
            return edit
    return edits[-1]


def problem(attempt: Attempt, key: bytes) -> str | None:
    """Why the signature does not hold for `attempt` with `key`, or None when it does."""
    return _problem(attempt.signature, SCHEME, key, sign(attempt, key), (
        "edited result: the result is not the one that was signed",
        "edited replay: the replay is not the one that was signed",
        "edited fields: the trainee, case, times or rating are not the ones that were signed"))


def check(attempt: Attempt, key: bytes) -> bool:
    return problem(attempt, key) is None


def sign_sitting(sitting: ExamSitting, key: bytes) -> str:
    macs = (_mac(key, "sitting", sitting_to_dict(sitting, with_signature=False)), _mac(key, "verdict", sitting.verdict))
    return ":".join((SITTING_SCHEME, key_id(key), *macs))


def signed_sitting(sitting: ExamSitting, key: bytes) -> ExamSitting:
    return replace(sitting, signature=sign_sitting(sitting, key))


def sitting_problem(sitting: ExamSitting, key: bytes) -> str | None:
    """Why the sitting's signature does not hold with `key`, or None when it does."""
    return _problem(sitting.signature, SITTING_SCHEME, key, sign_sitting(sitting, key), (
        "edited verdict: the verdict is not the one that was signed",
        "edited fields: the candidate, exam, times, attempts or pass rule are not the ones that were signed"))
