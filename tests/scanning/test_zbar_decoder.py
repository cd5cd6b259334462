"""pyzbar in its worker process: reads what zbar can, and a dead worker costs one frame."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import pytest

from scanner_app.camera.decoders import DecoderError
from scanner_app.camera.zbar_decoder import ZbarDecoder
from tests.scanning.barcode_images import GS1_LABEL, SAMPLES, F, photo, symbol


@pytest.fixture
def zbar() -> Iterator[ZbarDecoder]:
    decoder = ZbarDecoder()
    yield decoder
    decoder.close()


def test_reads_retail_and_industrial_codes(zbar: ZbarDecoder) -> None:
    for name in ("ean13", "upca", "code128", "qrcode"):
        fmt, content, raw = SAMPLES[name]
        assert [(r.format, r.raw) for r in zbar.decode(photo(symbol(fmt, content)))] == [(name, raw)]


def test_cannot_read_data_matrix_and_drops_the_gs1_128_fnc1(zbar: ZbarDecoder) -> None:
    fmt, content, _ = SAMPLES["datamatrix"]
    assert zbar.decode(photo(symbol(fmt, content, scale=4)), thorough=True) == []
    (read,) = zbar.decode(photo(symbol(F.Code128, GS1_LABEL, scale=2, gs1=True), size=(1280, 720)))
    assert read.symbology_identifier is None  # no "]C1": zbar does not say it was GS1
    assert read.raw.startswith("0104000001300112")  # no leading separator either
    assert read.gs1 is not None and read.gs1["21"] == "Z22-1001"  # still understood as GS1


def test_a_killed_worker_is_reported_and_replaced(zbar: ZbarDecoder) -> None:
    frame = photo(symbol(*SAMPLES["ean13"][:2]))
    assert zbar.decode(frame)
    pid = zbar.worker_pid
    assert pid is not None and pid != os.getpid()
    os.kill(pid, signal.SIGKILL)  # what libzbar's abort() does to the process it runs in
    with pytest.raises(DecoderError, match=r"zbar worker process (had )?died \(exit code -9\)"):
        zbar.decode(frame)
    assert [r.raw for r in zbar.decode(frame)] == ["4000001100118"]
    assert zbar.restarts == 1 and zbar.worker_pid != pid


def test_a_worker_dying_during_a_frame_is_reported(zbar: ZbarDecoder, monkeypatch: pytest.MonkeyPatch) -> None:
    zbar.start()
    pid = zbar.worker_pid
    assert pid is not None
    conn = zbar._worker._conn
    assert conn is not None
    real_send = conn.send

    def send_then_die(request: object) -> None:
        real_send(request)
        os.kill(pid, signal.SIGKILL)

    monkeypatch.setattr(conn, "send", send_then_die)
    with pytest.raises(DecoderError, match="died"):
        zbar.decode(photo(symbol(*SAMPLES["ean13"][:2])))
    assert zbar.decode(photo(symbol(*SAMPLES["ean8"][:2])))[0].raw == "96385074"


def test_close_ends_the_worker() -> None:
    decoder = ZbarDecoder()
    decoder.start()
    process = decoder._worker._process
    assert process is not None and process.is_alive()
    decoder.close()
    assert not process.is_alive()
