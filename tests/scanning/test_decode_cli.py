"""``scanner-app decode`` on real files, as a script would run it (a subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import cv2
import pytest

from tests.scanning.barcode_images import GS1_LABEL, GS1_RAW, F, photo, scene, symbol, write_sliding_video


def decode(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scanner_app", "--home", str(home), "decode", *args],
                          capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("decode")
    paths = {"gs1": folder / "label.png", "empty": folder / "shelf.jpg", "video": folder / "clip.avi",
             "junk": folder / "notes.png"}
    cv2.imwrite(str(paths["gs1"]), photo(symbol(F.DataMatrix, GS1_LABEL, scale=5, gs1=True)))
    cv2.imwrite(str(paths["empty"]), scene())
    write_sliding_video(paths["video"], symbol(F.Code128, "PKG-BOX-433", scale=2), frames=30)
    paths["junk"].write_text("not a picture")
    return paths


def test_json_has_one_object_per_read(tmp_path: Path, files: dict[str, Path]) -> None:
    result = decode(tmp_path, str(files["gs1"]), str(files["video"]), "--json")
    assert result.returncode == 0, result.stderr
    assert "\\u001d" in result.stdout  # ASCII 29 escaped in the JSON text
    image_read, video_read = json.loads(result.stdout)
    assert set(image_read) == {"file", "frame", "format", "raw", "symbology_identifier", "gs1", "position", "elapsed_ms"}
    assert image_read["file"] == str(files["gs1"]) and image_read["frame"] is None
    assert (image_read["format"], image_read["raw"], image_read["symbology_identifier"]) == ("datamatrix", GS1_RAW, "]d2")
    assert image_read["gs1"]["10"] == "SAN-2501"
    assert len(image_read["position"]) == 4 and all(len(p) == 2 for p in image_read["position"])
    assert video_read["file"] == str(files["video"]) and isinstance(video_read["frame"], int)
    assert (video_read["raw"], video_read["gs1"]) == ("PKG-BOX-433", None)  # once, though in many frames


def test_readable_output_and_zbar(tmp_path: Path, files: dict[str, Path]) -> None:
    result = decode(tmp_path, str(files["video"]), "--decoder", "zbar")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("PKG-BOX-433") == 1 and "frame" in result.stdout and "code128" in result.stdout


def test_nothing_read_exits_1(tmp_path: Path, files: dict[str, Path]) -> None:
    result = decode(tmp_path, str(files["empty"]), "--json")
    assert result.returncode == 1 and json.loads(result.stdout) == []
    result = decode(tmp_path, str(files["empty"]))
    assert result.returncode == 1 and "no code found" in result.stdout


def test_missing_and_unreadable_files_are_named(tmp_path: Path, files: dict[str, Path]) -> None:
    missing = tmp_path / "gone.png"
    result = decode(tmp_path, str(files["gs1"]), str(missing), str(files["junk"]), "--json")
    assert result.returncode == 1
    assert f"{missing}: no such file" in result.stderr
    assert f"{files['junk']}: not an image or video" in result.stderr
    assert [r["file"] for r in json.loads(result.stdout)] == [str(files["gs1"])]  # what could be read still is
