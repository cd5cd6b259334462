"""The result card sets up every part once after its first paint (so the first answer
costs less), without changing what is on screen or telling anyone it painted, and never
over an answer already showing."""

from __future__ import annotations

from scanner_app.scanning.scan import Scan, ScanSource
from scanner_app.station import Station
from scanner_app.ui.result_card import FIELD_NAMES, ResultCard


def test_the_card_warms_up_by_itself_after_the_window_first_paints(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    card = window.lookup_page.card
    qtbot.waitUntil(lambda: card.warmed_up, timeout=5000)
    assert card.state == "idle" and card.headline.text() == "Ready: scan a code"
    window.handle_scan("TAPE-50", ScanSource.MANUAL)
    assert card.state == "found" and card.field_text("SKU") == "TAPE-50"


def test_warming_up_leaves_the_card_idle_and_emits_nothing(qtbot) -> None:  # type: ignore[no-untyped-def]
    card = ResultCard()
    qtbot.addWidget(card)
    card.resize(600, 800)
    card.show()
    card.warmed_up = False  # as if its first paint had not happened yet
    painted: list[None] = []
    card.painted.connect(lambda: painted.append(None))
    card.warm_up()
    assert card.warmed_up and card.state == "idle" and painted == []
    assert card.banner_stack.state == "idle"
    assert all(card.field_text(name) is None for name in FIELD_NAMES)
    assert not card.title.isVisible() and not card.stock_table.isVisible() and not card.stock_caption.isVisible()
    assert card.stock_table.rowCount() == 0
    card.update()
    qtbot.waitUntil(lambda: painted != [], timeout=2000)  # signals are unblocked again


def test_warming_up_never_replaces_an_answer_on_screen(qtbot, station: Station) -> None:  # type: ignore[no-untyped-def]
    card = ResultCard()
    qtbot.addWidget(card)
    card.show_outcome(station.pipeline.process(Scan("TAPE-50", ScanSource.MANUAL)))
    card.warm_up()
    assert card.warmed_up  # not tried again: that answer set up what it showed
    assert card.state == "found" and card.field_text("SKU") == "TAPE-50"
