"""The scan input (Qt-free): a scan and its answer, the one pipeline every source feeds, the
keyboard-wedge burst detector and the serial port's framing. The camera is ``scanner_app.camera``."""
