"""The headless app fixtures of the UI tests (tests/ui/conftest.py), for the exam tests that run
an exam in the trainer window."""

from tests.ui.conftest import artifacts, library, make_app  # noqa: F401 - pytest fixtures
