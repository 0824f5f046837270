"""bandit finds no high-severity issue in the project's code (the same check as ``make audit``)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bandit_reports_no_high_severity_finding():
    result = subprocess.run([sys.executable, "-m", "bandit", "-q", "-r", "apps", "deputies_platform", "-lll",
                             "-f", "txt"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
