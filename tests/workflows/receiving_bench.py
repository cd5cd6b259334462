"""The receiving bench's fixtures, shared by the receive workflow's test modules: the
receiving catalogue in conftest's store, a receive workflow on the fixed ``TODAY``, and a
scanner that answers through it. A module imports them to use them (pytest finds imported
fixtures), in place of conftest's dispatch ``workflow``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox import EMBEDDED_TARGET, Outbox
from scanner_app.workflows.receiving import ReceivingWorkflow
from scanner_app.workflows.receiving_answers import ReceiveAnswer
from tests.workflows.helpers import scanner_for
from tests.workflows.receiving_catalogue import TODAY, receiving_catalogue


@pytest.fixture
def catalogue() -> dict[str, Any]:  # the receiving bench's, in conftest's store and outbox
    return receiving_catalogue()


@pytest.fixture
def workflow(outbox: Outbox) -> Iterator[ReceivingWorkflow]:
    wf = ReceivingWorkflow(outbox, EMBEDDED_TARGET, warning_days=30, today=lambda: TODAY)
    yield wf
    wf.close()


@pytest.fixture
def scan(store: InventoryStore, workflow: ReceivingWorkflow) -> Callable[..., ReceiveAnswer]:
    return scanner_for(store, workflow)
