"""The Receive page: the receipt (reference, warehouse, receiving bin), the answer to the
last scan (colour + icon + words), a confirm step for an expiring batch, the fields typed
for the next batch (quantity, manufacturer batch, dates), the lines with their live
states and a running total, and a line's correction or cancellation. It only shows and
asks; :mod:`scanner_app.ui.controllers.receive_controller` drives the Qt-free workflow.

The table is updated row by row (only rows whose text changed are touched), so a
receipt of a thousand lines whose states move every few hundred milliseconds costs the
event loop next to nothing.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from scanner_app.inventory.models import Bin, Warehouse
from scanner_app.ui.pages.workflow_page import WorkflowPage, chosen, fill_bins, fill_warehouses, lines_table
from scanner_app.ui.widgets.plain_text import PlainLabel, plain_tooltip
from scanner_app.ui.widgets.state_banner import BannerStates
from scanner_app.workflows.receiving_answers import ReceiptLine

BANNERS: BannerStates = {"idle": ("Receive: start a receipt, then scan", None, "idle"),
                         "accepted": ("ACCEPTED", "found", "found"), "refused": ("REFUSED", "invalid", "invalid"),
                         "confirm": ("CONFIRM", "not_found", "not_found")}
STATE_WORDS = {"saving": "Saving…", "queued": "Queued", "assigning": "Assigning…", "assigned": "✔ Assigned",
               "conflict": "⚠ Conflict", "failed": "✖ Failed", "cancelled": "Cancelled"}
COLUMNS = ["#", "Item", "Batch / serial", "Expiry", "Qty", "State"]


class ReceivePage(WorkflowPage):
    start_requested = Signal(str, str, str)  # reference, warehouse id, bin id ("" for none)
    warehouse_chosen = Signal(str)
    finish_requested = Signal()
    confirm_requested = Signal()
    decline_requested = Signal()
    cancel_line_requested = Signal(int)
    correct_requested = Signal(int, str)  # line, its batch number or serial (the form gives the rest)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(BANNERS, "Type an item, batch or serial number and press Enter (a scanner works from "
                         "anywhere)", parent)
        self.reference = QLineEdit()
        self.reference.setPlaceholderText("Purchase order or receive number (optional)")
        self.warehouse = QComboBox()
        self.bin = QComboBox()
        self.start_button = QPushButton("Start receipt")
        self.finish_button = QPushButton("Finish receipt")
        top = QHBoxLayout()
        for w in (self.reference, self.warehouse, self.bin, self.start_button, self.finish_button):
            top.addWidget(w, 1 if w is self.reference else 0)
        self.receipt_label = PlainLabel("No receipt open")
        self.receipt_label.setObjectName("caption")
        self.confirm_bar = QWidget()
        self.confirm_button = QPushButton("Receive anyway")
        self.decline_button = QPushButton("Don't receive it")
        bar = QHBoxLayout(self.confirm_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addStretch(1)
        bar.addWidget(self.confirm_button)
        bar.addWidget(self.decline_button)
        self.confirm_bar.hide()
        self.quantity = QDoubleSpinBox()
        self.quantity.setRange(0.001, 1_000_000)
        self.quantity.setDecimals(3)
        self.quantity.setValue(1)
        self.quantity.setPrefix("Qty ")
        self.manufacturer_batch = QLineEdit()
        self.manufacturer_batch.setPlaceholderText("Manufacturer batch")
        self.manufactured = QLineEdit()
        self.manufactured.setPlaceholderText("Manufactured YYYY-MM-DD")
        self.expiry = QLineEdit()
        self.expiry.setPlaceholderText("Expiry YYYY-MM-DD")
        form = QHBoxLayout()
        for field in (self.quantity, self.manufacturer_batch, self.manufactured, self.expiry):
            form.addWidget(field)
        self.current = PlainLabel("Item: —")
        self.table = lines_table(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()  # fixed widths: no size-to-contents pass over 1,000 rows
        for column, width in enumerate((40, 180, 150, 105, 60)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.summary = PlainLabel("No lines yet")
        self.correction = QLineEdit()
        self.correction.setPlaceholderText("Corrected batch or serial number")
        self.correct_button = QPushButton("Correct selected line")
        self.cancel_line_button = QPushButton("Cancel selected line")
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.correction)
        bottom.addWidget(self.correct_button)
        bottom.addWidget(self.cancel_line_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.receipt_label)
        layout.addWidget(self.banner)
        layout.addWidget(self.note)
        layout.addWidget(self.confirm_bar)
        layout.addLayout(form)
        layout.addWidget(self.current)
        layout.addWidget(self.entry)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self._shown: list[tuple[str, ...]] = []
        self._positions: list[int] = []
        self.start_button.clicked.connect(self._start)
        self.finish_button.clicked.connect(self.finish_requested)
        self.warehouse.currentIndexChanged.connect(lambda _i: self.warehouse_chosen.emit(self.warehouse_id()))
        self.confirm_button.clicked.connect(self.confirm_requested)
        self.decline_button.clicked.connect(self.decline_requested)
        self.cancel_line_button.clicked.connect(self._cancel_selected)
        self.correct_button.clicked.connect(self._correct_selected)
        self.table.itemSelectionChanged.connect(self._selection_changed)

    # -- places -------------------------------------------------------------------------------
    def set_warehouses(self, warehouses: list[Warehouse], remembered: str | None) -> None:
        fill_warehouses(self.warehouse, warehouses, remembered)

    def set_bins(self, bins: list[Bin], remembered: str | None) -> None:
        fill_bins(self.bin, "(no bin)", bins, remembered)

    def warehouse_id(self) -> str:
        return chosen(self.warehouse)

    # -- answers ---------------------------------------------------------------------------------
    def show_answer(self, accepted: bool, message: str, note: str | None = None) -> None:
        self.confirm_bar.hide()
        super().show_answer(accepted, message, note)

    def ask_confirmation(self, message: str) -> None:
        self.show_state("confirm", message)
        self.confirm_bar.show()

    def show_receipt(self, text: str, current: str) -> None:
        self.receipt_label.setText(text)
        self.current.setText(current)

    def batch_form(self) -> tuple[float, str, str, str]:
        """(quantity, manufacturer batch, manufactured, expiry) as typed."""
        return (self.quantity.value(), self.manufacturer_batch.text().strip(), self.manufactured.text().strip(),
                self.expiry.text().strip())

    def clear_batch_form(self) -> None:
        self.quantity.setValue(1)
        for field in (self.manufacturer_batch, self.manufactured, self.expiry):
            field.clear()

    # -- lines ---------------------------------------------------------------------------------------
    def show_lines(self, lines: list[ReceiptLine], totals: dict[str, float]) -> None:
        rows = [self._row_text(line) for line in lines]
        if len(rows) != self.table.rowCount():
            self.table.setRowCount(len(rows))
        for r, texts in enumerate(rows):
            before = self._shown[r] if r < len(self._shown) else None
            if before == texts:
                continue
            for c, text in enumerate(texts):
                if before is None or before[c] != text:
                    cell = QTableWidgetItem(text)
                    cell.setToolTip(plain_tooltip(text))  # a long reason is cut in the column
                    self.table.setItem(r, c, cell)
        self._shown = rows
        self._positions = [line.position for line in lines]
        states = " · ".join(f"{int(totals[k])} {k}" for k in STATE_WORDS if totals.get(k))
        units = totals.get("units", 0)
        count = int(totals.get("lines", 0))
        words = f"{count} line{'' if count == 1 else 's'}, {units:g} unit{'' if units == 1 else 's'}"
        self.summary.setText(words + (f" · {states}" if states else "") if lines else "No lines yet")

    @staticmethod
    def _row_text(line: ReceiptLine) -> tuple[str, ...]:
        state = STATE_WORDS[line.state]
        if line.state == "assigned" and line.batch_id and line.kind == "batch":
            state += f" ({line.batch_id})"
        if line.reason:
            state += f": {line.reason}"
        return (str(line.position), line.item_name, line.code, line.expiry_date or "", f"{line.quantity:g}", state)

    def state_of(self, code: str) -> str | None:
        """The State column's text for the line of ``code`` (tests and diagnostics)."""
        for _r, texts in enumerate(self._shown):
            if texts[2] == code and not texts[5].startswith("Cancelled"):
                return texts[5]
        return None

    def selected_line(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self._positions[rows[0].row()] if rows and rows[0].row() < len(self._positions) else None

    def select_line(self, position: int) -> None:
        if position in self._positions:
            self.table.selectRow(self._positions.index(position))

    def _selection_changed(self) -> None:
        position = self.selected_line()
        if position is not None:
            r = self._positions.index(position)
            self.correction.setText(self._shown[r][2])

    # -- requests -------------------------------------------------------------------------------------
    def _start(self) -> None:
        self.start_requested.emit(self.reference.text().strip(), self.warehouse_id(), chosen(self.bin))

    def _cancel_selected(self) -> None:
        position = self.selected_line()
        if position is not None:
            self.cancel_line_requested.emit(position)

    def _correct_selected(self) -> None:
        position = self.selected_line()
        if position is not None:
            self.correct_requested.emit(position, self.correction.text().strip())
