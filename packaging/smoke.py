"""Smoke test of a frozen build, run by `make package` after building.

Starts the built program with no Python on PATH and checks: `--version`; `lookup` of a demo
code; `decode` of a sample image; the window opening offscreen and closing cleanly on
SIGTERM. Prints the build's size and its cold-start times.

    python packaging/smoke.py build/dist/scanner-app
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def sample_image(folder: Path) -> Path:
    import zxingcpp  # the build machine has it; the frozen program is what reads the image

    image = zxingcpp.write_barcode_to_image(zxingcpp.create_barcode("4000001100118", zxingcpp.BarcodeFormat.EAN13), scale=4)
    import cv2
    import numpy as np

    path = folder / "sample.png"
    cv2.imwrite(str(path), np.pad(np.asarray(image), 40, constant_values=255))
    return path


def main() -> int:
    dist = Path(sys.argv[1] if len(sys.argv) > 1 else "build/dist/scanner-app").resolve()
    exe = dist / ("scanner-app.exe" if os.name == "nt" else "scanner-app")
    if not exe.exists():
        print(f"smoke: no built program at {exe}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        empty_bin = tmpdir / "empty-bin"
        empty_bin.mkdir()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
        env.update(PATH=str(empty_bin), QT_QPA_PLATFORM="offscreen")
        home = tmpdir / "home"
        failures: list[str] = []

        def run(*args: str) -> tuple[subprocess.CompletedProcess[str], float]:
            t0 = time.perf_counter()
            done = subprocess.run([str(exe), *args], capture_output=True, text=True, env=env, timeout=120)
            return done, time.perf_counter() - t0

        out, version_s = run("--version")
        print(f"--version: {out.stdout.strip()!r} in {version_s:.2f} s")
        if out.returncode != 0 or "scanner-app" not in out.stdout:
            failures.append(f"--version: {out.returncode} {out.stderr}")

        out, lookup_s = run("--home", str(home), "lookup", "4000001100118", "--json")
        ok = out.returncode == 0 and json.loads(out.stdout or "{}").get("status") == "found"
        print(f"lookup of a demo code: {'found' if ok else 'FAILED'} in {lookup_s:.2f} s (first run installs the demo)")
        if not ok:
            failures.append(f"lookup: {out.returncode} {out.stdout} {out.stderr}")

        out, decode_s = run("--home", str(home), "decode", str(sample_image(tmpdir)), "--json")
        reads = json.loads(out.stdout or "[]") if out.returncode == 0 else []
        ok = any(r.get("raw") == "4000001100118" for r in reads)
        print(f"decode of a sample image: {'read' if ok else 'FAILED'} in {decode_s:.2f} s")
        if not ok:
            failures.append(f"decode: {out.returncode} {out.stdout} {out.stderr}")

        log = home / "logs" / "scanner-app.log"
        t0 = time.perf_counter()
        window = subprocess.Popen([str(exe), "--home", str(home)], env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        shown_s = None
        while time.perf_counter() - t0 < 60 and window.poll() is None:
            if log.exists() and "station window shown" in log.read_text():
                shown_s = time.perf_counter() - t0
                break
            time.sleep(0.05)
        if shown_s is None:
            window.kill()
            failures.append(f"window never shown: {window.communicate()[1][-2000:]}")
        else:
            window.send_signal(signal.SIGTERM)
            code = window.wait(timeout=30)
            print(f"window: shown after {shown_s:.2f} s (cold start), closed cleanly on SIGTERM: {code == 0}")
            if code != 0:
                failures.append(f"window exit code {code}: {window.communicate()[1][-2000:]}")
    print(f"build size: {folder_size(dist) / 1e6:.0f} MB in {dist}")
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    print("smoke: PASS" if not failures else "smoke: FAIL")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
