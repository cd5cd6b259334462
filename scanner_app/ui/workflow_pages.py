"""The window's workflow pages as registered units: each tab (Lookup, Dispatch, Receive,
Assemble, and whatever comes next) is a :class:`WorkflowPageUnit` that says its title, its
place among the tabs and its shortcut, builds its page and controller from the window's
shared services, answers the scans made while it is the current tab, and loads on start and
closes with the window. The window builds its tabs from :data:`PAGE_ENTRIES` ("module:attribute",
each naming a unit class) and routes every scan through :meth:`WorkflowPageUnit.handle_scan`
of the current tab; it knows no page by name. Adding a page: a unit class in its own module
and one line here (``docs/architecture.md``, "Adding a workflow page"); a test adds one for
the windows it builds with :func:`page_added`."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, cast

from PySide6.QtCore import QObject, SignalInstance
from PySide6.QtWidgets import QWidget

from scanner_app.history.store import WorkflowVerdict
from scanner_app.outbox import Outbox
from scanner_app.scanning.scan import ScanOutcome
from scanner_app.station import Station
from scanner_app.ui.history_amendments import HistoryAmendments
from scanner_app.ui.sounds import FeedbackSounds
from scanner_app.ui.tasks import TaskManager

if TYPE_CHECKING:
    from scanner_app.ui.controllers.assemble_controller import AssembleController, AssembleUnit
    from scanner_app.ui.controllers.dispatch_controller import DispatchController, DispatchUnit
    from scanner_app.ui.controllers.lookup_controller import LookupUnit
    from scanner_app.ui.controllers.receive_controller import ReceiveController, ReceiveUnit
    from scanner_app.ui.pages.assemble_page import AssemblePage
    from scanner_app.ui.pages.dispatch_page import DispatchPage
    from scanner_app.ui.pages.lookup_page import LookupPage
    from scanner_app.ui.pages.receive_page import ReceivePage

# The station's pages; the tabs follow each unit's ``order``, not this list.
PAGE_ENTRIES: tuple[str, ...] = (
    "scanner_app.ui.controllers.lookup_controller:LookupUnit",
    "scanner_app.ui.controllers.dispatch_controller:DispatchUnit",
    "scanner_app.ui.controllers.receive_controller:ReceiveUnit",
    "scanner_app.ui.controllers.assemble_controller:AssembleUnit",
)
_added: list[str] = []  # entries added by page_added (tests)


class PageRegistryError(Exception):
    """An entry of the page registry that does not name a usable page (a programming error,
    said in words when the window is built)."""


@dataclass(frozen=True)
class PageServices:
    """What the window shares with every page it builds."""

    station: Station
    outbox: Outbox
    tasks: TaskManager  # database writes and network calls off the UI thread
    sounds: FeedbackSounds
    history: HistoryAmendments  # a scan whose answer comes later amends its history row here
    last_outcome: Callable[[], ScanOutcome | None]  # the window's latest scan (what the screen answers)
    parent: QObject  # the window: owner of the pages' QObjects


class WorkflowPageUnit:
    """One tab of the window. A subclass sets ``key`` (its name in the history's verdicts and
    in :meth:`StationPageNames.page_unit`), ``title`` (the tab's words) and ``order`` (tabs
    go left to right by it), and optionally ``shortcut`` (a key sequence that makes it the
    current tab) and ``takes_scans`` (False: scans made while it shows go to the first page
    that takes scans, the Lookup). Its constructor takes the :class:`PageServices` and builds
    the page, handing it and its typed-code signal (``manual_entry``, or None) to this one."""

    key: ClassVar[str]
    title: ClassVar[str]
    order: ClassVar[int]
    shortcut: ClassVar[str | None] = None
    takes_scans: ClassVar[bool] = True

    def __init__(self, page: QWidget, manual_entry: SignalInstance | None) -> None:
        self.page = page
        self.manual_entry = manual_entry  # typed codes: the window scans them (ScanSource.MANUAL)

    def handle_scan(self, outcome: ScanOutcome) -> WorkflowVerdict | None:
        """Answer a scan made while this tab is current, on screen and by sound, in the same
        frame; return the verdict the history keeps instead of the lookup's answer (None: the
        lookup's answer is the verdict)."""
        raise NotImplementedError(f"the {self.title} page takes scans but does not answer them")

    def load(self) -> None:
        """Once the inventory is open (UI thread): fill the page's choices, resume an open job."""

    def close(self) -> None:
        """The window closes; the background work has finished by now."""

    def show_refreshed(self, outcome: ScanOutcome) -> None:
        """The last scan's item was fetched again in the background: ``outcome`` is that scan
        answered anew (no sound, no history row)."""


