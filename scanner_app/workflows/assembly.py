"""``AssemblyWorkflow``: building kits (composite items) at a kitting bench. Qt-free.

Choose the place (a warehouse and, optionally, a bin) and how many kits to build, scan
the kit (any of its codes), then scan its components; feed each scan's
:class:`~scanner_app.scanning.scan.ScanOutcome` to :meth:`AssemblyWorkflow.handle`:

- a kit starts an assembly: its components (mapped items) are listed with the quantity
  needed for that many kits and the stock at the place; what is short is said at once
  (a component that is itself a kit and not in stock: build it first);
- each component scan ticks off one unit, or the quantity a GS1 label carries (AI 30/37);
  a serial-tracked component needs its serial number (checked as dispatch checks it, see
  :mod:`~scanner_app.workflows.serial_checks`), a batch-tracked one its batch (it must
  exist, be active, not expired, in this warehouse and have enough left); the rules are
  in :mod:`~scanner_app.workflows.assembly_scans`. Each refusal is its own verdict with
  its words and changes nothing.

Accepted units are written to ``assembly_units`` through ``write`` (the window's
database-writer thread), so a crash loses nothing the screen showed (:meth:`resume`). The
write claims a serial or a batch quantity atomically
(:meth:`~.assembly_records.AssemblyRecords.add_unit`); an inline write that lost the race
raises :class:`~.dispatch_records.ClaimTaken` (the scan is refused with its words).

The workflow holds its open assembly with a :class:`~scanner_app.jobs.ownership.JobOwnership`
from the moment the row exists (:meth:`start`) or is taken over (:meth:`resume`,
:meth:`take_over`) until it moves on or :meth:`close`: an assembly held by another live
process is not loaded (:class:`~scanner_app.jobs.ownership.JobInUse`).
:meth:`complete` records the three outbox entries (:mod:`scanner_app.outbox.bundles`) in
one transaction with the completion; ``progress`` then follows the entries.
"""

from __future__ import annotations

import threading
from dataclasses import replace

from scanner_app import days
from scanner_app.events import Event
from scanner_app.inventory.models import Batch, Bin, Item
from scanner_app.inventory.records import load_batch
from scanner_app.jobs.ownership import JobInUse, JobOwnership
from scanner_app.outbox import EntryChange, Outbox
from scanner_app.outbox.bundles import AssemblyRecord, enqueue_assembly
from scanner_app.outbox.entries import OutboxEntry
from scanner_app.scanning.scan import ScanOutcome
from scanner_app.workflows.assembly_answers import (
    EPSILON,
    AssemblyAnswer,
    AssemblyNotReady,
    ComponentLine,
    Progress,
    batch_short_words,
    progress_of,
)
from scanner_app.workflows.assembly_records import (
    AssemblyRecords,
    AssemblyRow,
    UnitRow,
    new_reference,
)
from scanner_app.workflows.assembly_scans import ComponentScans
from scanner_app.workflows.dispatch_records import ClaimTaken
from scanner_app.workflows.kit_components import (
    component_lines,
    consumed,
    place_words,
    remaining_words,
    shortage_note,
    with_ticks,
)
from scanner_app.workflows.serial_checks import SerialClaims
from scanner_app.workflows.unit import Workflow, Write, write_now


