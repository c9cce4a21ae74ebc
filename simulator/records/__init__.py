"""Attempts, results and replays: the attempt store (records.store) and files written atomically."""

from simulator.records.atomic import RecordError, write_text_atomic
from simulator.records.replay_file import ReplayError, format_replay, parse_replay, read_replay, write_replay
from simulator.records.results import read_result, result_to_json, write_result

__all__ = [
    "RecordError", "ReplayError", "format_replay", "parse_replay", "read_replay", "read_result",
    "result_to_json", "write_replay", "write_result", "write_text_atomic",
]
