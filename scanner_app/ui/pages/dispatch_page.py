"""The Dispatch page: the outgoing document and warehouse, the current item and bin, the
answer to the last scan (colour + icon + words, like the Lookup card), a live table of the
serials with their states, and Complete. It only shows and asks; the controller
(:mod:`scanner_app.ui.controllers.dispatch_controller`) drives the Qt-free workflow."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from scanner_app.inventory.models import Warehouse
from scanner_app.ui.pages.workflow_page import WorkflowPage, choice_text, chosen, fill_warehouses, lines_table
from scanner_app.ui.widgets.plain_text import PlainLabel
from scanner_app.ui.widgets.state_banner import BannerStates
from scanner_app.workflows.dispatch_answers import DispatchSerial

ENTITY_TYPES = ("salesorder", "package", "invoice", "transfer_order", "shipment")
# banner state -> (words, icon); "found"/"invalid" reuse the Lookup card's colours
BANNERS: BannerStates = {"idle": ("Dispatch: enter the document, then scan", None, "idle"),
                         "accepted": ("ACCEPTED", "found", "found"), "refused": ("REFUSED", "invalid", "invalid"),
                         "checking": ("CHECKING…", None, "idle")}  # a serial register is being asked
STATE_WORDS = {"scanned": "Scanned", "validating": "Validating…", "mapped": "✔ Mapped", "failed": "✖ Failed",
               "discarded": "Discarded", "recorded": "✔ Recorded"}
COLUMNS = ["#", "Item", "Serial number", "Bin", "State"]


class DispatchPage(WorkflowPage):
    start_requested = Signal(str, str, str)  # entity type, entity id, warehouse id
    complete_requested = Signal()
    cancel_requested = Signal()
    assign_bin_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(BANNERS, parent=parent)
        self.entity_type = QComboBox()
        self.entity_type.setEditable(True)
        self.entity_type.addItems(ENTITY_TYPES)
        self.entity_id = QLineEdit()
        self.entity_id.setPlaceholderText("Document number (scan or type)")
        self.warehouse = QComboBox()
        self.start_button = QPushButton("Start")
        self.cancel_button = QPushButton("Cancel dispatch")
        top = QHBoxLayout()
        for w in (self.entity_type, self.entity_id, self.warehouse, self.start_button, self.cancel_button):
            top.addWidget(w, 1 if w is self.entity_id else 0)
        self.document_label = PlainLabel("No dispatch open")
        self.document_label.setObjectName("caption")
        self.current = PlainLabel("Item: — · Bin: from the inventory")
        self.table = lines_table(COLUMNS)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.summary = PlainLabel("")
        self.assign_bin_button = QPushButton("Put serials without a bin in the scanned bin")
        self.complete_button = QPushButton("Complete dispatch")
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.assign_bin_button)
        bottom.addWidget(self.complete_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.document_label)
        layout.addWidget(self.banner)
        layout.addWidget(self.note)
        layout.addWidget(self.current)
        layout.addWidget(self.entry)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.start_button.clicked.connect(self._start)
        self.entity_id.returnPressed.connect(self._start)
        self.complete_button.clicked.connect(self.complete_requested)
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.assign_bin_button.clicked.connect(self.assign_bin_requested)

    def set_warehouses(self, warehouses: list[Warehouse], remembered: str | None) -> None:
        fill_warehouses(self.warehouse, warehouses, remembered)

    def warehouse_name(self, warehouse_id: str) -> str:
        """The name shown for a warehouse id (the id itself when the list does not know it)."""
        return choice_text(self.warehouse, warehouse_id)

    def show_checking(self, message: str) -> None:
        """A serial is being checked with the serial register; the verdict follows."""
        self.show_state("checking", message)

    def show_document(self, text: str, current: str) -> None:
        self.document_label.setText(text)
        self.current.setText(current)

    def show_serials(self, serials: list[DispatchSerial]) -> None:
        self.table.setRowCount(len(serials))
        for r, s in enumerate(serials):
            state = STATE_WORDS[s.state] + (f": {s.reason}" if s.reason else "")
            bin_text = s.bin_code or ("— scan its bin" if s.bin_id is None else s.bin_id)
            for c, text in enumerate((str(s.position), s.item_name, s.serialnumber, bin_text, state)):
                self.table.setItem(r, c, QTableWidgetItem(text))
        counts = {k: sum(1 for s in serials if s.state == k) for k in STATE_WORDS}
        self.summary.setText(" · ".join(f"{n} {k}" for k, n in counts.items() if n) or "No serials yet")

    def state_of(self, serialnumber: str) -> str | None:
        """The State column's text for ``serialnumber`` (for tests and diagnostics)."""
        for r in range(self.table.rowCount()):
            cell = self.table.item(r, 2)
            if cell is not None and cell.text() == serialnumber:
                state = self.table.item(r, 4)
                return state.text() if state is not None else None
        return None

    def _start(self) -> None:
        self.start_requested.emit(self.entity_type.currentText().strip(), self.entity_id.text().strip(),
                                  chosen(self.warehouse))
