"""Build step: ship the case library and the assets inside the installed package.

The data stay where authors edit them (scenarios/ and assets/ at the top of the checkout,
beside the package); a regular build copies them into the wheel as simulator/scenarios and
simulator/assets, where simulator.paths finds them after `pip install`. An editable install
copies nothing: paths then read the checkout's folders directly. Everything else is in
pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
DATA_FOLDERS = ("scenarios", "assets")
DATA_FILES = ("docs/sources.md",)  # the source list the debrief resolves citations against


class BuildPyWithData(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for name in DATA_FOLDERS:
            target = Path(self.build_lib) / "simulator" / name
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(ROOT / name, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))
        for name in DATA_FILES:
            target = Path(self.build_lib) / "simulator" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ROOT / name, target)


setup(cmdclass={"build_py": BuildPyWithData})
