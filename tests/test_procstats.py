"""Peak memory is the process's own, not inherited from the process that started it."""

from __future__ import annotations

import subprocess
import sys

from copilot.procstats import peak_rss_mb


def test_a_child_reports_its_own_peak_not_its_big_parents() -> None:
    ballast = bytearray(300 * 1024 * 1024)  # touch 300 MB in this process
    for i in range(0, len(ballast), 4096):
        ballast[i] = 1
    assert peak_rss_mb() >= 300
    child = subprocess.run(
        [sys.executable, "-c", "from copilot.procstats import peak_rss_mb; print(peak_rss_mb())"],
        capture_output=True,
        text=True,
        check=True,
    )
    del ballast
    assert 1 < float(child.stdout) < 150  # ru_maxrss would say >= 300 here: it survives fork and exec
