"""PyInstaller runtime hook: let pyzbar find the libzbar bundled with a frozen build.

pyzbar looks the library up with ``ctypes.util.find_library("zbar")``, which searches the
system; on a packing-bench PC without libzbar that finds nothing. Point it at the copy in
the bundle first, and fall back to the system's.
"""

import ctypes.util
import glob
import os
import sys

_bundle = getattr(sys, "_MEIPASS", None)
_original_find_library = ctypes.util.find_library


def _find_library(name: str):  # type: ignore[no-untyped-def]
    if name == "zbar" and _bundle:
        for pattern in ("libzbar.so*", "libzbar*.dylib", "libzbar*.dll"):
            found = sorted(glob.glob(os.path.join(_bundle, pattern)))
            if found:
                return found[0]
    return _original_find_library(name)


ctypes.util.find_library = _find_library
