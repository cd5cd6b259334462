"""Which inventory system a station's outbox entries are recorded for (``outbox/for_station.py``):
an entry recorded for one system is never delivered to another, so the target must follow
``[backend] kind`` exactly, and a Pack.cloud station (whose REST API only reads) records no
dispatch entries at all."""

from __future__ import annotations

import pytest

from scanner_app.config import BackendSettings, Settings, ZohoSettings
from scanner_app.outbox.for_station import dispatch_target, station_target


def settings(kind: str) -> Settings:
    return Settings(backend=BackendSettings(kind=kind), zoho=ZohoSettings(organization_id="60012345"))


@pytest.mark.parametrize(("kind", "target"), [("embedded", "embedded"), ("zoho", "zoho:60012345")])
def test_entries_are_recorded_for_the_configured_system(kind: str, target: str) -> None:
    assert station_target(settings(kind)) == target
    assert dispatch_target(settings(kind)) == target


def test_a_zoho_station_records_for_its_own_organisation_only() -> None:
    other = Settings(backend=BackendSettings(kind="zoho"), zoho=ZohoSettings(organization_id="70099999"))
    assert dispatch_target(other) == "zoho:70099999" != dispatch_target(settings("zoho"))


def test_a_packcloud_station_records_no_dispatch_entries() -> None:
    assert dispatch_target(settings("packcloud")) is None
    assert station_target(settings("packcloud")) == "embedded"
