"""The window of a Pack.cloud station, as a packer and a clerk use it, against the fake
Pack.cloud on loopback (token from SCANNER_APP_PACKCLOUD_TOKEN): the Dispatch page says
"checking with Pack.cloud…" at once and the verdict follows from the network pool while
scans keep being answered; refusals and an unreachable Pack.cloud are said with the error
sound; Complete records the dispatch in the station (nothing sent). The Lookup page shows
a serial only Pack.cloud knows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from scanner_app.config import BackendSettings, FeedbackSettings, Settings
from scanner_app.inventory.importer import import_document
from scanner_app.paths import resolve_paths
from scanner_app.station import Station
from tests.backends.fake_packcloud import FakePackcloud
from tests.backends.loopback_server import slow
from tests.packcloud.conftest import CATALOGUE, STOCKS, seed_units
from tests.ui.conftest import window  # noqa: F401 (the window fixture, on this module's station)
from tests.ui.test_dispatch_page import dispatching, scan  # noqa: F401 (a fixture: Dispatch tab, SO-77 in W1)

LIST = "/v1/organizations/org_7f3a9c/serial-numbers"


@pytest.fixture
def station(tmp_path: Path, packcloud: FakePackcloud, monkeypatch: pytest.MonkeyPatch) -> Iterator[Station]:
    monkeypatch.setenv("SCANNER_APP_PACKCLOUD_TOKEN", packcloud.token)
    seed_units(packcloud)
    stocks = tuple(f"{stock}={warehouse}" for stock, warehouse in STOCKS.items())
    settings = Settings(feedback=FeedbackSettings(sound=False), backend=BackendSettings(kind="packcloud"),
                        packcloud=packcloud.settings(stock_warehouses=stocks))
    st = Station(resolve_paths(tmp_path / "home").ensure(), settings)
    import_document(st.inventory, CATALOGUE)
    yield st
    st.close()


def banner_text(page, state: str) -> str:  # type: ignore[no-untyped-def]
    return str(page._banners[state].message.text())


def test_dispatch_checks_serials_with_packcloud_off_the_ui_thread(qtbot, dispatching,  # type: ignore[no-untyped-def]
                                                                  packcloud: FakePackcloud) -> None:
    window, page = dispatching, dispatching.dispatch_page
    scan(qtbot, window, "A-01")
    scan(qtbot, window, "CAM-X100")
    assert page.banner_state == "accepted"
    packcloud.inject(slow(1.0, path=LIST))  # Pack.cloud takes a second to answer the first check
    scan(qtbot, window, "CAM-0001")
    assert page.banner_state == "checking" and banner_text(page, "checking") == "CAM-0001: checking with Pack.cloud…"
    assert page.state_of("CAM-0001") is None  # not taken before Pack.cloud agrees
    scan(qtbot, window, "CAM-0002")  # the window keeps answering scans while the first check waits
    assert page.banner_state == "checking" and "CAM-0002" in banner_text(page, "checking")
    # both checks were in flight together; whichever Pack.cloud answers first is shown first
    qtbot.waitUntil(lambda: page.state_of("CAM-0001") == "Scanned" and "CAM-0002" in banner_text(page, "refused"),
                    timeout=5000)
    assert "CAM-0002 of 'Camera X100' has already shipped" in banner_text(page, "refused")
    assert "CAM-0001 of Camera X100: bin A-01" in banner_text(page, "accepted")
    assert sorted(window.sounds.played[-2:]) == ["found", "invalid"] and page.state_of("CAM-0002") is None
    scan(qtbot, window, "CAM-N1")
    qtbot.waitUntil(lambda: page.banner_state == "refused", timeout=5000)
    assert "is in North (Pack.cloud stock stock-north), not in Main" in banner_text(page, "refused")
    page.complete_button.click()
    qtbot.waitUntil(lambda: page.state_of("CAM-0001") == "✔ Recorded", timeout=5000)
    assert "recorded with the dispatch" in banner_text(page, "accepted")
    entries = window.station.inventory.connection().execute("SELECT count(*) FROM outbox_entries").fetchone()[0]
    assert entries == 0  # nothing for Pack.cloud, which cannot take it
    assert sorted(q.get("filter[code]") for q in packcloud.list_calls()) == ["CAM-0001", "CAM-0002", "CAM-N1"]


def test_dispatch_when_packcloud_cannot_be_reached(qtbot, dispatching,  # type: ignore[no-untyped-def]
                                                   packcloud: FakePackcloud) -> None:
    window, page = dispatching, dispatching.dispatch_page
    scan(qtbot, window, "CAM-X100")
    packcloud.stop()
    scan(qtbot, window, "CAM-0001")
    assert page.banner_state == "checking"
    qtbot.waitUntil(lambda: page.banner_state == "refused", timeout=10000)
    assert "Pack.cloud cannot be reached (network?)" in banner_text(page, "refused")
    assert "Nothing was recorded" in banner_text(page, "refused") and page.state_of("CAM-0001") is None


def test_lookup_shows_a_serial_only_packcloud_knows(qtbot, window, packcloud: FakePackcloud) -> None:  # type: ignore[no-untyped-def]
    card = window.lookup_page.card
    packcloud.inject(slow(0.5, path=LIST))
    scan(qtbot, window, "CAM-N1")
    assert card.state == "not_found" and card.reason.text() == "Not in the local store: checking with Pack.cloud…"
    assert window.sounds.played == []  # the sound waits for Pack.cloud's word
    qtbot.waitUntil(lambda: card.state == "found", timeout=5000)
    assert card.title.text() == "Camera X100" and card.field_text("Serial") == "CAM-N1"
    assert card.field_text("Serial location") == "North (Pack.cloud stock stock-north)"
    assert card.field_text("Serial status") == "active" and window.sounds.played == ["found"]
    scan(qtbot, window, "CAM-0002")
    qtbot.waitUntil(lambda: card.field_text("Serial") == "CAM-0002", timeout=5000)
    assert card.field_text("Serial status") == "shipped (transacted out)"
    scan(qtbot, window, "NOPE-42")
    qtbot.waitUntil(lambda: "nor in Pack.cloud" in card.reason.text(), timeout=5000)
    assert card.state == "not_found" and window.sounds.played[-1] == "not_found"


def test_the_history_keeps_packcloud_s_answer_not_the_local_one(qtbot, window,  # type: ignore[no-untyped-def]
                                                               packcloud: FakePackcloud) -> None:
    packcloud.inject(slow(0.3, path=LIST))
    scan(qtbot, window, "CAM-N1")  # found in Pack.cloud only
    scan(qtbot, window, "NOPE-42")  # in neither: the local "not found" stands
    qtbot.waitUntil(lambda: "nor in Pack.cloud" in window.lookup_page.card.reason.text(), timeout=5000)

    def stored() -> list[tuple[str, str, str | None]]:
        return [(e.raw, e.status, e.summary) for e in window.station.history.recent(10)]

    qtbot.waitUntil(lambda: stored()[1][1] == "found", timeout=5000)  # amended on the writer thread
    assert stored()[:2] == [("NOPE-42", "not_found", None), ("CAM-N1", "found", "Camera X100 · serial CAM-N1")]
    rows = window.history_panel.rows()
    assert "? not found" in rows[0] and "NOPE-42" in rows[0]
    assert "✔ found" in rows[1] and "Camera X100 · serial CAM-N1" in rows[1]


def test_the_history_replaces_checking_with_the_dispatch_verdict(qtbot, dispatching,  # type: ignore[no-untyped-def]
                                                                 packcloud: FakePackcloud) -> None:
    window = dispatching
    scan(qtbot, window, "A-01")
    scan(qtbot, window, "CAM-X100")
    packcloud.inject(slow(0.3, path=LIST))
    scan(qtbot, window, "CAM-0001")  # accepted once Pack.cloud agrees
    scan(qtbot, window, "CAM-0002")  # refused: it shipped
    qtbot.waitUntil(lambda: window.dispatch_page.state_of("CAM-0001") == "Scanned", timeout=5000)

    def stored() -> dict[str, tuple[str, str | None]]:
        return {e.raw: (e.status, e.reason) for e in window.station.history.recent(10)}

    qtbot.waitUntil(lambda: stored()["CAM-0001"][0] != "checking" and stored()["CAM-0002"][0] != "checking",
                    timeout=5000)
    assert stored()["CAM-0001"][0] == "accepted" and stored()["CAM-0002"][0] == "refused"
    assert "has already shipped" in (stored()["CAM-0002"][1] or "")
    rows = {row.split("\n")[1]: row for row in window.history_panel.rows()[:4]}
    assert "✔ accepted" in rows["CAM-0001"] and "✖ refused" in rows["CAM-0002"]
    assert "[wedge · dispatch]" in rows["CAM-0001"] or "· dispatch]" in rows["CAM-0001"]
