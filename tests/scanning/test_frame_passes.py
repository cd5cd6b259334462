"""When the thorough pass runs, and the [camera] settings it is configured from."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner_app.camera.frame_passes import PassScheduler
from scanner_app.camera.symbologies import ZBAR_SYMBOLS, ZXING_FORMATS
from scanner_app.config import CAMERA_FORMATS, CameraSettings, ConfigError, load_settings, save_settings


def test_thorough_pass_only_after_idle_frames_and_then_every_few() -> None:
    scheduler = PassScheduler(idle_frames=3, thorough_every=3)
    pattern = []
    for _ in range(10):
        pattern.append(scheduler.wants_thorough())
        scheduler.record(False, 1.0 if pattern[-1] else None)  # a cheap thorough pass
    assert pattern == [False, False, False, True, False, False, True, False, False, True]
    scheduler.record(True)  # a read: back to fast passes only
    assert not scheduler.wants_thorough()


def test_every_configurable_format_maps_to_the_decoders() -> None:
    assert set(ZXING_FORMATS) == set(CAMERA_FORMATS)
    assert set(ZBAR_SYMBOLS) <= set(CAMERA_FORMATS)
    assert "datamatrix" not in ZBAR_SYMBOLS


def test_camera_settings_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[camera]\nsource = "rtsp://10.0.0.5/stream"\ndecoder = "zbar"\nformats = ["ean13", "qrcode"]\n'
                    "hold_off_seconds = 3\n")
    settings = load_settings(path)
    assert settings.camera == CameraSettings(source="rtsp://10.0.0.5/stream", decoder="zbar",
                                             formats=("ean13", "qrcode"), hold_off_seconds=3.0)
    save_settings(path, settings)
    assert load_settings(path).camera == settings.camera


@pytest.mark.parametrize("text, words", [
    ('[camera]\ndecoder = "opencv"\n', "camera.decoder"),
    ('[camera]\nformats = ["ean13", "maxicode"]\n', "maxicode"),
    ("[camera]\nformats = []\n", "camera.formats"),
    ("[camera]\nhold_off_seconds = -1\n", "hold_off"),
    ('[camera]\nsource = " "\n', "camera.source"),
])
def test_bad_camera_settings_are_named(tmp_path: Path, text: str, words: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=words):
        load_settings(path)


def test_an_expensive_thorough_pass_runs_more_rarely() -> None:
    scheduler = PassScheduler(idle_frames=1, thorough_every=3, budget_ms=3.0)
    ran = []
    for _frame in range(30):
        thorough = scheduler.wants_thorough()
        ran.append(thorough)
        scheduler.record(False, 30.0 if thorough else None)  # 30 ms: at most one per 10 frames
    assert [i for i, r in enumerate(ran) if r] == [1, 11, 21]
