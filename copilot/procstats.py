"""Process statistics that benchmarks, evals and the demo report."""

from __future__ import annotations

import resource
import sys
from pathlib import Path

_STATUS = Path("/proc/self/status")


def peak_rss_mb() -> float:
    """This process's own peak resident memory, in MiB.

    Reads `VmHWM` on Linux: `ru_maxrss` is not reset by fork or exec, so a process started by a large parent
    reports the parent's peak as its own (a benchmark child started from a 679 MB parent "peaked" at 679 MB on an
    11-second clip). Falls back to `ru_maxrss` where /proc is absent (macOS reports bytes there, Linux KiB).
    """
    try:
        for line in _STATUS.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return maxrss / (1024.0 * 1024.0) if sys.platform == "darwin" else maxrss / 1024.0
