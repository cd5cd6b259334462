"""Run every benchmark in turn and print their figures (``make benchmarks``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = ["lookup_latency.py", "scan_to_screen.py", "cold_start.py", "decode_samples.py", "frame_cost.py",
           "time_to_first_read.py", "zoho_sync.py", "scan_during_sync.py"]

if __name__ == "__main__":
    failed = []
    for script in SCRIPTS:
        print(f"== {script}", flush=True)
        if subprocess.run([sys.executable, str(HERE / script)], cwd=HERE).returncode != 0:
            failed.append(script)
    sys.exit(1 if failed else 0)
