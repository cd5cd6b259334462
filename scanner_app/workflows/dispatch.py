"""``DispatchWorkflow``: packing an outgoing document's serial-tracked units. Qt-free.

Start with the document (entity type and id) and the warehouse, then feed it each scan's
:class:`~scanner_app.scanning.scan.ScanOutcome` (the pipeline already looked the code up):

- an item code selects the current item, a bin code the bin for the serials that follow,
  and a serial number is checked at once against the local store
  (:mod:`~scanner_app.workflows.dispatch_scans`: one :data:`~.dispatch_answers.Verdict`
  per rule; a refusal changes nothing). A serial's bin is the scanned bin, else the one
  the store knows; without either it must get one (:meth:`DispatchWorkflow.assign_bin`)
  before the dispatch can be completed.

Accepted serials are written to ``dispatch_serials`` through ``write`` (inline by default;
the window passes its database-writer thread, keeping the answer within a frame), so a
crash loses nothing the screen showed: :meth:`resume` reloads the open dispatch. The write
claims the serial atomically (:meth:`~.dispatch_records.DispatchRecords.add_serial`): when
another process took it since the scan's check, an inline write answers ``claimed``; the
window's write fails with those words and the dispatch is read again.

The workflow holds its open dispatch with a :class:`~scanner_app.jobs.ownership.JobOwnership`
from the moment the row exists (:meth:`start`) or is taken over (:meth:`resume`,
:meth:`take_over`) until it moves on or :meth:`close`: a dispatch held by another live
process is not loaded (:class:`~scanner_app.jobs.ownership.JobInUse`). A dispatch taken
over from a killed command counts its serials as scanned when the command names them again
(``already_scanned``), once each.
:meth:`complete` records ``serial.validate_and_map`` entries, grouped by item and bin in
chunks, in one transaction with the dispatch's completion. Each serial's state follows its
outbox entry live (``changed`` fires on the thread that moved the entry).

When a serial register (Pack.cloud) keeps the serial numbers, ``register`` is its rule
(:mod:`~scanner_app.workflows.dispatch_register`): a serial scan is answered ``checking``
with a query, :meth:`DispatchWorkflow.ask` asks the register (network: the window runs it
on its network pool) and :meth:`DispatchWorkflow.settle` gives the verdict. With no
``target`` (that register cannot be written to) :meth:`complete` records no outbox entry:
the serials are ``recorded`` in the station's dispatch records only.
"""

from __future__ import annotations

import threading
from dataclasses import replace

from scanner_app.events import Event
from scanner_app.inventory.models import Bin, Item, SerialNumber
from scanner_app.inventory.records import load_bin
from scanner_app.jobs.ownership import JobInUse, JobOwnership
from scanner_app.outbox import EntryChange, Outbox, PickedSerial
from scanner_app.outbox.serial_mapping import DEFAULT_CHUNK
from scanner_app.scanning.scan import ScanOutcome
from scanner_app.workflows.dispatch_answers import (
    ENTRY_STATE_TO_SERIAL,
    DispatchAnswer,
    DispatchNotReady,
    DispatchSerial,
)
from scanner_app.workflows.dispatch_records import (
    ClaimTaken,
    DispatchRecords,
    DispatchRow,
    ScannedSerialRow,
)
from scanner_app.workflows.dispatch_register import (
    RegisterQuery,
    RegisterReply,
    RegisterSerialRule,
    ask_register,
)
from scanner_app.workflows.dispatch_scans import DispatchScans
from scanner_app.workflows.refusal_words import reasons_per_serial
from scanner_app.workflows.serial_checks import SerialClaims
from scanner_app.workflows.unit import Workflow, Write, write_now


