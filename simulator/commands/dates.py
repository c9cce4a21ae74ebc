"""The --since and --until options of the commands that select stored records (`results`, `report`).

One parser, so both commands take the same text and say the same thing about a bad one:
`--since must be a date (2026-12-01) or an ISO time (2026-12-01T14:00), got 'soon'`. A date
alone means the start of that day (UTC), and for --until the end of it, so `--until 2026-12-01`
includes the whole of 1 December; a time without a zone is UTC. Each command prints the message
with its own name and exit status (commands/errors.py).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

EXAMPLES = "a date (2026-12-01) or an ISO time (2026-12-01T14:00)"


def parse_moment(text: str | None, option: str, end_of_day: bool = False) -> datetime | None:
    """The UTC time `text` gives for `option` (None when the option was not given); with
    `end_of_day` a date alone means the end of that day. ValueError with the message above."""
    if text is None:
        return None
    cleaned = text.strip()
    try:
        day = date.fromisoformat(cleaned)
    except ValueError:
        day = None
    if day is not None:
        start = datetime.combine(day, time(), tzinfo=timezone.utc)
        return start + timedelta(days=1) if end_of_day else start
    try:
        moment = datetime.fromisoformat(cleaned)
    except ValueError:
        raise ValueError(f"{option} must be {EXAMPLES}, got {text!r}") from None
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment


def selected_span(since: str | None, until: str | None) -> tuple[datetime | None, datetime | None]:
    """(since, until) of the two options: since inclusive, until exclusive (a date: up to its end)."""
    return parse_moment(since, "--since"), parse_moment(until, "--until", end_of_day=True)
