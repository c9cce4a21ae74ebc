"""Reports keep their numbers apart from their drawing, and the command line stays light.

The report's model (cusum, summary) loads without matplotlib and without pygame, so its
numbers can be computed and tested anywhere; no report module loads pygame; and building the
command line (what `tpi-sim --help` does) loads neither matplotlib nor tqdm.
"""

import subprocess
import sys


def _loaded(code: str) -> set[str]:
    probe = code + "\nimport sys\nprint(' '.join(m.split('.')[0] for m in sys.modules))\n"
    return set(subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split())


def test_report_model_loads_without_matplotlib_or_pygame():
    loaded = _loaded("import simulator.reports.cusum, simulator.reports.summary")
    assert "simulator" in loaded
    assert "matplotlib" not in loaded and "pygame" not in loaded


def test_report_drawing_loads_matplotlib_but_not_pygame():
    loaded = _loaded("import simulator.reports.html")
    assert "matplotlib" in loaded and "pygame" not in loaded


def test_the_command_line_does_not_load_the_plotting_library():
    loaded = _loaded("from simulator.cli import build_parser\nbuild_parser()")
    assert "argparse" in loaded
    assert "matplotlib" not in loaded and "tqdm" not in loaded
