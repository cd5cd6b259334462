"""Guard for the PySide6 pin in pyproject.toml: a binding that drops references to None
on void calls aborts the station after a few hundred scans on Python 3.11."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_void_calls_keep_none_alive(qtbot) -> None:  # type: ignore[no-untyped-def]
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(500):
        label.setText("x")
    assert sys.getrefcount(None) - before > -50, "this PySide6 build leaks None references; see pyproject.toml"
