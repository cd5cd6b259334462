"""A serial scanner for real: a pseudo-terminal pair stands in for the USB CDC device, and a
symlink for udev's stable /dev/serial/by-id name (so the port can vanish and come back)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from scanner_app.config import SerialScannerSettings
from scanner_app.ui.serial_scanner import SerialScannerPort


class FakeScannerDevice:
    """The scanner's side of a pty; ``link`` is the stable device name the station opens."""

    def __init__(self, link: Path) -> None:
        self.link = link
        self.master = -1
        self.slave = -1
        self.plug()

    def plug(self) -> None:
        self.master, self.slave = os.openpty()
        if self.link.is_symlink():
            self.link.unlink()
        self.link.symlink_to(os.ttyname(self.slave))

    def unplug(self) -> None:
        self.link.unlink()
        os.close(self.slave)
        os.close(self.master)

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def close(self) -> None:
        for fd in (self.slave, self.master):
            try:
                os.close(fd)
            except OSError:
                pass


@pytest.fixture
def device(tmp_path: Path) -> Iterator[FakeScannerDevice]:
    dev = FakeScannerDevice(tmp_path / "usb-scanner")
    yield dev
    dev.close()


def make_port(qtbot, device: FakeScannerDevice, **kw) -> tuple[SerialScannerPort, list[str], list[str]]:  # type: ignore[no-untyped-def]
    port = SerialScannerPort(SerialScannerSettings(port=str(device.link), reconnect_seconds=0.2, **kw))
    scans: list[str] = []
    messages: list[str] = []
    port.scanned.connect(scans.append)
    port.status.connect(messages.append)
    return port, scans, messages


def test_a_scan_arrives(qtbot, device: FakeScannerDevice) -> None:  # type: ignore[no-untyped-def]
    port, scans, messages = make_port(qtbot, device)
    assert port.open()
    device.send(b"4006381333931\r0104006381333931\x1d10LOT7\r")
    qtbot.waitUntil(lambda: len(scans) == 2, timeout=3000)
    assert scans == ["4006381333931", "0104006381333931\x1d10LOT7"]
    assert "connected" in messages[0]
    port.close()


def test_port_vanishes_and_returns(qtbot, device: FakeScannerDevice) -> None:  # type: ignore[no-untyped-def]
    port, scans, messages = make_port(qtbot, device)
    assert port.open()
    device.send(b"FIRST-1\r")
    qtbot.waitUntil(lambda: scans == ["FIRST-1"], timeout=3000)
    device.unplug()
    qtbot.waitUntil(lambda: not port.is_connected, timeout=5000)
    assert any("disconnected" in m for m in messages)
    attempts: list[bool] = []  # whether each reconnect attempt while it is gone connected
    port._retry.timeout.connect(lambda: attempts.append(port.is_connected))  # after the port's own slot
    qtbot.waitUntil(lambda: len(attempts) >= 2, timeout=5000)
    assert not any(attempts)  # retried, and failed, while it was gone
    device.plug()
    qtbot.waitUntil(lambda: port.is_connected, timeout=5000)
    device.send(b"SECOND-2\r")
    qtbot.waitUntil(lambda: scans == ["FIRST-1", "SECOND-2"], timeout=3000)
    port.close()


def test_missing_port_at_start_is_retried(qtbot, device: FakeScannerDevice) -> None:  # type: ignore[no-untyped-def]
    device.unplug()
    port, scans, messages = make_port(qtbot, device)
    assert not port.open()
    assert "not available" in messages[-1]
    device.plug()
    qtbot.waitUntil(lambda: port.is_connected, timeout=5000)
    device.send(b"LATE-3\r")
    qtbot.waitUntil(lambda: scans == ["LATE-3"], timeout=3000)
    port.close()


def test_garbage_is_reported_not_scanned(qtbot, device: FakeScannerDevice) -> None:  # type: ignore[no-untyped-def]
    port, scans, messages = make_port(qtbot, device)
    port.framer.max_length = 64
    assert port.open()
    device.send(b"\xfe" * 200)
    qtbot.waitUntil(lambda: any("baud rate" in m for m in messages), timeout=3000)
    assert scans == []
    port.close()


def test_window_answers_a_serial_scan(qtbot, device: FakeScannerDevice, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import json

    from scanner_app.config import FeedbackSettings, Settings
    from scanner_app.inventory.importer import import_file
    from scanner_app.paths import resolve_paths
    from scanner_app.station import Station
    from scanner_app.ui.main_window import MainWindow

    settings = Settings(feedback=FeedbackSettings(sound=False),
                        serial_scanner=SerialScannerSettings(port=str(device.link), reconnect_seconds=0.2))
    station = Station(resolve_paths(tmp_path / "home"), settings)
    catalogue = tmp_path / "c.json"
    catalogue.write_text(json.dumps({"items": [{"item_id": "1", "name": "Tape", "sku": "TAPE-50"}]}))
    import_file(station.inventory, catalogue)
    window = MainWindow(station)
    qtbot.addWidget(window)
    assert "connected" in window.input_status.text()
    device.send(b"TAPE-50\r")
    qtbot.waitUntil(lambda: window.lookup_page.card.state == "found", timeout=3000)
    qtbot.waitUntil(lambda: window.saved_scans == 1, timeout=3000)
    assert station.history.recent(1)[0].source == "serial"
    window.close()
    station.close()
