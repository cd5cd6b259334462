"""The fake Zoho of the tests (tests/backends/fake_zoho.py), run in a child process for
the benchmarks, so its CPU does not compete with the station's threads for the GIL (the
real Zoho is on another machine).

    with FakeZohoProcess(items=10_000) as zoho:      # seeded ITEM 00000 ... ITEM 09999
        settings, secrets = zoho.settings(), zoho.secrets()
        ...
        zoho.counts()  # {"GET /inventory/v1/items": 50, "POST /oauth/v2/token": 1, ...}

``catalogue=(count, touched)`` seeds the benchmark catalogue of ``catalogue.py`` instead
(the same item ids and codes as a store built with ``build_store``), its records a day
old except the first ``touched``, which changed just now.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import sys
import time
from collections import Counter
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scanner_app.backends.zoho import ZohoSecrets
from scanner_app.config import ZohoSettings

DAY = 86_400.0


def _serve(pipe: Connection, items: int, catalogue: tuple[int, int] | None) -> None:
    from catalogue import synthetic_items

    os.nice(10)  # it stands for a server elsewhere: leave this machine's CPUs to the station

    from tests.backends.fake_zoho import FakeZoho
    from tests.backends.fake_zoho_inventory import ZOHO_TIME

    with FakeZoho(now=lambda: time.time() - DAY) as zoho:
        zoho.inventory.add_items(items)
        if catalogue is not None:
            count, touched = catalogue
            old = zoho.inventory.stamp()
            new = dt.datetime.now(dt.UTC).strftime(ZOHO_TIME)
            for n, record in enumerate(synthetic_items(count)):
                zoho.inventory.items[str(record["item_id"])] = {**record, "last_modified_time": new if n < touched else old}
            _cache_filters(zoho.inventory)
        pipe.send({"url": zoho.url, "organization_id": zoho.organization_id, "client_id": zoho.client_id,
                   "client_secret": zoho.client_secret, "refresh_token": zoho.refresh_token})
        while True:
            command = pipe.recv()
            if command == "counts":
                pipe.send(dict(Counter(f"{r.method} {r.path}" for r in list(zoho.requests))))
            elif command == "stop":
                return


def _cache_filters(inventory: Any) -> None:
    """The fake filters every list by parsing each record's time per request (fine for
    tests, a second per page at 100,000 items): remember each filter's answer."""
    original = inventory._filtered
    cache: dict[tuple[str, ...], list[dict[str, Any]]] = {}

    def filtered(records: list[dict[str, Any]], query: dict[str, str]) -> list[dict[str, Any]]:
        key = (str(len(records)), query.get("search_text", ""), query.get("last_modified_time", ""))
        if key not in cache:
            cache[key] = original(records, query)
        return cache[key]

    inventory._filtered = filtered


class FakeZohoProcess:
    def __init__(self, items: int = 0, catalogue: tuple[int, int] | None = None) -> None:
        context = multiprocessing.get_context("spawn")
        self._pipe, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, items, catalogue), daemon=True)
        self._process.start()
        self.info: dict[str, str] = self._pipe.recv()

    def settings(self, **overrides: Any) -> ZohoSettings:
        values: dict[str, Any] = {"organization_id": self.info["organization_id"], "client_id": self.info["client_id"],
                                      "api_url": self.info["url"], "accounts_url": self.info["url"]}
        values.update(overrides)
        return ZohoSettings(**values)

    def secrets(self) -> ZohoSecrets:
        return ZohoSecrets(client_secret=self.info["client_secret"], refresh_token=self.info["refresh_token"])

    def counts(self) -> dict[str, int]:
        self._pipe.send("counts")
        counts: dict[str, int] = self._pipe.recv()
        return counts

    def close(self) -> None:
        self._pipe.send("stop")
        self._process.join(timeout=10)

    def __enter__(self) -> FakeZohoProcess:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