def page_entries() -> tuple[str, ...]:
    """The registered entries: the station's own, then those a test added."""
    return PAGE_ENTRIES + tuple(_added)


@contextmanager
def page_added(entry: str) -> Iterator[None]:
    """Register one more page ("module:attribute") for the windows built inside the block."""
    _added.append(entry)
    try:
        yield
    finally:
        _added.remove(entry)


def resolve(entry: str) -> type[WorkflowPageUnit]:
    """The unit class an entry names."""
    module_name, colon, attribute = entry.partition(":")
    if not colon or not module_name.strip() or not attribute.strip():
        raise PageRegistryError(f"workflow page entry {entry!r} is not of the form 'module:attribute'")
    try:
        module = importlib.import_module(module_name)
    except ImportError as missing:
        raise PageRegistryError(f"workflow page entry {entry!r}: module {module_name} cannot be imported "
                                f"({missing})") from missing
    unit = getattr(module, attribute, None)
    if not (isinstance(unit, type) and issubclass(unit, WorkflowPageUnit)):
        raise PageRegistryError(f"workflow page entry {entry!r}: {module_name} has no WorkflowPageUnit "
                                f"named {attribute}")
    return unit


def build_pages(services: PageServices) -> list[WorkflowPageUnit]:
    """Every registered page, built, in tab order (by ``order``; equal orders by entry). The
    entries are checked before any page is built."""
    units = sorted((resolve(entry) for entry in page_entries()), key=lambda unit: unit.order)
    keys = [unit.key for unit in units]
    for key in keys:
        if keys.count(key) > 1:
            raise PageRegistryError(f"two workflow pages have the key {key!r}")
    if not any(unit.takes_scans for unit in units):
        raise PageRegistryError("no workflow page takes scans")
    # a unit's constructor takes the services (the base's takes the page a unit built)
    return [cast(Callable[[PageServices], WorkflowPageUnit], unit)(services) for unit in units]


class StationPageNames:
    """The station's own pages and controllers by the names tests and benchmarks reach them by
    (``window.dispatch_page``, ``window.dispatch``); the window itself uses none of them."""

    page_units: list[WorkflowPageUnit]

    def page_unit(self, key: str) -> WorkflowPageUnit:
        for unit in self.page_units:
            if unit.key == key:
                return unit
        raise KeyError(f"no workflow page has the key {key!r}")

    @property
    def lookup_page(self) -> LookupPage:
        return cast("LookupUnit", self.page_unit("lookup")).page

    @property
    def dispatch_page(self) -> DispatchPage:
        return cast("DispatchUnit", self.page_unit("dispatch")).page

    @property
    def dispatch(self) -> DispatchController:
        return cast("DispatchUnit", self.page_unit("dispatch")).controller

    @property
    def receive_page(self) -> ReceivePage:
        return cast("ReceiveUnit", self.page_unit("receive")).page

    @property
    def receive(self) -> ReceiveController:
        return cast("ReceiveUnit", self.page_unit("receive")).controller

    @property
    def assemble_page(self) -> AssemblePage:
        return cast("AssembleUnit", self.page_unit("assemble")).page

    @property
    def assemble(self) -> AssembleController:
        return cast("AssembleUnit", self.page_unit("assemble")).controller
