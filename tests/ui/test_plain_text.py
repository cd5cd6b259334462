"""Text from data is shown as plain text in the window, never rendered as HTML: a scanned
``<b>x</b>`` reads ``<b>x</b>``, an item named ``<font color=green>OK</font>`` is not green."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from scanner_app.ui.widgets.plain_text import escaped, plain_tooltip
from tests.ui.keys import scan_burst

HTML_NAME = "<font color=green size=7>OK - genuine</font>"


@pytest.fixture
def catalogue() -> dict[str, Any]:
    return {"items": [{"item_id": "9001", "name": HTML_NAME, "sku": "FAKE-1", "unit": "<i>pcs</i>",
                       "locations": [{"location_id": "WH1", "location_name": "<h1>Main</h1>",
                                      "location_stock_on_hand": "3"}]}]}


def _labels_showing(window: Any, text: str) -> list[QLabel]:
    return [label for label in window.findChildren(QLabel) if text in label.text() and label.isVisible()]


def test_a_scanned_tag_is_shown_as_the_characters_scanned(qtbot: Any, window: Any) -> None:
    entry = window.lookup_page.entry
    entry.setFocus()
    qtbot.waitUntil(entry.hasFocus)
    scan_burst(entry, "<b>x</b>")
    card = window.lookup_page.card
    assert card.state == "not_found"
    assert card.code_label.text() == "<b>x</b>"
    assert card.code_label.textFormat() == Qt.TextFormat.PlainText
    assert card.reason.text() == "No item, serial, batch or bin with code '<b>x</b>'"
    assert card.reason.textFormat() == Qt.TextFormat.PlainText
    shown = _labels_showing(window, "<b>x</b>")
    assert shown and all(label.textFormat() == Qt.TextFormat.PlainText for label in shown)


def test_an_item_named_in_html_is_shown_as_plain_text_in_every_label(qtbot: Any, window: Any) -> None:
    entry = window.lookup_page.entry
    entry.setFocus()
    qtbot.waitUntil(entry.hasFocus)
    scan_burst(entry, "FAKE-1")
    card = window.lookup_page.card
    assert card.state == "found"
    assert card.title.text() == HTML_NAME
    assert card.field_text("Unit") == "<i>pcs</i>"
    shown = _labels_showing(window, "<font color=green")
    assert card.title in shown
    assert [label for label in shown if label.textFormat() != Qt.TextFormat.PlainText] == []
    assert card.stock_table.item(0, 0).text() == "<h1>Main</h1>"  # a table cell: plain by nature


def test_every_label_of_the_window_is_plain_text_but_the_one_with_the_stations_own_link(
    qtbot: Any, window: Any
) -> None:
    rich = [label for label in window.findChildren(QLabel) if label.textFormat() != Qt.TextFormat.PlainText]
    assert rich == []  # the sync problem label turns rich only for its link, its words escaped


def test_tooltips_from_data_show_the_text_and_ordinary_ones_stay_as_they_are() -> None:
    assert plain_tooltip("Station > Settings") == "Station > Settings"
    assert plain_tooltip("<b>refused</b>") == "<p>&lt;b&gt;refused&lt;/b&gt;</p>"
    assert escaped('<a href="x">') == "&lt;a href=&quot;x&quot;&gt;"