class DispatchWorkflow:
    """One station's dispatch on ``outbox``'s database, recording entries for ``target``
    (None: no inventory system takes them; the dispatch is recorded here only), its serials
    checked by ``register`` when a serial register keeps them."""

    def __init__(self, outbox: Outbox, target: str | None, *, write: Write = write_now, chunk: int = DEFAULT_CHUNK,
                 register: RegisterSerialRule | None = None) -> None:
        self.outbox = outbox
        self.register = register
        self.store = outbox.store
        self.records = DispatchRecords(self.store)
        self.claims = SerialClaims(self.store)
        self.scans = DispatchScans(self, register)
        self.target = target
        self.chunk = chunk
        self._write = write
        self.dispatch: DispatchRow | None = None
        self.current_item: Item | None = None
        self.current_bin: Bin | None = None
        self._serials: dict[tuple[str, str], DispatchSerial] = {}
        self._by_entry: dict[int, list[tuple[str, str]]] = {}
        self._item_names: dict[str, str] = {}
        self._lock = threading.Lock()
        self._ownership: JobOwnership | None = None
        self.carried_over: set[tuple[str, str]] = set()  # taken over: counted when named again
        self.changed: Event[DispatchWorkflow] = Event()  # serials or their states changed
        outbox.entry_changed.connect(self._on_entry_changed)

    def close(self) -> None:
        """Stop following the outbox and let go of the dispatch (the workflow is not used any more)."""
        self.outbox.entry_changed.disconnect(self._on_entry_changed)
        self.let_go()

    def _hold(self, dispatch_id: int) -> bool:
        """Hold dispatch ``dispatch_id`` for this process (letting go of the one held before);
        False when another live process holds it."""
        if self._ownership is not None and self._ownership.number == dispatch_id:
            return True
        ownership = JobOwnership(self.store.path, "dispatch", dispatch_id)
        if not ownership.take():
            return False
        self.let_go()
        self._ownership = ownership
        return True

    def _hold_new(self, dispatch_id: int) -> None:
        """Hold a dispatch being created (inside its transaction: nobody sees it unheld)."""
        if not self._hold(dispatch_id):
            raise JobInUse("dispatch", dispatch_id)

    def let_go(self) -> None:
        """Stop holding the job (the process is done with it; the OS does this when it dies)."""
        if self._ownership is not None:
            self._ownership.release()
            self._ownership = None

    # -- the document ---------------------------------------------------------------------
    def start(self, entity_type: str, entity_id: str, warehouse_id: str,
              plan: dict[str, object] | None = None) -> DispatchRow:
        """Open a dispatch (a command's ``plan`` saved with it) and hold it; DispatchNotReady
        when the warehouse is unknown or the open one has serials."""
        entity_type, entity_id = entity_type.strip(), entity_id.strip()
        if not entity_type or not entity_id:
            raise DispatchNotReady("enter the document: its type and its number")
        if warehouse_id not in {w.warehouse_id for w in self.store.warehouses()}:
            raise DispatchNotReady(f"there is no warehouse {warehouse_id!r} in the inventory")
        if self.is_open and self._serials:
            raise DispatchNotReady("the open dispatch has serials: complete or cancel it first")
        if self.dispatch is not None and self.dispatch.state == "open":
            self.records.cancel(self.dispatch.dispatch_id)
        try:
            row = self.records.create(entity_type, entity_id, warehouse_id, plan, hold=self._hold_new)
        except JobInUse as busy:  # cannot happen to a new row but for a stray lock: nothing was created
            raise DispatchNotReady(str(busy)) from busy
        self.carried_over = set()
        self._load(row)
        return row

    def resume(self) -> DispatchRow | None:
        """Reload the latest open dispatch (after a restart), with its serials, and hold it;
        JobInUse (nothing loaded) when another live process holds it."""
        row = self.records.latest_open()
        if row is not None:
            self.take_over(row, count_again=False)
        return row

    def take_over(self, row: DispatchRow, *, count_again: bool = True) -> None:
        """Continue the open dispatch ``row`` left by another process (a killed command, a
        closed window): hold it and load it; JobInUse (nothing loaded) when another live
        process holds it. ``count_again``: its serials count as scanned when named again."""
        if not self._hold(row.dispatch_id):
            raise JobInUse("dispatch", row.dispatch_id)
        self._load(row)
        self.carried_over = set(self.scanned_keys()) if count_again else set()

    def count_again(self, item_id: str, number: str) -> DispatchAnswer | None:
        """``already_scanned`` for a serial the taken-over dispatch had (once), else None."""
        key = (item_id, number)
        if key not in self.carried_over:
            return None
        self.carried_over.discard(key)
        with self._lock:
            serial = self._serials.get(key)
        return DispatchAnswer("already_scanned", f"{number} was scanned in this dispatch before: counted",
                              serial)

    def reload(self) -> None:
        """Read the dispatch, its serials and their entries' states again from the database
        (e.g. after another process's relay delivered them)."""
        if self.dispatch is not None:
            row = self.records.get(self.dispatch.dispatch_id)
            if row is not None:
                self._load(row)

    def cancel(self) -> None:
        if self.is_open:
            assert self.dispatch is not None
            self.records.cancel(self.dispatch.dispatch_id)
            self.dispatch = replace(self.dispatch, state="cancelled")
            self.changed.emit(self)

    @property
    def is_open(self) -> bool:
        return self.dispatch is not None and self.dispatch.state == "open"

    def _load(self, row: DispatchRow) -> None:
        with self._lock:
            self.dispatch, self.current_item, self.current_bin = row, None, None
            self._serials, self._by_entry = {}, {}
            for s in self.records.serials(row.dispatch_id):
                self._serials[(s.item_id, s.serialnumber)] = self._serial_from_row(s)
                if s.entry_id is not None:
                    self._by_entry.setdefault(s.entry_id, []).append((s.item_id, s.serialnumber))
        for entry_id in list(self._by_entry):
            self._apply_entry_state(entry_id)
        if row.state == "completed":  # completed without entries: recorded here only
            with self._lock:
                for key, serial in self._serials.items():
                    if serial.entry_id is None:
                        self._serials[key] = replace(serial, state="recorded")
        self.changed.emit(self)

    def _serial_from_row(self, s: ScannedSerialRow) -> DispatchSerial:
        bin_ = self._bin(s.bin_id)
        return DispatchSerial(s.item_id, self.item_name(s.item_id), s.serialnumber, s.bin_id,
                              bin_.code if bin_ else None, s.bin_from_scan, s.position, entry_id=s.entry_id)

    # -- scans ------------------------------------------------------------------------------
    def handle(self, outcome: ScanOutcome) -> DispatchAnswer:
        """Check one scan and take it in, or say why not (and change nothing)."""
        return self.scans.handle(outcome)

    def select_bin(self, bin_: Bin) -> DispatchAnswer:
        """As if ``bin_``'s code were scanned (the CLI's ``--location``)."""
        if not self.is_open:
            return DispatchAnswer("no_dispatch", "Start a dispatch first")
        return self.scans.take_bin(bin_)

    def select_item(self, item: Item) -> None:
        """Make ``item`` the current one (the scan rules checked it)."""
        self.current_item = item
        self._item_names[item.item_id] = item.name

    def has_serial(self, item_id: str, serialnumber: str) -> bool:
        """Is this serial already in the dispatch?"""
        return (item_id, serialnumber) in self._serials

    # -- a serial register's answers -----------------------------------------------------------
    def ask(self, query: RegisterQuery) -> RegisterReply:
        """Ask the serial register about a ``checking`` answer's query (network; any thread)."""
        assert self.register is not None, "no serial register: nothing to ask"
        return ask_register(self.register.checks, query)

    def settle(self, reply: RegisterReply) -> DispatchAnswer:
        """The verdict on the register's reply (on this workflow's thread); changes nothing
        unless the serial is accepted."""
        assert self.register is not None, "no serial register: nothing to settle"
        return self.register.settle(self, reply)

    def scanned_keys(self) -> list[tuple[str, str]]:
        """(item_id, serialnumber) of every serial in the dispatch."""
        with self._lock:
            return list(self._serials)

    def add_checked_serial(self, serial: SerialNumber, number: str, scanned_bin: Bin | None) -> DispatchAnswer:
        """Take in a serial every rule accepted, picked from ``scanned_bin`` (None: the bin
        the inventory has it in, if any)."""
        assert self.dispatch is not None
        note: str | None = None
        bin_id: str | None
        bin_code: str | None
        if scanned_bin is not None:
            bin_id, bin_code, from_scan = scanned_bin.bin_id, scanned_bin.code, True
            if serial.bin_id and serial.bin_id != bin_id:
                note = f"the inventory has {number} in bin {serial.bin_code or serial.bin_id}"
        else:
            bin_id, bin_code, from_scan = serial.bin_id, serial.bin_code, False
        added = DispatchSerial(serial.item_id, self.item_name(serial.item_id), number, bin_id, bin_code, from_scan,
                               self._next_position())
        key = (serial.item_id, number)
        with self._lock:
            self._serials[key] = added
        row = ScannedSerialRow(serial.item_id, number, bin_id, from_scan, added.position, None)
        dispatch_id = self.dispatch.dispatch_id

        def claimed() -> str | None:  # read again inside the write's transaction
            elsewhere = self.claims.elsewhere(serial.item_id, number, dispatch_id=dispatch_id)
            return None if elsewhere is None else f"{number} of {added.item_name} is already {elsewhere}"

        try:
            self._write(lambda: self.records.add_serial(dispatch_id, row, claimed))
        except ClaimTaken as taken:  # an inline write: another process took it since the check
            with self._lock:
                self._serials.pop(key, None)
            return DispatchAnswer("claimed", str(taken))
        self.changed.emit(self)
        where = f"bin {bin_code}" if bin_code else "no bin yet: scan its bin" if self._has_bins() else "no bins here"
        return DispatchAnswer("serial_added", f"{number} of {added.item_name}: {where}", added, note)

    def _has_bins(self) -> bool:
        """Whether the dispatch's warehouse has bins: a serial must then be mapped to the
        bin it is picked from; a warehouse without bins (Zoho's bin locations not enabled)
        maps serials to the warehouse alone."""
        return self.dispatch is not None and bool(self.store.bins(self.dispatch.warehouse_id))

    def _next_position(self) -> int:
        return max((s.position for s in self._serials.values()), default=0) + 1

    # -- after scanning ------------------------------------------------------------------------
    def unbinned(self) -> list[DispatchSerial]:
        return [s for s in self.serials() if s.bin_id is None]

    def assign_bin(self, bin_: Bin | None = None) -> int:
        """Give every serial without a bin ``bin_`` (default: the scanned bin); how many."""
        chosen = bin_ or self.current_bin
        if chosen is None or not self.is_open:
            return 0
        assert self.dispatch is not None
        if chosen.warehouse_id != self.dispatch.warehouse_id:
            raise DispatchNotReady(f"bin {chosen.code} is not in this dispatch's warehouse")
        missing = self.unbinned()
        with self._lock:
            for s in missing:
                self._serials[(s.item_id, s.serialnumber)] = replace(s, bin_id=chosen.bin_id, bin_code=chosen.code,
                                                                     bin_from_scan=True)
        dispatch_id, updates = self.dispatch.dispatch_id, [(s.item_id, s.serialnumber, chosen.bin_id) for s in missing]
        self._write(lambda: self.records.set_bins(dispatch_id, updates))
        self.changed.emit(self)
        return len(missing)

    def complete(self) -> None:
        """Record the mappings (through ``write``); DispatchNotReady says what is missing."""
        if not self.is_open:
            raise DispatchNotReady("there is no open dispatch to complete")
        assert self.dispatch is not None
        serials = self.serials()
        if not serials:
            raise DispatchNotReady("no serial numbers were scanned")
        if self.register is not None and self.register.waiting_for(self.dispatch.dispatch_id):
            raise DispatchNotReady(
                f"{self.register.register} has not answered for every scanned serial yet: wait for it")
        missing = [s.serialnumber for s in serials if s.bin_id is None]
        if missing and self._has_bins():
            shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
            raise DispatchNotReady(f"{len(missing)} serial number(s) have no bin ({shown}): scan their bin")
        row = self.dispatch
        self.dispatch = replace(row, state="completed")
        self._write(lambda: self._record_completion(row, serials))

    def _record_completion(self, row: DispatchRow, serials: list[DispatchSerial]) -> list[int]:
        picked = [PickedSerial(s.item_id, s.serialnumber, s.bin_id) for s in serials]
        try:
            ids, links = self.records.record_completion(self.outbox, self.target, row, picked, chunk=self.chunk)
        except BaseException:
            self.dispatch = row  # nothing was recorded: still open
            raise
        with self._lock:
            if self.target is None:  # no inventory system to tell: recorded here only
                for key, s in self._serials.items():
                    self._serials[key] = replace(s, state="recorded")
            for item_id, number, entry_id in links:
                self._by_entry.setdefault(entry_id, []).append((item_id, number))
                self._serials[(item_id, number)] = replace(self._serials[(item_id, number)], entry_id=entry_id,
                                                           state="validating")
        self.changed.emit(self)
        if self.target is not None:
            self.outbox.announce(ids)
        return ids

    # -- states -----------------------------------------------------------------------------------
    def serials(self) -> list[DispatchSerial]:
        with self._lock:
            return sorted(self._serials.values(), key=lambda s: s.position)

    def _on_entry_changed(self, change: EntryChange) -> None:
        if change.entry.entry_id in self._by_entry:
            self._apply_entry_state(change.entry.entry_id, change)
            self.changed.emit(self)

    def _apply_entry_state(self, entry_id: int, change: EntryChange | None = None) -> None:
        entry = change.entry if change is not None else self.outbox.get(entry_id)
        state = ENTRY_STATE_TO_SERIAL[entry.state]
        reason = (entry.vendor_message or entry.last_error) if state in ("failed", "discarded") else None
        with self._lock:
            keys = self._by_entry.get(entry_id, [])
            # a refused request: the serials it names say why, the others that they were not applied
            each = reasons_per_serial([n for _, n in keys], reason) if state == "failed" and reason else {}
            for key in keys:
                if key in self._serials:
                    self._serials[key] = replace(self._serials[key], state=state, reason=each.get(key[1], reason))

    def item_name(self, item_id: str) -> str:
        name = self._item_names.get(item_id)
        if name is None:
            row = self.store.connection().execute("SELECT name FROM items WHERE item_id = ?", (item_id,)).fetchone()
            name = self._item_names[item_id] = str(row[0]) if row else f"item {item_id}"
        return name

    def _bin(self, bin_id: str | None) -> Bin | None:
        return None if bin_id is None else load_bin(self.store.connection(), bin_id)


# The window and the commands drive it as a Workflow (mypy checks that it is one).
_AS_WORKFLOW: type[Workflow] = DispatchWorkflow
