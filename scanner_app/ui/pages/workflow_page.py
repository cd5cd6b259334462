"""The building blocks the scanning pages share (Dispatch, Receive, Assemble; Lookup's
typed-code field): the field a code is typed into, the verdict line (a banner with colour,
icon and words, like the Lookup card, and a note under it), the read-only table of lines,
and the warehouse and bin pickers filled from the inventory. Each page lays them out its
own way; what a block does is the same on every page."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QLineEdit, QTableWidget, QWidget

from scanner_app.inventory.models import Bin, Warehouse
from scanner_app.ui.widgets.plain_text import PlainLabel
from scanner_app.ui.widgets.state_banner import BannerStates, StateBanner

TYPE_A_CODE = "Type a code and press Enter (a scanner works from anywhere)"


class ScanEntry(QLineEdit):
    """The typed-code field: Enter (or :meth:`submit`) hands on the text, unless blank, and
    clears the field for the next code."""

    submitted = Signal(str)

    def __init__(self, placeholder: str = TYPE_A_CODE, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("manualEntry")
        self.setPlaceholderText(placeholder)
        self.returnPressed.connect(self.submit)

    def submit(self) -> None:
        text = self.text()
        if text.strip():
            self.submitted.emit(text)
            self.clear()


class WorkflowPage(QWidget):
    """A scanning page: ``banner`` and ``note`` (the verdict line) and ``entry`` (typed codes,
    handed on as ``manual_entry``), made here and laid out by the page. ``banners`` must have
    ``idle``, ``accepted`` and ``refused``."""

    manual_entry = Signal(str)

    def __init__(self, banners: BannerStates, placeholder: str = TYPE_A_CODE, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.banner = StateBanner(banners)
        self._banners = self.banner.banners
        self.note = PlainLabel("")
        self.note.setObjectName("notes")
        self.note.setWordWrap(True)
        self.entry = ScanEntry(placeholder)
        self.entry.submitted.connect(self.manual_entry)

    @property
    def banner_state(self) -> str:
        return self.banner.state

    def show_answer(self, accepted: bool, message: str, note: str | None = None) -> None:
        self.banner.show_state("accepted" if accepted else "refused", message)
        self.note.setText(f"Note: {note}" if note else "")

    def show_state(self, state: str, message: str) -> None:
        """A banner state of the page's own (checking, confirm ...), without a note."""
        self.banner.show_state(state, message)
        self.note.setText("")


def lines_table(columns: list[str]) -> QTableWidget:
    """A read-only table of a page's lines (scans never land in it: no focus)."""
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return table


def fill_warehouses(combo: QComboBox, warehouses: list[Warehouse], remembered: str | None = None) -> None:
    """The warehouses by name, ``remembered`` chosen (else the first); no change signals."""
    combo.blockSignals(True)
    combo.clear()
    for w in warehouses:
        combo.addItem(w.name, w.warehouse_id)
    _choose(combo, remembered)
    combo.blockSignals(False)


def fill_bins(combo: QComboBox, first: str, bins: list[Bin], remembered: str | None = None) -> None:
    """``first`` (no bin: data "") then the bins by label code and name, ``remembered`` chosen."""
    combo.clear()
    combo.addItem(first, "")
    for b in bins:
        combo.addItem(f"{b.code} · {b.name}" if b.name and b.name != b.code else b.code, b.bin_id)
    _choose(combo, remembered)


def _choose(combo: QComboBox, data: str | None) -> None:
    index = combo.findData(data) if data else -1
    combo.setCurrentIndex(max(index, 0))


def chosen(combo: QComboBox) -> str:
    """The chosen entry's id ("" when none)."""
    return str(combo.currentData() or "")


def choice_text(combo: QComboBox, data: str) -> str:
    """The words shown for ``data`` (the id itself when the list does not have it)."""
    index = combo.findData(data)
    return combo.itemText(index) if index >= 0 else data