class AssemblyWorkflow:
    """One bench's assemblies on ``outbox``'s database, recording entries for ``target``.
    ``today`` (the station's day, :mod:`scanner_app.days`) decides which batches are
    expired and dates the assembly."""

    def __init__(self, outbox: Outbox, target: str, *, write: Write = write_now,
                 today: days.Today = days.today) -> None:
        self.outbox, self.store, self.target = outbox, outbox.store, target
        self.records = AssemblyRecords(self.store)
        self.today = today
        self._write = write
        self.warehouse_id: str | None = None  # the place and quantity for the next kit scanned
        self.bin: Bin | None = None
        self.quantity = 1
        self.assembly: AssemblyRow | None = None
        self.kit: Item | None = None
        self.current: str | None = None  # the component whose serial or batch is expected
        self._base: dict[str, ComponentLine] = {}
        self._units: list[UnitRow] = []
        self._batches: dict[str, Batch] = {}
        self._entries: dict[int, OutboxEntry] = {}
        self._lock = threading.Lock()
        self._ownership: JobOwnership | None = None
        self.plan: dict[str, object] | None = None  # saved with the next assembly started (a command's)
        self.scans = ComponentScans(self)
        self.claims = SerialClaims(self.store)
        self.changed: Event[AssemblyWorkflow] = Event()  # lines, units or progress changed
        outbox.entry_changed.connect(self._on_entry_changed)

    def close(self) -> None:
        """Stop following the outbox and let go of the assembly (the workflow is not used any more)."""
        self.outbox.entry_changed.disconnect(self._on_entry_changed)
        self.let_go()

    def _hold(self, assembly_id: int) -> bool:
        """Hold assembly ``assembly_id`` for this process (letting go of the one held before);
        False when another live process holds it."""
        if self._ownership is not None and self._ownership.number == assembly_id:
            return True
        ownership = JobOwnership(self.store.path, "assembly", assembly_id)
        if not ownership.take():
            return False
        self.let_go()
        self._ownership = ownership
        return True

    def _hold_new(self, assembly_id: int) -> None:
        """Hold an assembly being created (inside its transaction: nobody sees it unheld)."""
        if not self._hold(assembly_id):
            raise JobInUse("assembly", assembly_id)

    def let_go(self) -> None:
        """Stop holding the job (the process is done with it; the OS does this when it dies)."""
        if self._ownership is not None:
            self._ownership.release()
            self._ownership = None

    # -- the place, the quantity and the kit -------------------------------------------
    def choose(self, warehouse_id: str, bin_id: str | None = None, quantity: int | None = None) -> None:
        """Where to build and how many kits. An open assembly with nothing ticked starts
        again there; one with ticks may only change its number of kits."""
        if warehouse_id not in {w.warehouse_id for w in self.store.warehouses()}:
            raise AssemblyNotReady(f"there is no warehouse {warehouse_id!r} in the inventory")
        bin_ = None
        if bin_id:
            bin_ = next((b for b in self.store.bins(warehouse_id) if b.bin_id == bin_id), None)
            if bin_ is None:
                raise AssemblyNotReady(f"there is no bin {bin_id!r} in warehouse {warehouse_id}")
        quantity = self.quantity if quantity is None else quantity
        if quantity < 1:
            raise AssemblyNotReady("build at least one kit")
        if self.is_open and self._units:
            assert self.assembly is not None
            if (warehouse_id, bin_id or None) != (self.assembly.warehouse_id, self.assembly.bin_id):
                raise AssemblyNotReady("components were ticked here already: complete or cancel the assembly "
                                       "before choosing another place")
            self.set_quantity(quantity)
        self.warehouse_id, self.bin, self.quantity = warehouse_id, bin_, quantity
        if self.is_open and not self._units and self.kit is not None:
            self.start(self.kit)

    def set_quantity(self, quantity: int) -> None:
        """Build ``quantity`` kits instead; refused when more is ticked than that needs."""
        if quantity < 1:
            raise AssemblyNotReady("build at least one kit")
        self.quantity = quantity
        if not self.is_open:
            return
        assert self.assembly is not None and self.kit is not None
        over = [line.name for line in self.lines() if line.ticked > line.per_kit * quantity + 1e-9]
        if over:
            raise AssemblyNotReady(f"more is ticked than {quantity} kit(s) need ({', '.join(over)}): "
                                   "cancel the assembly to start again")
        self.assembly = replace(self.assembly, quantity=quantity)
        self._base = {k: replace(v, needed=v.per_kit * quantity) for k, v in self._base.items()}
        assembly_id = self.assembly.assembly_id
        self._write(lambda: self.records.change(assembly_id, quantity=quantity))
        self.changed.emit(self)

    def start(self, kit: Item) -> AssemblyAnswer:
        """Open an assembly of ``kit`` at the chosen place (an open one without ticks is
        replaced). The answer says what is short here."""
        if self.warehouse_id is None:
            return AssemblyAnswer("no_place", "Choose the warehouse (and bin) the kit is built in first")
        if not kit.is_composite:
            return AssemblyAnswer("not_a_kit", f"{kit.name} is not a kit (composite item): scan the kit to build")
        if kit.status != "active":
            return AssemblyAnswer("kit_inactive", f"{kit.name} is {kit.status}")
        if not kit.mapped_items:
            return AssemblyAnswer("kit_empty", f"{kit.name} has no components in the inventory")
        if self.is_open:
            assert self.assembly is not None
            if self._units:
                return AssemblyAnswer("kit_in_progress", f"{self.kit.name if self.kit else 'A kit'} is being "
                                      f"assembled: complete or cancel it before starting {kit.name}")
            self.records.cancel(self.assembly.assembly_id)
        bin_id = self.bin.bin_id if self.bin else None
        try:
            row = self.records.create(new_reference(), kit.item_id, self.quantity, self.warehouse_id, bin_id,
                                      self.plan, hold=self._hold_new)
        except JobInUse as busy:  # cannot happen to a new row but for a stray lock: nothing was created
            return AssemblyAnswer("kit_in_progress", str(busy))
        self._load(row, kit)
        return AssemblyAnswer("kit_started", f"{kit.name}: {self.quantity} kit(s), {len(self._base)} component(s) "
                              f"{self.place}: scan each component", self.shortage())

    def resume(self) -> AssemblyRow | None:
        """Reload the latest open assembly (after a restart), with its ticked units, and hold
        it; JobInUse (nothing loaded) when another live process holds it."""
        row = self.records.latest_open()
        if row is None or not self.take_over(row):
            return None
        return row

    def take_over(self, row: AssemblyRow) -> bool:
        """Continue the open assembly ``row`` left by another process: hold it and load it
        (False when its kit is no longer in the inventory); JobInUse (nothing loaded) when
        another live process holds it."""
        kit = self.store.get_item(row.kit_item_id)
        if kit is None:
            return False
        if not self._hold(row.assembly_id):
            raise JobInUse("assembly", row.assembly_id)
        self._load(row, kit)
        return True

    def follow(self, row: AssemblyRow) -> bool:
        """Load assembly ``row`` whatever its state, to report on it (nothing is held);
        False when its kit is no longer in the inventory."""
        kit = self.store.get_item(row.kit_item_id)
        if kit is None:
            return False
        self._load(row, kit)
        return True

    def reload(self) -> None:
        """Read the assembly, its units and its entries again (e.g. after another
        process's relay delivered them)."""
        if self.assembly is not None and self.kit is not None:
            row = self.records.get(self.assembly.assembly_id)
            if row is not None:
                self._load(row, self.kit)

    def cancel(self) -> None:
        if self.is_open:
            assert self.assembly is not None
            self.records.cancel(self.assembly.assembly_id)
            self.assembly = replace(self.assembly, state="cancelled")
            self.changed.emit(self)

    @property
    def is_open(self) -> bool:
        return self.assembly is not None and self.assembly.state == "open"

    @property
    def place(self) -> str:
        warehouse_id = self.assembly.warehouse_id if self.assembly else self.warehouse_id
        names = {w.warehouse_id: w.name for w in self.store.warehouses()}
        return place_words(names.get(warehouse_id or "", warehouse_id or "?"), self.bin)

    def _load(self, row: AssemblyRow, kit: Item) -> None:
        bin_ = next((b for b in self.store.bins(row.warehouse_id) if b.bin_id == row.bin_id), None)
        with self._lock:
            self.assembly, self.kit, self.current = row, kit, None
            self.warehouse_id, self.bin, self.quantity = row.warehouse_id, bin_, row.quantity
            self._base = component_lines(self.store, kit, row.quantity, row.warehouse_id, row.bin_id)
            self._units = self.records.units(row.assembly_id)
            self._batches = {b: found for b in {u.batch_id for u in self._units if u.batch_id}
                             if (found := self.store.get_batch(b)) is not None}
            self._entries = {e.entry_id: e for e in self.outbox.entries(document=row.document)}
        self.changed.emit(self)

    # -- scans ---------------------------------------------------------------------------
    def handle(self, outcome: ScanOutcome) -> AssemblyAnswer:
        """Check one scan and take it in, or say why not (and change nothing)."""
        return self.scans.handle(outcome)

    def select_bin(self, bin_: Bin) -> AssemblyAnswer:
        """Build at ``bin_`` (a scanned bin label): allowed until a component is ticked."""
        warehouse_id = self.assembly.warehouse_id if self.assembly else self.warehouse_id
        if warehouse_id is None:
            return AssemblyAnswer("no_place", "Choose the warehouse first")
        if bin_.warehouse_id != warehouse_id:
            where = bin_.warehouse_name or bin_.warehouse_id
            return AssemblyAnswer("bin_other_warehouse",
                                  f"Bin {bin_.code} is in {where}, not in this assembly's warehouse")
        if self.is_open and self._units:
            return AssemblyAnswer("bin_after_ticks", f"Components were ticked {self.place} already: complete or "
                                  "cancel the assembly to build in another bin")
        self.bin = bin_
        if self.is_open and self.kit is not None:
            return replace(self.start(self.kit), verdict="bin_selected")
        return AssemblyAnswer("bin_selected", f"Bin {bin_.code}: components are taken from it and the kits go to it")

    def add_unit(self, line: ComponentLine, quantity: float, serialnumber: str | None = None,
                 batch: Batch | None = None) -> ComponentLine:
        """Take in an accepted unit (the rules were checked); the line after it."""
        assert self.assembly is not None
        unit = UnitRow(max((u.position for u in self._units), default=0) + 1, line.item_id, quantity,
                       serialnumber, batch.batch_id if batch else None)
        with self._lock:
            self._units.append(unit)
            if batch is not None:
                self._batches[batch.batch_id] = batch
        assembly_id = self.assembly.assembly_id

        def claimed() -> str | None:  # read again inside the write's transaction
            if serialnumber is not None:
                elsewhere = self.claims.elsewhere(line.item_id, serialnumber, assembly_id=assembly_id)
                return None if elsewhere is None else f"{serialnumber} of {line.name} is already {elsewhere}"
            if batch is not None:
                now = load_batch(self.store.connection(), batch.batch_id) or batch
                ticked = self.records.batch_ticked(assembly_id, batch.batch_id)
                elsewhere_ = self.records.batch_held_elsewhere(assembly_id, batch.batch_id)
                if ticked + elsewhere_ + quantity > now.balance_quantity + EPSILON:
                    return batch_short_words(batch.batch_number, line.name, now.balance_quantity, ticked,
                                             elsewhere_, quantity)
            return None

        try:
            self._write(lambda: self.records.add_unit(assembly_id, unit, claimed))
        except ClaimTaken:  # an inline write: another process took it since the check
            with self._lock:
                self._units.remove(unit)
            raise
        self.changed.emit(self)
        return self.lines_by_item()[line.item_id]

    # -- what is on the bench ----------------------------------------------------------
    def lines(self) -> list[ComponentLine]:
        return list(self.lines_by_item().values())

    def lines_by_item(self) -> dict[str, ComponentLine]:
        with self._lock:
            return with_ticks(self._base, self._units)

    def units(self) -> list[UnitRow]:
        with self._lock:
            return list(self._units)

    def shortage(self) -> str | None:
        """What stops the open assembly's kits being built here (see ``shortage_note``)."""
        with self._lock:
            base = dict(self._base)
        return shortage_note(base, self.quantity, self.place) if self.is_open else None

    @property
    def all_ticked(self) -> bool:
        lines = self.lines()
        return bool(lines) and all(line.done for line in lines)

    # -- completing --------------------------------------------------------------------
    def complete(self) -> None:
        """Record the assembly (through ``write``); AssemblyNotReady says what is missing."""
        if not self.is_open or self.assembly is None or self.kit is None:
            raise AssemblyNotReady("there is no open assembly to complete")
        lines = self.lines_by_item()
        if not all(line.done for line in lines.values()):
            raise AssemblyNotReady(f"components still to scan: {remaining_words(lines.values())}")
        row, kit = self.assembly, self.kit
        record = AssemblyRecord(row.reference, self.today().isoformat(), kit.item_id, kit.name,
                                float(row.quantity), row.warehouse_id, row.bin_id,
                                consumed(lines, self.units(), dict(self._batches)))
        self.assembly = replace(row, state="completed")
        self._write(lambda: self._record_completion(row, record))

    def _record_completion(self, row: AssemblyRow, record: AssemblyRecord) -> list[int]:
        try:
            with self.store.transaction() as conn:
                ids = enqueue_assembly(self.outbox, conn, self.target, record)
                self.records.mark_completed(conn, row.assembly_id)
        except BaseException:
            self.assembly = row  # nothing was recorded: still open
            raise
        with self._lock:
            self._entries = {e.entry_id: e for e in (self.outbox.get(i) for i in ids)}
        self.changed.emit(self)
        self.outbox.announce(ids)
        return ids

    # -- progress after completion -------------------------------------------------------
    @property
    def progress(self) -> tuple[Progress, str | None]:
        """Where the assembly got to, and the inventory system's words when it failed."""
        with self._lock:
            entries = list(self._entries.values())
        return progress_of(self.assembly.state if self.assembly else "open", entries)

    def _on_entry_changed(self, change: EntryChange) -> None:
        entry = change.entry
        if self.assembly is not None and entry.document == self.assembly.document:
            with self._lock:
                self._entries[entry.entry_id] = entry
            self.changed.emit(self)


# The window and the commands drive it as a Workflow (mypy checks that it is one).
_AS_WORKFLOW: type[Workflow] = AssemblyWorkflow
