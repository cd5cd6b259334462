"""The answer to a scan, big enough to read from a metre away.

A banner says found / not found / invalid by colour, icon and words (never colour
alone); below it the item card: name, codes, unit, tracking, stock per warehouse and
bin, batches with expiry (expired ones marked), a serial's status and bin, GS1 fields.
Widgets are built once and only their contents change, so an answer paints in a frame
(measured, UI-thread CPU for a camera scan, answer set and painted: the first answer
~10.5 ms, while Qt sets up each part the first time it is shown; later ones ~4 ms).
A warm-up that showed and painted every part off screen after the first paint (first
answer ~7 ms) was taken out: with it, the window crashed in Qt's event loop in 2 of 8 runs
of tests/ui/test_zoho_sync_window.py, without it in none of 10.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from scanner_app import days
from scanner_app.codes.classification import Classification
from scanner_app.inventory.models import Item, LookupResult
from scanner_app.scanning.scan import ScanOutcome
from scanner_app.ui.widgets.plain_text import PlainLabel
from scanner_app.ui.widgets.state_banner import StateBanner

GS1_AI_NAMES = {
    "00": "SSCC", "01": "GTIN", "02": "Contained GTIN", "10": "Batch/lot", "11": "Production date",
    "13": "Packaging date", "15": "Best before", "17": "Expiry date", "21": "Serial", "30": "Count",
    "37": "Count of units", "414": "Location (GLN)",
}

FIELD_NAMES = ("SKU", "GTIN", "Unit", "Tracking", "On hand", "Part number", "ISBN", "Status", "Kit of", "Serial",
               "Serial status", "Serial location", "Batch", "Expiry", "Bin code", "Warehouse", "Symbology")

STATE_STYLE = {
    "found": ("FOUND", "#1b7f3b", "found"),
    "not_found": ("NOT FOUND", "#8a5300", "not_found"),
    "invalid": ("INVALID CODE", "#b00020", "invalid"),
}


def _fmt_qty(value: float) -> str:
    return f"{value:g}"


def _yymmdd(value: str) -> str:
    if len(value) == 6 and value.isdigit():
        day = value[4:6]
        return f"20{value[0:2]}-{value[2:4]}-{day if day != '00' else 'end of month'}"
    return value


class _Table(QTableWidget):
    def __init__(self, headers: list[str]) -> None:
        super().__init__(0, len(headers))
        self.setHorizontalHeaderLabels(headers)
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)

    def fill(self, rows: list[list[str]], marked: set[int] | None = None) -> None:
        self.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                cell = QTableWidgetItem(text)
                if marked and r in marked:
                    cell.setForeground(Qt.GlobalColor.red)
                    font = cell.font()
                    font.setBold(True)
                    cell.setFont(font)
                self.setItem(r, c, cell)
        height = self.horizontalHeader().height() + sum(self.rowHeight(r) for r in range(len(rows))) + 4
        self.setFixedHeight(min(height, 260))
        self.setVisible(bool(rows))


class ResultCard(QFrame):
    painted = Signal()  # after each paint: lets benchmarks time "scan to answer on screen"

    def __init__(self, parent: QWidget | None = None, *, today: days.Today = days.today) -> None:
        super().__init__(parent)
        self.setObjectName("resultCard")
        self.state = "idle"
        self.today = today  # marks expired batches: the station's day (the window passes it)

        self.banner_stack = StateBanner()

        self.title = PlainLabel("")
        self.title.setObjectName("itemName")
        self.title.setWordWrap(True)
        self.reason = PlainLabel("")
        self.reason.setObjectName("reason")
        self.reason.setWordWrap(True)
        self.notes = PlainLabel("")
        self.notes.setObjectName("notes")
        self.notes.setWordWrap(True)
        self.fields = QGridLayout()
        self.fields.setColumnStretch(1, 1)
        self._field_labels: dict[str, tuple[QLabel, QLabel]] = {}
        self._set_fields([(name, "") for name in FIELD_NAMES])  # built once, so no scan creates widgets
        self.stock_table = _Table(["Warehouse", "Bin", "On hand"])
        self.batch_table = _Table(["Batch", "Manufacturer batch", "Expiry", "Quantity", "State"])
        self.gs1_table = _Table(["AI", "Field", "Value"])

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner_stack)
        layout.addWidget(self.title)
        layout.addWidget(self.reason)
        layout.addWidget(self.notes)
        layout.addLayout(self.fields)
        self.stock_caption = PlainLabel("Stock")
        self.batch_caption = PlainLabel("Batches")
        self.gs1_caption = PlainLabel("GS1 fields")
        for caption, table in ((self.stock_caption, self.stock_table), (self.batch_caption, self.batch_table),
                               (self.gs1_caption, self.gs1_table)):
            caption.setObjectName("caption")
            layout.addWidget(caption)
            layout.addWidget(table)
        layout.addStretch(1)
        self.show_idle()

    # -- states -------------------------------------------------------------------
    def show_idle(self) -> None:
        self._set_state("idle", "Ready: scan a code", "")
        self._set_fields([])
        for widget in (self.title, self.reason, self.notes):
            widget.setVisible(False)
        self._show_tables(stock=[], batches=[], gs1=None)

    def show_outcome(self, outcome: ScanOutcome, today: str | None = None) -> None:
        self.show_result(outcome.result, outcome.classification, today)

    def show_result(self, result: LookupResult, c: Classification, today: str | None = None) -> None:
        today = today or self.today().isoformat()
        words, _, _ = STATE_STYLE[result.status]
        self._set_state(result.status, words, c.display)
        self.reason.setText(result.reason or "")
        self.reason.setVisible(bool(result.reason))
        self.notes.setText("\n".join(f"⚠ {note}" for note in result.notes))
        self.notes.setVisible(bool(result.notes))
        item = result.item
        self.title.setText(item.name if item else (f"Bin {result.bin.code}" if result.bin else ""))
        self.title.setVisible(bool(self.title.text()))
        rows: list[tuple[str, str]] = []
        if item is not None:
            rows += self._item_fields(item)
        if result.serial is not None:
            s = result.serial
            where = " / ".join(x for x in (s.warehouse_name, s.bin_code) if x) or "unknown"
            state = "shipped (transacted out)" if s.is_transacted_out else s.status
            rows += [("Serial", s.serialnumber), ("Serial status", state), ("Serial location", where)]
        if result.batch is not None:
            b = result.batch
            expired = b.is_expired(today)
            expiry = (b.expiry_date or "none") + ("  EXPIRED" if expired else "")
            rows += [("Batch", b.batch_number), ("Expiry", expiry)]
        if result.bin is not None:
            rows += [("Bin code", result.bin.code), ("Warehouse", result.bin.warehouse_name or result.bin.warehouse_id)]
        if c.symbology:
            rows.append(("Symbology", c.symbology))
        self._set_fields(rows)
        stock = [[s.warehouse_name, s.bin_code or "—", _fmt_qty(s.quantity)] for s in item.stock] if item else []
        batches = list(item.batches) if item else []
        self._show_tables(stock=stock, batches=batches, gs1=result.gs1 or c.gs1, today=today)

    def _item_fields(self, item: Item) -> list[tuple[str, str]]:
        tracking = "serial numbers" if item.track_serial_number else "batches" if item.track_batch_number else "none"
        rows = [("SKU", item.sku or "—"), ("GTIN", item.gtin14 or item.upc or item.ean or "—"),
                ("Unit", item.unit or "—"), ("Tracking", tracking),
                ("On hand", _fmt_qty(item.stock_on_hand))]
        if item.part_number:
            rows.append(("Part number", item.part_number))
        if item.isbn:
            rows.append(("ISBN", item.isbn))
        if item.status != "active":
            rows.append(("Status", item.status.upper()))
        if item.is_composite and item.mapped_items:
            rows.append(("Kit of", ", ".join(f"{m.quantity:g} × {m.name}" for m in item.mapped_items)))
        return rows

    # -- helpers ------------------------------------------------------------------
    def _set_state(self, state: str, words: str, code: str) -> None:
        self.state = state
        self.banner_stack.show_state(state, code)

    @property
    def banner(self) -> QFrame:
        return self.banner_stack.current

    @property
    def headline(self) -> QLabel:
        return self.banner_stack.current.headline

    @property
    def code_label(self) -> QLabel:
        return self.banner_stack.current.code_label

    def _set_fields(self, rows: list[tuple[str, str]]) -> None:
        wanted = {name for name, _ in rows}
        for name, (caption, value) in self._field_labels.items():
            if name not in wanted:
                caption.setVisible(False)
                value.setVisible(False)
        for index, (name, text) in enumerate(rows):
            pair = self._field_labels.get(name)
            if pair is None:
                caption = PlainLabel(f"{name}:")
                caption.setObjectName("fieldName")
                value = PlainLabel()
                value.setObjectName("fieldValue")
                value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                pair = self._field_labels[name] = (caption, value)
            caption, value = pair
            self.fields.addWidget(caption, index, 0)
            self.fields.addWidget(value, index, 1)
            value.setText(text)
            caption.setVisible(True)
            value.setVisible(True)

    def field_text(self, name: str) -> str | None:
        """The value shown for field ``name`` (e.g. "SKU"), or None when hidden."""
        pair = self._field_labels.get(name)
        return pair[1].text() if pair is not None and not pair[1].isHidden() else None

    def _show_tables(self, *, stock: list[list[str]], batches: list, gs1: dict[str, str] | None,
                     today: str | None = None) -> None:
        self.stock_table.fill(stock)
        self.stock_caption.setVisible(bool(stock))
        rows, expired = [], set()
        for index, b in enumerate(batches):
            is_expired = today is not None and b.is_expired(today)
            if is_expired:
                expired.add(index)
            rows.append([b.batch_number, b.manufacturer_batch_number or "—", b.expiry_date or "—",
                         _fmt_qty(b.balance_quantity), "EXPIRED" if is_expired else b.status])
        self.batch_table.fill(rows, expired)
        self.batch_caption.setVisible(bool(rows))
        gs1_rows = [[ai, GS1_AI_NAMES.get(ai, ""), _yymmdd(v) if ai in ("11", "13", "15", "17") else v]
                    for ai, v in (gs1 or {}).items()]
        self.gs1_table.fill(gs1_rows)
        self.gs1_caption.setVisible(bool(gs1_rows))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        super().paintEvent(event)
        self.painted.emit()
