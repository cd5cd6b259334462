"""The preview draws frames and outlines, and a click on a code picks it."""

from __future__ import annotations

import numpy as np

from scanner_app.ui.widgets.camera_preview import CameraPreview, OutlinedCode, bgr_to_qimage


def test_bgr_conversion_keeps_colours() -> None:
    frame = np.zeros((2, 3, 3), dtype=np.uint8)
    frame[0, 0] = (255, 0, 0)  # blue in BGR
    image = bgr_to_qimage(frame)
    assert (image.width(), image.height()) == (3, 2)
    colour = image.pixelColor(0, 0)
    assert (colour.red(), colour.green(), colour.blue()) == (0, 0, 255)


def test_click_on_an_outlined_code_picks_it(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QPoint, Qt

    preview = CameraPreview()
    qtbot.addWidget(preview)
    preview.resize(640, 360)
    preview.show()
    frame = np.full((720, 1280, 3), 200, dtype=np.uint8)
    left = OutlinedCode("LEFT", "LEFT-RAW", ((100, 100), (300, 100), (300, 200), (100, 200)))
    right = OutlinedCode("RIGHT", "RIGHT-RAW", ((900, 500), (1100, 500), (1100, 600), (900, 600)))
    preview.set_frame(frame, [left, right])
    clicked: list[str] = []
    preview.code_clicked.connect(clicked.append)
    # the frame is scaled by 0.5 into the 640x360 widget
    qtbot.mouseClick(preview, Qt.MouseButton.LeftButton, pos=QPoint(500, 275))
    qtbot.mouseClick(preview, Qt.MouseButton.LeftButton, pos=QPoint(320, 20))  # on no code
    qtbot.mouseClick(preview, Qt.MouseButton.LeftButton, pos=QPoint(100, 75))
    assert clicked == ["RIGHT-RAW", "LEFT-RAW"]
    image = preview.grab().toImage()
    outline = image.pixelColor(50, 50)  # the corner of LEFT's outline, in yellow
    assert outline.red() > 200 and outline.green() > 180 and outline.blue() < 100
