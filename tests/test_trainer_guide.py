"""The resident's guide (docs/trainer.md): linked from the README, its pictures present, its key table current."""

import re

from simulator import paths
from tests.tools import load_tool

GUIDE = paths.PROJECT_ROOT / "docs" / "trainer.md"


def _tool():
    return load_tool("make_trainer_guide")


def test_the_readme_links_the_residents_guide():
    assert "(docs/trainer.md)" in (paths.PROJECT_ROOT / "README.md").read_text()


def test_every_picture_the_guide_shows_is_there_and_every_picture_there_is_shown():
    text = GUIDE.read_text()
    shown = set(re.findall(r"!\[[^\]]*\]\((trainer/[^)]+\.png)\)", text))
    present = {f"trainer/{p.name}" for p in (GUIDE.parent / "trainer").glob("*.png")}
    assert shown and shown == present, "run: python tools/make_trainer_guide.py"


def test_the_key_table_is_the_windows_help():
    text = GUIDE.read_text()
    assert _tool().updated_guide(text) == text, "run: python tools/make_trainer_guide.py --keys-only"
    table = text.split("<!-- keys: generated")[1]
    assert "| F2 | consent" in table and "| T / U | hint / anatomy overlay (practice) |" in table


def test_a_changed_key_makes_the_table_stale():
    text = GUIDE.read_text().replace("| F4 | skin prep |", "| F4 | something else |")
    assert _tool().updated_guide(text) != text
