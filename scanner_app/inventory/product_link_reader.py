"""The importer's reading of ``packcloud_products``: which catalogue item each Pack.cloud
product is (stored by :mod:`scanner_app.inventory.product_links`).

Each record names the product and the item by exactly one of its codes::

    {"packcloud_products": [
        {"product_id": "p-123", "item_id": "4815162342"},
        {"product_id": "p-124", "sku": "CAM-01"},
        {"product_id": "p-125", "gtin": "4006381333931"},   # or upc / ean / isbn
        {"product_id": "p-126", "part_number": "PN-7"}
    ]}

The item may be in the same file or already in the store. A code is matched the way a
scan is (SKU and part number case-insensitively, a GTIN in any printed form); a code that
names no item, or several, is a problem naming the record, and nothing is imported.
"""

from __future__ import annotations

from scanner_app.inventory import code_keys as K
from scanner_app.inventory.catalogue_rows import CatalogueRows
from scanner_app.inventory.existing import ExistingCatalogue
from scanner_app.inventory.record_fields import FieldReader

ITEM_FIELDS = ("item_id", "sku", "gtin", "upc", "ean", "isbn", "part_number")
_GTIN_FIELDS = ("gtin", "upc", "ean", "isbn")


class ProductLinkReader:
    """Reads link records into ``rows.product_links`` (product id -> item id)."""

    def __init__(self, rows: CatalogueRows, existing: ExistingCatalogue) -> None:
        self.rows = rows
        self.existing = existing
        self._file_codes: dict[tuple[str, str], set[str]] | None = None  # built on first use
        self._where: dict[str, int] = {}  # product id -> its index in the array

    def read(self, r: FieldReader, index: int) -> None:
        product_id = r.text("product_id", required=True)
        given = [name for name in ITEM_FIELDS if r.given(name)]
        if len(given) != 1:
            r.problem(f"name the item by one of {', '.join(ITEM_FIELDS)}"
                      + (f" (not several: {', '.join(given)})" if given else ""))
            return
        item_id = self._resolve(r, given[0])
        if product_id is None or item_id is None:
            return
        if product_id in self._where:
            r.problem(f"product_id {product_id} appears twice (also packcloud_products[{self._where[product_id]}])")
            return
        self._where[product_id] = index
        self.rows.product_links[product_id] = item_id

    def _resolve(self, r: FieldReader, field: str) -> str | None:
        if field == "item_id":
            item_id = r.text("item_id")
            if item_id is not None and item_id not in self.rows.items and self.existing.item(item_id) is None:
                r.problem(f"unknown item_id {item_id!r}")
                return None
            return item_id
        if field in _GTIN_FIELDS:
            value, keys = r.gtin(field)
            kind = K.GTIN
        else:
            value = r.text(field)
            keys = [K.text_key(value)] if value else []
            kind = K.SKU if field == "sku" else K.PART_NUMBER
        if not keys:
            return None  # the field reader said why
        owners = sorted({owner for key in keys for owner in self._owners(kind, key)})
        if len(owners) == 1:
            return owners[0]
        if not owners:
            r.problem(f"no item has {field} {value!r}")
        else:
            r.problem(f"{field} {value!r} names several items ({', '.join(owners)}): use item_id")
        return None

    def _owners(self, kind: str, key: str) -> set[str]:
        """Items of the file with this code, and stored items with it that the file does
        not re-import (a re-imported item's stored codes are replaced by its new ones)."""
        owners = set(self._codes_of_file().get((kind, key), ()))
        owners.update(o for o in self.existing.code_owners(key, kind) if o not in self.rows.items)
        return owners

    def _codes_of_file(self) -> dict[tuple[str, str], set[str]]:
        if self._file_codes is None:
            codes: dict[tuple[str, str], set[str]] = {}
            for item in self.rows.items.values():
                keys = [(K.GTIN, key) for key in item.gtin_keys]
                keys += [(K.SKU, K.text_key(item.sku))] if item.sku else []
                keys += [(K.PART_NUMBER, K.text_key(item.part_number))] if item.part_number else []
                for pair in keys:
                    codes.setdefault(pair, set()).add(item.item_id)
            self._file_codes = codes
        return self._file_codes
