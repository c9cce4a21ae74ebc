"""One attempt as a programme keeps it: who, which case, when, the result, the replay, the rating.

These are plain frozen dataclasses with no database in sight, so the UI, the exam runner,
the report and the command line all speak the same typed attempt, and the stores
(records.store) decide how it is kept. An attempt is identified by a random uuid4 (never by
trainee + case + time: two attempts in the same second are two rows), and it carries
everything needed to check it later on its own: the case's content hash, the seed, the
software version and the replay that re-scores to the result.

`attempt_to_dict` / `attempt_from_dict` are the one JSON form of an attempt: the export
files, the signature (records.signing) and a learning record store later all start from it.
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from simulator import __version__
from simulator.records.replay_file import replay_lines

MODES = ("practice", "assessment", "exam")
# OSATS-style global rating domains (Martin et al. 1997), each scored 1-5 by an examiner.
RATING_DOMAINS = ("respect_for_tissue", "time_and_motion", "instrument_handling", "knowledge_of_procedure",
                  "flow", "overall")
MAX_TRAINEE_ID = 64
_TRAINEE_ID = re.compile(r"^[\w.@+\- ]+$")


def check_trainee_id(text: str) -> str:
    """The trainee id as stored (surrounding spaces removed), or ValueError saying what is wrong.

    Never empty: an attempt without a trainee cannot be followed up by a programme.
    """
    trainee = (text or "").strip()
    if not trainee:
        raise ValueError("a trainee id is required (for example the resident's programme id or email)")
    if len(trainee) > MAX_TRAINEE_ID:
        raise ValueError(f"a trainee id has at most {MAX_TRAINEE_ID} characters, this one has {len(trainee)}")
    if not _TRAINEE_ID.match(trainee):
        raise ValueError(f"a trainee id may use letters, digits, spaces and . _ @ + - only, got {trainee!r}")
    return trainee


def case_hash(case) -> str:
    """SHA-256 of the case's validated content (canonical JSON): an edit that could change a
    score changes it; comments and layout of the YAML file do not."""
    text = json.dumps(case.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def aware_utc(value: datetime, name: str) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got {value!r}")
    return value.astimezone(timezone.utc)


@dataclass(frozen=True)
class Rating:
    """An examiner's global rating of an attempt (1-5 per domain) and comment."""

    global_score_1_5: dict[str, int]
    comment: str
    examiner: str
    rated_at: datetime

    def __post_init__(self) -> None:
        unknown = sorted(set(self.global_score_1_5) - set(RATING_DOMAINS))
        if unknown:
            raise ValueError(f"unknown rating domain {unknown[0]!r}; the domains are {', '.join(RATING_DOMAINS)}")
        for domain, score in self.global_score_1_5.items():
            if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
                raise ValueError(f"the rating for {domain} must be a whole number from 1 to 5, got {score!r}")
        if not self.examiner.strip():
            raise ValueError("a rating needs the examiner's name or id")
        object.__setattr__(self, "rated_at", aware_utc(self.rated_at, "rated_at"))


@dataclass(frozen=True)
class Attempt:
    """One attempt at one case. `result` is Session.result(); `replay` its action lines, header first."""

    attempt_id: str
    trainee_id: str
    case_id: str
    case_hash: str
    exam_id: str | None
    mode: str
    seed: int
    station: str
    software_version: str
    started_at: datetime
    ended_at: datetime
    result: dict
    replay: list[dict]
    rating: Rating | None = None
    signature: str = ""

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, got {self.mode!r}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise ValueError(f"seed must be a whole number >= 0, got {self.seed!r}")
        object.__setattr__(self, "trainee_id", check_trainee_id(self.trainee_id))
        object.__setattr__(self, "started_at", aware_utc(self.started_at, "started_at"))
        object.__setattr__(self, "ended_at", aware_utc(self.ended_at, "ended_at"))

    @property
    def total(self) -> float | None:
        return self.result.get("total")

    @property
    def passed(self) -> bool | None:
        return self.result.get("passed")


@dataclass(frozen=True)
class AttemptFilter:
    """Which attempts to list or export; None means any. `since` (inclusive) and `until` (exclusive)
    compare with started_at; `mode` is one of MODES (a report of exams alone leaves practice out)."""

    trainee_id: str | None = None
    case_id: str | None = None
    exam_id: str | None = None
    mode: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def new_attempt(session, *, trainee_id: str, mode: str, started_at: datetime, ended_at: datetime | None = None,
                exam_id: str | None = None, station: str | None = None) -> Attempt:
    """The attempt a finished Session makes: its result (scored once) and its own record of actions."""
    header = {"case": session.case.id, "seed": session.seed, "trainee": check_trainee_id(trainee_id), "mode": mode}
    if exam_id:
        header["exam"] = exam_id
    return Attempt(
        attempt_id=uuid.uuid4().hex, trainee_id=trainee_id, case_id=session.case.id, case_hash=case_hash(session.case),
        exam_id=exam_id, mode=mode, seed=session.seed, station=station or socket.gethostname(),
        software_version=__version__, started_at=started_at, ended_at=ended_at or datetime.now(timezone.utc),
        result=session.result(), replay=replay_lines(header, session.timed),
    )


def utc_text(value: datetime) -> str:
    """UTC ISO 8601 with microseconds: how attempts store and export times (it sorts in time order)."""
    return value.astimezone(timezone.utc).isoformat(timespec="microseconds")


def rating_to_dict(rating: Rating | None) -> dict | None:
    if rating is None:
        return None
    return {"global_score_1_5": dict(sorted(rating.global_score_1_5.items())), "comment": rating.comment,
            "examiner": rating.examiner, "rated_at": utc_text(rating.rated_at)}


def attempt_to_dict(attempt: Attempt, with_signature: bool = True) -> dict:
    """The attempt as JSON-ready data (times as UTC ISO 8601 text)."""
    data = {
        "attempt_id": attempt.attempt_id, "trainee_id": attempt.trainee_id, "case_id": attempt.case_id,
        "case_hash": attempt.case_hash, "exam_id": attempt.exam_id, "mode": attempt.mode, "seed": attempt.seed,
        "station": attempt.station, "software_version": attempt.software_version,
        "started_at": utc_text(attempt.started_at), "ended_at": utc_text(attempt.ended_at),
        "result": attempt.result, "replay": attempt.replay, "rating": rating_to_dict(attempt.rating),
    }
    if with_signature:
        data["signature"] = attempt.signature
    return data


def parse_time(text: str, name: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an ISO 8601 time, got {text!r}") from None


def rating_from_dict(data: dict | None) -> Rating | None:
    if data is None:
        return None
    return Rating(global_score_1_5={k: v for k, v in data["global_score_1_5"].items()}, comment=data.get("comment", ""),
                  examiner=data["examiner"], rated_at=parse_time(data["rated_at"], "rated_at"))


def attempt_from_dict(data: dict) -> Attempt:
    """An attempt from `attempt_to_dict` data; ValueError (or KeyError naming the field) when it is not one."""
    return Attempt(
        attempt_id=str(data["attempt_id"]), trainee_id=data["trainee_id"], case_id=data["case_id"],
        case_hash=data["case_hash"], exam_id=data.get("exam_id"), mode=data["mode"], seed=data["seed"],
        station=data["station"], software_version=data["software_version"],
        started_at=parse_time(data["started_at"], "started_at"), ended_at=parse_time(data["ended_at"], "ended_at"),
        result=data["result"], replay=data["replay"], rating=rating_from_dict(data.get("rating")),
        signature=data.get("signature", ""),
    )

