"""The counselling topics the trainee can choose from: every case's expected topics, pooled.

Offering the whole library's topics (not just this case's) asks the trainee to recognise
what this patient needs without giving the answer away. Each option carries a short label
that is a leading part of the case text, so `Counsel(label)` is credited by the judgement
criterion's `topic_matches` (a topic given as the start of the expected text counts).
Pure: no pygame, so it is tested without a window.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import numpy as np

from simulator.core import events as E
from simulator.core.scoring.judgement import topic_key, topic_matches

LABEL_MAX_CHARS = 72  # a selection-list row at the smallest window shows about this much
CLAUSE_MIN_CHARS = 12  # a leading clause shorter than this says too little to recognise
MERGE_MIN_WORDS = 3  # options sharing this many leading words become one ("Post-injection soreness")
_CITATIONS = re.compile(r"(\s*\[[0-9,\s-]+\])+\s*\.?\s*$")


@dataclass(frozen=True)
class CounselOption:
    """One choice in the dialog. `label` is what is said (and sent as the Counsel topic)."""

    label: str
    texts: tuple[str, ...]  # the expected-counselling sentences it stands for (any case)

    @property
    def key(self) -> str:
        return topic_key(self.label)


def sentence(text: str) -> str:
    """The expected text without its trailing citations and full stop (still a prefix of it)."""
    return _CITATIONS.sub("", text).rstrip(" .")


def short_label(text: str, max_chars: int = LABEL_MAX_CHARS) -> str:
    """A leading part of `text` short enough for one list row: the sentence, its first clause, or its first words."""
    s = sentence(text)
    if len(s) <= max_chars:
        return s
    for sep in (": ", "; ", " ("):
        i = s.find(sep)
        if CLAUSE_MIN_CHARS <= i <= max_chars:
            return s[:i].rstrip(" ,")
    cut = s.rfind(" ", 0, max_chars)
    return s[:cut if cut > 0 else max_chars].rstrip(" ,;:(")


def _shared_words(a: str, b: str) -> str:
    """The leading words (split on spaces) two labels share, as text."""
    shared = []
    for x, y in zip(a.split(" "), b.split(" ")):
        if x != y:
            break
        shared.append(x)
    return " ".join(shared).rstrip(" ,;:(")


def library_options(cases) -> list[CounselOption]:
    """One option per distinct topic across the library, in a stable (alphabetical) order."""
    options: list[CounselOption] = []
    for text in sorted({t for case in cases for t in case.agent_policy.expected_counselling}):
        label = short_label(text)
        for i, option in enumerate(options):
            shared = _shared_words(option.label, label)
            if len(topic_key(shared).split()) >= MERGE_MIN_WORDS:
                options[i] = CounselOption(shared, option.texts + (text,))
                break
        else:
            options.append(CounselOption(label, (text,)))
    for option in options:  # a label that would not be credited is a bug, not a user error
        if not all(topic_matches(option.key, t) for t in option.texts):
            raise ValueError(f"counselling label {option.label!r} does not match {option.texts!r}")
    return sorted(options, key=lambda o: o.key)


def case_seed(case_id: str) -> int:
    """A stable seed from a case id (Python's hash() changes between runs)."""
    return int.from_bytes(hashlib.sha256(case_id.encode("utf-8")).digest()[:8], "little")


def shuffled_for(case_id: str, options: list) -> list:
    """The options (counsel topics, consent topics, decline reasons) in an order fixed by the case id,
    so a list never hints by position."""
    order = np.random.default_rng(case_seed(case_id)).permutation(len(options))
    return [options[i] for i in order]


def expected_by(case, option: CounselOption) -> bool:
    """Does this case expect the option (would saying it be credited)?"""
    return any(topic_matches(option.key, t) for t in case.agent_policy.expected_counselling)


def given_keys(events) -> set[str]:
    """Topic keys already counselled in this session."""
    return {topic_key(e.topic) for e in events if isinstance(e, E.CounselGiven)}


def is_given(option: CounselOption, given: set[str]) -> bool:
    return option.key in given or any(g and topic_matches(g, option.label) for g in given)
