"""A fake Zoho on loopback whose records are a day old, so a test decides what "changed
since the last sync" means (by touching records now). Shared by the sync and UI tests."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.backends.fake_zoho import FakeZoho

DAY = 86_400.0


@pytest.fixture
def zoho() -> Iterator[FakeZoho]:
    with FakeZoho(now=lambda: time.time() - DAY) as server:
        yield server
