"""The Assemble page: where the kits are built (warehouse, bin) and how many, the kit being
built, the answer to the last scan (colour + icon + words, like the Lookup card), a table
of the kit's components (per kit, needed, ticked, in stock here, what is missing) and
Complete. It only shows and asks; the controller
(:mod:`scanner_app.ui.controllers.assemble_controller`) drives the Qt-free workflow."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSpinBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from scanner_app.inventory.models import Bin, Warehouse
from scanner_app.ui.pages.workflow_page import WorkflowPage, chosen, fill_bins, fill_warehouses, lines_table
from scanner_app.ui.widgets.plain_text import PlainLabel, plain_tooltip
from scanner_app.ui.widgets.state_banner import BannerStates
from scanner_app.workflows.assembly_answers import ComponentLine, amount

BANNERS: BannerStates = {"idle": ("Assemble: choose where, then scan the kit to build", None, "idle"),
                         "accepted": ("ACCEPTED", "found", "found"), "refused": ("REFUSED", "invalid", "invalid")}
COLUMNS = ["Component", "Per kit", "Needed", "Ticked", "In stock here", "Tracking", "State"]
WHOLE_WAREHOUSE = "Whole warehouse"
SHORT = QColor("#b71c1c")


class AssemblePage(WorkflowPage):
    place_changed = Signal(str, str, int)  # warehouse id, bin id ("" = the whole warehouse), kits
    complete_requested = Signal()
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(BANNERS, parent=parent)
        self.warehouse = QComboBox()
        self.bin = QComboBox()
        self.quantity = QSpinBox()
        self.quantity.setRange(1, 9999)
        self.quantity.setPrefix("Kits: ")
        self.cancel_button = QPushButton("Cancel assembly")
        top = QHBoxLayout()
        for label, widget in (("Warehouse", self.warehouse), ("Bin", self.bin)):
            top.addWidget(PlainLabel(label))
            top.addWidget(widget, 1)
        top.addWidget(self.quantity)
        top.addWidget(self.cancel_button)
        self.kit_label = PlainLabel("No kit yet: scan the kit to build (any of its codes)")
        self.kit_label.setObjectName("caption")
        self.table = lines_table(COLUMNS)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.summary = PlainLabel("")
        self.complete_button = QPushButton("Complete assembly")
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.complete_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.kit_label)
        layout.addWidget(self.banner)
        layout.addWidget(self.note)
        layout.addWidget(self.entry)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self._quiet = False  # True while the controller fills the choices (no place_changed)
        self.warehouse.currentIndexChanged.connect(self._warehouse_chosen)
        self.bin.currentIndexChanged.connect(self._place_chosen)
        self.quantity.valueChanged.connect(self._place_chosen)
        self.complete_button.clicked.connect(self.complete_requested)
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.bins_of: dict[str, list[Bin]] = {}

    # -- the choices ---------------------------------------------------------------------
    def set_places(self, warehouses: list[Warehouse], bins: list[Bin]) -> None:
        self.bins_of = {w.warehouse_id: [b for b in bins if b.warehouse_id == w.warehouse_id] for w in warehouses}
        self._quiet = True
        fill_warehouses(self.warehouse, warehouses)
        self._fill_bins()
        self._quiet = False

    def show_place(self, warehouse_id: str | None, bin_id: str | None, quantity: int) -> None:
        """Show the workflow's choices (after a restart, or a refused change)."""
        self._quiet = True
        if warehouse_id is not None:
            self.warehouse.setCurrentIndex(max(self.warehouse.findData(warehouse_id), 0))
            self._fill_bins()
        self.bin.setCurrentIndex(max(self.bin.findData(bin_id or ""), 0))
        self.quantity.setValue(quantity)
        self._quiet = False

    def _fill_bins(self) -> None:
        fill_bins(self.bin, WHOLE_WAREHOUSE, self.bins_of.get(chosen(self.warehouse), []))

    def _warehouse_chosen(self) -> None:
        quiet, self._quiet = self._quiet, True
        self._fill_bins()
        self._quiet = quiet
        self._place_chosen()

    def _place_chosen(self) -> None:
        if not self._quiet and self.warehouse.currentData():
            self.place_changed.emit(str(self.warehouse.currentData()), str(self.bin.currentData() or ""),
                                    self.quantity.value())

    # -- what is shown -------------------------------------------------------------------
    def show_kit(self, text: str) -> None:
        self.kit_label.setText(text)

    def show_lines(self, lines: list[ComponentLine], place: str, can_complete: bool) -> None:
        self.table.setRowCount(len(lines))
        for r, line in enumerate(lines):
            tracking = "serial" if line.track_serial_number else "batch" if line.track_batch_number else ""
            if line.is_composite:
                tracking = (tracking + " · " if tracking else "") + "kit"
            short = line.shortage(place)
            state = "✔ ticked" if line.done else short or f"{amount(line.remaining)} more"
            cells = (line.name, amount(line.per_kit), amount(line.needed), amount(line.ticked),
                     amount(line.in_stock), tracking, state)
            for c, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setToolTip(plain_tooltip(text))  # a long explanation is cut in the cell
                if short and not line.done and c in (4, 6):
                    cell.setForeground(SHORT)
                self.table.setItem(r, c, cell)
        done = sum(1 for line in lines if line.done)
        self.summary.setText(f"{done} of {len(lines)} components ticked" if lines else "")
        self.complete_button.setEnabled(can_complete)

    def row_of(self, name: str) -> list[str] | None:
        """The cells of the component ``name`` (for tests and diagnostics)."""
        for r in range(self.table.rowCount()):
            cell = self.table.item(r, 0)
            if cell is not None and cell.text() == name:
                return [self.table.item(r, c).text() for c in range(len(COLUMNS))]  # type: ignore[union-attr]
        return None
