"""The inventory backends a station can use: :class:`Backend`, what the station asks of its
inventory system, and the registry of backend objects, one per ``[backend] kind``. No Qt.

:data:`BACKENDS` lists each backend object as ``"module:attribute"`` (one line per backend,
like :data:`scanner_app.jobs.JOB_KINDS`), imported on use and in order, so a station on the
embedded store never imports a vendor's HTTP stack. ``Station.backend`` is the object for
``settings.backend.kind`` (:func:`backend_for`); every other module asks that object and
none compares kinds. Adding a backend: docs/architecture.md, "Adding a backend".

Backends sit below the outbox and sync in the layers (pyproject's [tool.importlinter]): a
backend object names the outbox's and sync's pieces it uses (its target's name, its
deliverers, its catalogue's source) by ``"module:attribute"`` (:func:`attribute`), imported
when called, as ``JOB_KINDS`` names the workflows above ``jobs``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Protocol

from scanner_app.config import ConfigError, Settings
from scanner_app.plugins import attribute

if TYPE_CHECKING:
    from scanner_app.backends.shared_client import SharedClient
    from scanner_app.inventory.register_checks import SerialRegisterChecks


class Backend(Protocol):
    """One inventory system as the station uses it. ``station`` is a
    :class:`scanner_app.station.Station` (typed ``Any``: backends sit below the station)."""

    kind: str                        # its [backend] kind in config.toml
    name: str                        # for people: "Zoho Inventory"
    syncs_catalogue: bool            # the catalogue is a synced copy of the backend's (the window's sync)
    fetches_details_on_demand: bool  # a scanned item's stock and serials are fetched when it is scanned
    warms_http_stack: bool           # the window loads the HTTP stack off the UI thread at start-up
    installs_demo: bool              # a first run fills the empty store with the demo catalogue
    configured_words: str            # what `scanner-app configure` adds after "Backend: KIND."

    def status_words(self, item_count: int) -> str:
        """The status bar's words for the inventory ("Embedded inventory · 30 items"), or ""."""
        ...

    def outbox_target(self, settings: Settings) -> str:
        """The outbox target new entries are recorded for (receipts, assemblies)."""
        ...

    def dispatch_target(self, settings: Settings) -> str | None:
        """The target of a completed dispatch's serial mappings; None: no entry is recorded."""
        ...

    def catalogue_source(self, settings: Settings) -> str | None:
        """The sync source of the catalogue (``sync_state``); None when nothing is synced."""
        ...

    def deliverers(self, station: Any) -> Mapping[str, Any]:
        """The outbox's deliverer for each kind of entry this backend takes
        (:class:`scanner_app.outbox.delivery.Deliverer`s)."""
        ...

    def serial_register(self, station: Any) -> SerialRegisterChecks | None:
        """The outside serial register dispatch checks each serial with; None: the local store's."""
        ...

    def client(self, station: Any) -> SharedClient[Any, Any] | None:
        """The process's shared client holder of this backend; None when it has no client."""
        ...


# "module:attribute" of each backend object, in the order they are looked through.
BACKENDS: list[str] = [
    "scanner_app.backends.embedded.backend:EMBEDDED_BACKEND",
    "scanner_app.backends.zoho.backend:ZOHO_BACKEND",
    "scanner_app.backends.packcloud.backend:PACKCLOUD_BACKEND",
]


def _registered() -> Iterator[Backend]:
    for path in list(BACKENDS):
        yield attribute(path)


def known_kinds() -> list[str]:
    """Every registered backend's kind, in registry order."""
    return [backend.kind for backend in _registered()]


def backend_for(kind: str) -> Backend:
    """The registered backend of ``kind``; a ConfigError naming the known kinds if none is."""
    for backend in _registered():
        if backend.kind == kind:
            return backend
    raise ConfigError(f"backend.kind must be one of {known_kinds()}, not {kind!r}")


@contextmanager
def registered(path: str) -> Iterator[Backend]:
    """One more backend (``"module:attribute"``) in the registry while the block runs: for a
    test's backend, which no module of scanner_app names."""
    backend: Backend = attribute(path)
    BACKENDS.append(path)
    try:
        yield backend
    finally:
        BACKENDS.remove(path)
