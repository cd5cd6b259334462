"""Decoding generated camera-like frames: every enabled symbology, GS1 separators, several
codes, no code, and the passes (fast, thorough, still image)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from scanner_app.camera.decoders import ZxingDecoder
from scanner_app.camera.frame_passes import decode_still
from scanner_app.codes import classify
from scanner_app.config import DEFAULT_CAMERA_FORMATS
from tests.scanning.barcode_images import GS1_LABEL, GS1_RAW, SAMPLES, F, camera_look, photo, place, scene, symbol


@pytest.fixture(scope="module")
def zxing() -> ZxingDecoder:
    return ZxingDecoder(DEFAULT_CAMERA_FORMATS)


def test_every_default_format_has_a_sample() -> None:
    assert set(SAMPLES) == set(DEFAULT_CAMERA_FORMATS)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_enabled_symbology_is_read_in_a_camera_frame(zxing: ZxingDecoder, name: str) -> None:
    fmt, content, raw = SAMPLES[name]
    frame = photo(symbol(fmt, content, scale=3), size=(1280, 720), centre=(700, 380))
    reads = zxing.decode(frame)
    assert [(r.format, r.raw) for r in reads] == [(name, raw)]
    cx, cy = reads[0].centre
    assert abs(cx - 700) < 40 and abs(cy - 380) < 40  # the position is where the code is
    assert reads[0].elapsed_ms > 0


def test_a_format_left_out_of_the_settings_is_not_read() -> None:
    fmt, content, _ = SAMPLES["code39"]
    frame = photo(symbol(fmt, content))
    assert ZxingDecoder(["ean13", "code128"]).decode(frame) == []
    assert [r.format for r in ZxingDecoder(["code39"]).decode(frame)] == ["code39"]


@pytest.mark.parametrize("fmt, identifier", [(F.Code128, "]C1"), (F.DataMatrix, "]d2")])
def test_gs1_payload_keeps_group_separators(zxing: ZxingDecoder, fmt: object, identifier: str) -> None:
    frame = photo(symbol(fmt, GS1_LABEL, scale=3, gs1=True), size=(1280, 720))  # type: ignore[arg-type]
    (read,) = zxing.decode(frame)
    assert read.raw == GS1_RAW and "\x1d" in read.raw and "(" not in read.raw
    assert read.symbology_identifier == identifier
    assert read.gs1 == {"01": "04000001300112", "17": "300131", "10": "SAN-2501", "21": "Z22-1001"}
    # what a wedge scanner types for the same label (FNC1 as ASCII 29) is understood the same
    wedge = classify("\x1d" + GS1_RAW)
    assert classify(read.raw).gs1 == wedge.gs1 == read.gs1


def test_a_retail_code_reads_as_a_wedge_scanner_sends_it(zxing: ZxingDecoder) -> None:
    (read,) = zxing.decode(photo(symbol(F.UPCA, "614141100217")))
    assert (read.format, read.raw, read.symbology_identifier) == ("upca", "614141100217", "]E0")
    assert classify(read.raw).gtin14 == "00614141100217"


def test_several_codes_in_one_frame_are_all_read_with_their_positions(zxing: ZxingDecoder) -> None:
    left = symbol(F.EAN13, "4000001100118", scale=2)
    right = symbol(F.Code128, "PKG-BOX-433", scale=2)
    frame = camera_look(place(place(scene(1280, 720), left, (300, 360)), right, (950, 360)))
    reads = {r.raw: r for r in zxing.decode(frame)}
    assert set(reads) == {"4000001100118", "PKG-BOX-433"}
    assert reads["4000001100118"].centre[0] < 640 < reads["PKG-BOX-433"].centre[0]


def test_a_frame_without_a_code_reads_nothing(zxing: ZxingDecoder) -> None:
    busy = camera_look(scene(1280, 720))
    assert zxing.decode(busy) == []
    assert zxing.decode(busy, thorough=True) == []
    assert zxing.decode(np.zeros((480, 640), np.uint8), thorough=True) == []


def test_turned_and_inverted_codes_need_the_thorough_pass(zxing: ZxingDecoder) -> None:
    turned = photo(cv2.rotate(symbol(F.Code128, "PKG-BOX-433"), cv2.ROTATE_90_CLOCKWISE))
    inverted = photo(255 - symbol(F.QRCode, "Z22-1001", scale=5))
    for frame in (turned, inverted):
        assert zxing.decode(frame) == []
        assert [r.raw for r in zxing.decode(frame, thorough=True)] in (["PKG-BOX-433"], ["Z22-1001"])


def test_a_small_blurred_still_is_read_by_the_upscaled_pass(zxing: ZxingDecoder) -> None:
    # a small, soft, JPEG-compressed crop: 1.6 px per module, like the sample photos it helps on
    image = symbol(F.UPCA, "614141100217", scale=2)
    small = cv2.GaussianBlur(cv2.resize(image, None, fx=0.8, fy=0.4, interpolation=cv2.INTER_AREA), (0, 0), 0.5)
    small = cv2.imdecode(cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, 60])[1], cv2.IMREAD_GRAYSCALE)
    assert zxing.decode(small, thorough=True) == []
    (read,) = decode_still(zxing, small)
    assert read.raw == "614141100217"
    assert max(x for x, _ in read.position) <= small.shape[1] + 2  # positions in the original's pixels


def test_the_local_average_try_is_skipped_while_it_is_expensive_and_probed_again() -> None:
    from scanner_app.camera.decoders import LOCAL_AVERAGE_BUDGET_MS, LOCAL_AVERAGE_PROBE_EVERY

    fmt, content, raw = SAMPLES["qrcode"]
    # 3 px a module among dark shapes: one threshold per row misses it, local averages read it
    frame = camera_look(place(scene(1280, 720), symbol(fmt, content, scale=3), (700, 380)))
    decoder = ZxingDecoder()
    assert [r.raw for r in decoder.decode(frame)] == [raw]
    decoder.local_average_ms = 50.0  # as measured on a noisy camera
    results = [bool(decoder.decode(frame)) for _ in range(LOCAL_AVERAGE_PROBE_EVERY)]
    assert results == [False] * (LOCAL_AVERAGE_PROBE_EVERY - 1) + [True]  # the probe reads it and re-measures
    assert decoder.local_average_ms != 50.0  # re-measured: tried on the next frame only if now cheap
    assert bool(decoder.decode(frame)) is (decoder.local_average_ms <= LOCAL_AVERAGE_BUDGET_MS)
