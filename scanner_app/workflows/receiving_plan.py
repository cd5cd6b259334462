"""What a ``scanner-app receive`` run asks for, kept as a plan that outlives the process. Qt-free.

The plan is the command's rows (from the command line or a shipping-notice file), its place
(warehouse and bin, resolved to ids), its reference and ``--accept-expiring``. It is saved
with the receipt (``job_plans``, kind ``receipt``, migration 0008) in the transaction that
creates the receipt, so a re-run or ``scanner-app jobs resume`` finishes the whole command
without the file. :attr:`ReceivePlan.content_hash` (the place and the rows, not the
reference nor the options) is how the same command is recognised when it runs again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any

from scanner_app.workflows.receiving_file import ReceiptRow

PLAN_KIND = "receipt"  # the kind in job_plans and in job ids ("receipt-4")
_ROW_FIELDS = ("item", "batch", "manufacturer_batch", "manufactured", "expiry", "quantity", "serial")


@dataclass(frozen=True)
class ReceivePlan:
    rows: tuple[ReceiptRow, ...]
    warehouse_id: str
    bin_id: str | None
    reference: str | None
    accept_expiring: bool = False

    @property
    def content_hash(self) -> str:
        """sha256 of the place and each row's fields in order (row numbers left out, so a
        blank line more in the file is still the same content)."""
        content = {"warehouse_id": self.warehouse_id, "bin_id": self.bin_id,
                   "rows": [[getattr(row, name) for name in _ROW_FIELDS] for row in self.rows]}
        text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def to_json(self) -> dict[str, Any]:
        return {"rows": [asdict(row) for row in self.rows], "warehouse_id": self.warehouse_id, "bin_id": self.bin_id,
                "reference": self.reference, "accept_expiring": self.accept_expiring,
                "content_hash": self.content_hash}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ReceivePlan:
        return cls(rows=tuple(ReceiptRow(**row) for row in data["rows"]), warehouse_id=str(data["warehouse_id"]),
                   bin_id=data.get("bin_id"), reference=data.get("reference"),
                   accept_expiring=bool(data.get("accept_expiring")))
