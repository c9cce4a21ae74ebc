"""The programme key and the signature: made on first use and private, and every field of the
attempt is covered, with a reason that says which part changed."""

import stat
from dataclasses import replace
from datetime import timedelta

import pytest

from simulator.records.attempt import Rating
from simulator.records.signing import SigningKeyError, check, key_id, load_key, problem, signed
from tests.records.test_attempt import START, expert_attempt


def test_the_key_is_made_on_first_use_private_and_then_kept(key_file):
    key = load_key(key_file)
    assert len(key) == 32 and stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert load_key(key_file) == key and load_key(key_file, create=False) == key


def test_tpi_sim_key_names_the_key_file(monkeypatch, tmp_path):
    monkeypatch.setenv("TPI_SIM_KEY", str(tmp_path / "lab.key"))
    key = load_key()
    assert (tmp_path / "lab.key").is_file() and load_key(tmp_path / "lab.key") == key


def test_a_missing_or_broken_key_is_refused_with_the_file_named(tmp_path):
    with pytest.raises(SigningKeyError, match=f"no signing key at {tmp_path / 'none.key'}; give the programme's key"):
        load_key(tmp_path / "none.key", create=False)
    (tmp_path / "bad.key").write_text("not hex\n")
    with pytest.raises(SigningKeyError, match="is not a key file"):
        load_key(tmp_path / "bad.key")


@pytest.fixture(scope="module")
def attempt_and_key(tmp_path_factory):
    key = load_key(tmp_path_factory.mktemp("k") / "signing.key")
    return signed(expert_attempt()[0], key), key


def test_an_untouched_attempt_checks(attempt_and_key):
    attempt, key = attempt_and_key
    assert check(attempt, key) and attempt.signature.split(":")[2] == key_id(key)


@pytest.mark.parametrize("change, reason", [
    (lambda a: {"result": {**a.result, "total": 99.0}}, "edited result"),
    (lambda a: {"replay": a.replay[:-1]}, "edited replay"),
    (lambda a: {"trainee_id": "dr-b"}, "edited fields"),
    (lambda a: {"seed": a.seed + 1}, "edited fields"),
    (lambda a: {"ended_at": a.ended_at + timedelta(seconds=1)}, "edited fields"),
    (lambda a: {"rating": Rating({"overall": 5}, "", "dr-exam", START)}, "edited fields"),
    (lambda a: {"signature": ""}, "not signed"),
])
def test_every_part_of_the_attempt_is_signed(attempt_and_key, change, reason):
    attempt, key = attempt_and_key
    edited = replace(attempt, **change(attempt))
    assert not check(edited, key) and problem(edited, key).startswith(reason)


def test_another_key_is_named_as_unknown(attempt_and_key, tmp_path):
    attempt, _ = attempt_and_key
    assert problem(attempt, load_key(tmp_path / "other.key")).startswith("unknown key: signed with key ")
