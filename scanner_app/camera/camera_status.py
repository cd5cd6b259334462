"""What a camera tells a person about itself: opened, failing and retrying, finished.

Its own module, free of OpenCV and NumPy, because the window receives these from the
camera process (``camera_process.py``) and unpickling one imports the module that defines
it: the window's process never needs to load the camera machinery.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CameraStatus:
    kind: str  # "opened", "error" (retrying), "finished" (file ended), "decoder_error"
    message: str  # for a person: what happened and what the station does about it
