"""The Dispatch page as a packer uses it: scans with a wedge scanner go to the dispatch,
refusals say why with the error sound, Complete, and the states update live as the
window's relay delivers; the outbox badge and dialog (retry, discard with a reason)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.ui.keys import scan_from_another_field as scan
from tests.workflows.conftest import dispatch_catalogue


@pytest.fixture
def catalogue() -> dict[str, Any]:
    return dispatch_catalogue()


@pytest.fixture
def dispatching(qtbot, window):  # type: ignore[no-untyped-def]
    window.pages.setCurrentWidget(window.dispatch_page)
    page = window.dispatch_page
    qtbot.waitUntil(lambda: page.warehouse.count() == 2)
    page.entity_id.setText("SO-77")
    page.warehouse.setCurrentIndex(page.warehouse.findData("W1"))
    page.start_button.click()
    assert window.dispatch.workflow.is_open
    return window


def test_scanning_a_dispatch_shows_states_updating_live(qtbot, dispatching) -> None:  # type: ignore[no-untyped-def]
    window, page = dispatching, dispatching.dispatch_page
    assert page.document_label.text().startswith("salesorder SO-77 · Main · open")  # the name, not "W1"
    scan(qtbot, window, "DRL-18")
    assert page.banner_state == "accepted"
    scan(qtbot, window, "SN-0001")
    assert page.state_of("SN-0001") == "Scanned"
    scan(qtbot, window, "SN-NORTH")
    assert page.banner_state == "refused" and window.sounds.played[-1] == "invalid"
    assert "SN-NORTH of Drill is in North, not in this warehouse" in page._banners["refused"].message.text()
    assert page.state_of("SN-NORTH") is None
    assert window.lookup_page.card.state == "idle"  # the scans went to the dispatch, not to Lookup
    page.complete_button.click()
    qtbot.waitUntil(lambda: page.state_of("SN-0001") == "✔ Mapped", timeout=5000)
    qtbot.waitUntil(lambda: "0 pending · 0 failed" in window.outbox_badge.button.text(), timeout=5000)
    qtbot.waitUntil(lambda: window.saved_scans == 3, timeout=3000)  # the history has every scan


def test_a_refused_mapping_is_listed_and_can_be_discarded_with_a_reason(qtbot, dispatching) -> None:  # type: ignore[no-untyped-def]
    window, page = dispatching, dispatching.dispatch_page
    for code in ("DRL-18", "A-01-02", "SN-0001"):  # the inventory has SN-0001 in A-01-01: refused on delivery
        scan(qtbot, window, code)
    page.complete_button.click()
    qtbot.waitUntil(lambda: (page.state_of("SN-0001") or "").startswith("✖ Failed"), timeout=5000)
    assert "in another bin" in (page.state_of("SN-0001") or "")
    qtbot.waitUntil(lambda: "1 failed" in window.outbox_badge.button.text(), timeout=3000)
    dialog = window.outbox_badge.open_dialog()
    dialog.ask_reason = lambda _parent, _entry: "picked from the wrong bin"
    assert dialog.table.rowCount() == 1 and "another bin" in dialog.table.item(0, 5).text()
    dialog.table.selectRow(0)
    dialog.discard_selected()
    entry_id = dialog.entries[0].entry_id if dialog.entries else window.outbox.entries()[0].entry_id
    assert [(a.action, a.reason) for a in window.outbox.actions(entry_id)] == [("discarded", "picked from the wrong bin")]
    qtbot.waitUntil(lambda: any(e.status == "discarded" for e in window.station.history.recent(20)), timeout=3000)
    recorded = next(e for e in window.station.history.recent(20) if e.status == "discarded")
    assert recorded.source == "outbox" and recorded.reason == "picked from the wrong bin"
    qtbot.waitUntil(lambda: page.state_of("SN-0001") == "Discarded: " + (window.outbox.get(entry_id).vendor_message
                                                                           or window.outbox.get(entry_id).last_error or ""),
                    timeout=3000)


def test_a_document_number_scanned_before_a_dispatch_is_accepted_on_screen_and_in_the_history(  # type: ignore[no-untyped-def]
        qtbot, window) -> None:
    window.pages.setCurrentWidget(window.dispatch_page)
    page = window.dispatch_page
    qtbot.waitUntil(lambda: page.warehouse.count() == 2)
    scan(qtbot, window, "SO-4711")
    assert page.entity_id.text() == "SO-4711" and page.banner_state == "accepted"
    qtbot.waitUntil(lambda: window.saved_scans == 1, timeout=3000)
    [entry] = window.station.history.recent(1)
    assert (entry.raw, entry.status) == ("SO-4711", "accepted")  # was "refused" while the screen said read
