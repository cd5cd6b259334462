"""The Qt adapter of the burst detector, on real widgets: capture anywhere, never hijack."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QVBoxLayout, QWidget

from scanner_app.config import ScannerSettings
from scanner_app.ui.wedge_filter import WedgeKeyFilter
from tests.ui.keys import send_chars


def make(qtbot, settings: ScannerSettings | None = None):  # type: ignore[no-untyped-def]
    root = QWidget()
    qtbot.addWidget(root)
    edit, other, button = QLineEdit(), QLineEdit(), QPushButton("OK")
    layout = QVBoxLayout(root)
    for w in (edit, other, button):
        layout.addWidget(w)
    root.show()
    qtbot.waitExposed(root)
    root.activateWindow()
    wedge = WedgeKeyFilter(settings)
    scans: list[tuple[str, float]] = []
    wedge.scanned.connect(lambda code, ms: scans.append((code, ms)))
    QApplication.instance().installEventFilter(wedge)
    qtbot.addWidget(root, before_close_func=lambda _: QApplication.instance().removeEventFilter(wedge))
    return root, edit, other, button, wedge, scans


def test_burst_in_a_text_field_is_captured_not_typed(qtbot) -> None:  # type: ignore[no-untyped-def]
    _root, edit, _, _, _, scans = make(qtbot)
    edit.setText("existing ")
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    qtbot.keyClicks(edit, "SN-0001-XY")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert [code for code, _ in scans] == ["SN-0001-XY"]
    assert edit.text() == "existing "


def test_burst_with_focus_on_a_button_is_captured(qtbot) -> None:  # type: ignore[no-untyped-def]
    _root, _, _, button, _, scans = make(qtbot)
    clicked: list[bool] = []
    button.clicked.connect(lambda: clicked.append(True))
    button.setFocus()
    qtbot.waitUntil(button.hasFocus)
    qtbot.keyClicks(button, "4006381333931")
    qtbot.keyClick(button, Qt.Key.Key_Tab)
    assert [code for code, _ in scans] == ["4006381333931"]
    assert button.hasFocus()  # the Tab ended the scan; it did not move focus


def test_human_typing_reaches_the_field_in_order(qtbot) -> None:  # type: ignore[no-untyped-def]
    _root, edit, _, _, _, scans = make(qtbot)
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    for ch in "abc-12":
        qtbot.keyClicks(edit, ch)
        qtbot.wait(90)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: edit.text() == "abc-12", timeout=2000)
    assert scans == []


def test_fast_but_short_run_is_released_as_typing(qtbot) -> None:  # type: ignore[no-untyped-def]
    _root, edit, _, _, _, scans = make(qtbot, ScannerSettings(min_length=4))
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    returns: list[bool] = []
    edit.returnPressed.connect(lambda: returns.append(True))
    qtbot.keyClicks(edit, "ok")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert edit.text() == "ok"
    assert returns == [True]  # Enter delivered after the released keys
    assert scans == []


def test_shortcut_keys_pass_straight_through(qtbot) -> None:  # type: ignore[no-untyped-def]
    _root, edit, _, _, _, scans = make(qtbot)
    edit.setText("select me")
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert edit.selectedText() == "select me"
    assert scans == []


def test_group_separator_kept_in_scan(qtbot) -> None:  # type: ignore[no-untyped-def]
    _root, edit, _, _, _, scans = make(qtbot)
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    send_chars(edit, "0104006381333931\x1d10LOT7")  # FNC1 as Ctrl+] (ASCII 29)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert [code for code, _ in scans] == ["0104006381333931\x1d10LOT7"]


def test_shift_presses_inside_a_burst_do_not_split_it(qtbot) -> None:  # type: ignore[no-untyped-def]
    # A HID scanner types "SAN-2311" as Shift+S, Shift+A, Shift+N, -, 2, 3, 1, 1: the Shift
    # presses are part of the burst, not keys that end it (seen with xdotool on a real X server).
    _root, _edit, _, button, _, scans = make(qtbot)
    button.setFocus()
    qtbot.waitUntil(button.hasFocus)
    send_chars(button, "SAN-2311")
    qtbot.keyClick(button, Qt.Key.Key_Return)
    assert [code for code, _ in scans] == ["SAN-2311"]
